using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// One LSTM or GRU step's gate math as one op with its backward beside it (grad_fn names of PyTorch's fused cells,
/// <c>ThnnFusedLstmCellBackward0</c> and <c>ThnnFusedGruCellBackward0</c>): a step costs one pass over the gates instead of a
/// dozen elementwise ops on strided chunks, and its values equal the composition's.
/// </summary>
internal static class FusedRecurrentCells
{
    /// <summary>(h', c') from the summed pre-activations <paramref name="gates"/> [B, 4H] and <paramref name="c"/> [B, H].</summary>
    public static (Tensor H, Tensor C) Lstm(Tensor gates, Tensor c)
    {
        gates = gates.Contiguous();
        c = c.Contiguous();
        int batch = (int)c.Size(0), hidden = (int)c.Size(1);
        var h = Tensor.Empty(c._shape, c.DType);
        var cy = Tensor.Empty(c._shape, c.DType);
        var acts = Tensor.Empty(gates._shape, c.DType);
        var tanhC = Tensor.Empty(c._shape, c.DType);
        if (c.DType == DType.Float32)
            RecurrentGates.LstmForward(gates.Span<float>(), c.Span<float>(), h.MutableSpan<float>(), cy.MutableSpan<float>(), acts.MutableSpan<float>(), tanhC.MutableSpan<float>(), batch, hidden);
        else
            RecurrentGates.LstmForward(gates.Span<double>(), c.Span<double>(), h.MutableSpan<double>(), cy.MutableSpan<double>(), acts.MutableSpan<double>(), tanhC.MutableSpan<double>(), batch, hidden);
        if (Graph.Needs(gates, c))
            Graph.RecordMulti("ThnnFusedLstmCellBackward0", [h, cy], [gates, c], grads =>
            {
                Functional.RefuseDoubleBackward("lstm cell");
                var dGates = Tensor.Empty(acts._shape, acts.DType);
                var dc = Tensor.Empty(c._shape, c.DType);
                var (dh, dcy) = (grads[0]?.Contiguous(), grads[1]?.Contiguous());
                if (c.DType == DType.Float32)
                    RecurrentGates.LstmBackward(Values<float>(dh), Values<float>(dcy), acts.Span<float>(), tanhC.Span<float>(), c.Span<float>(), dGates.MutableSpan<float>(), dc.MutableSpan<float>(), batch, hidden);
                else
                    RecurrentGates.LstmBackward(Values<double>(dh), Values<double>(dcy), acts.Span<double>(), tanhC.Span<double>(), c.Span<double>(), dGates.MutableSpan<double>(), dc.MutableSpan<double>(), batch, hidden);
                return [dGates, dc];
            }, c);
        return (h, cy);
    }

    /// <summary>h' from the input gates and hidden gates [B, 3H] (each with its bias) and <paramref name="h"/> [B, H].</summary>
    public static Tensor Gru(Tensor inputGates, Tensor hiddenGates, Tensor h)
    {
        inputGates = inputGates.Contiguous();
        hiddenGates = hiddenGates.Contiguous();
        h = h.Contiguous();
        int batch = (int)h.Size(0), hidden = (int)h.Size(1);
        var hy = Tensor.Empty(h._shape, h.DType);
        var acts = Tensor.Empty(hiddenGates._shape, h.DType);
        if (h.DType == DType.Float32)
            RecurrentGates.GruForward(inputGates.Span<float>(), hiddenGates.Span<float>(), h.Span<float>(), hy.MutableSpan<float>(), acts.MutableSpan<float>(), batch, hidden);
        else
            RecurrentGates.GruForward(inputGates.Span<double>(), hiddenGates.Span<double>(), h.Span<double>(), hy.MutableSpan<double>(), acts.MutableSpan<double>(), batch, hidden);
        if (Graph.Needs([inputGates, hiddenGates, h]))
            Graph.Record("ThnnFusedGruCellBackward0", hy, [inputGates, hiddenGates, h], g =>
            {
                Functional.RefuseDoubleBackward("gru cell");
                var dIg = Tensor.Empty(acts._shape, acts.DType);
                var dHg = Tensor.Empty(acts._shape, acts.DType);
                var dh = Tensor.Empty(h._shape, h.DType);
                var gy = g.Contiguous();
                if (h.DType == DType.Float32)
                    RecurrentGates.GruBackward(gy.Span<float>(), acts.Span<float>(), hiddenGates.Span<float>(), h.Span<float>(), dIg.MutableSpan<float>(), dHg.MutableSpan<float>(), dh.MutableSpan<float>(), batch, hidden);
                else
                    RecurrentGates.GruBackward(gy.Span<double>(), acts.Span<double>(), hiddenGates.Span<double>(), h.Span<double>(), dIg.MutableSpan<double>(), dHg.MutableSpan<double>(), dh.MutableSpan<double>(), batch, hidden);
                return [dIg, dHg, dh];
            }, hiddenGates, h);
        return hy;
    }

    private static ReadOnlySpan<T> Values<T>(Tensor? t) => t is null ? [] : t.Span<T>();
}
