namespace Nabla.NN;

/// <summary>
/// The recurrence of PyTorch's CPU layers (<c>aten/src/ATen/native/RNN.cpp</c>), built from differentiable ops: per layer and
/// direction one GEMM projects the whole sequence (<c>x W_ihᵀ + b_ih</c>), then each step adds <c>h W_hhᵀ + b_hh</c> (one GEMM)
/// and applies the gates in PyTorch's order and arithmetic (LSTM i, f, g, o; GRU r, z, n with
/// <c>n = tanh(W_in x + b_in + r * (W_hn h + b_hn))</c>), the LSTM and GRU gates as one fused op (<see cref="FusedRecurrentCells"/>).
/// </summary>
internal static class RecurrentStack
{
    /// <summary>
    /// Runs the stack on a sequence-first input <paramref name="x"/> [T, B, I] from states <paramref name="h0"/> [L·D, B, Hr] and,
    /// for LSTM, <paramref name="c0"/> [L·D, B, H]. Between layers (not after the last) the output goes through dropout in training,
    /// drawn as PyTorch draws it. Returns the last layer's output [T, B, D·Hr] and the final states stacked as the initial ones.
    /// </summary>
    public static (Tensor Output, Tensor H, Tensor? C) Run(RecurrentKind kind, Tensor x, Tensor h0, Tensor? c0, IReadOnlyList<DirectionWeights> weights,
        int numLayers, bool bidirectional, double dropout, bool training)
    {
        int dirs = bidirectional ? 2 : 1;
        var hs = h0.Split(1, 0);
        var cs = c0?.Split(1, 0);
        var hn = new Tensor[numLayers * dirs];
        var cn = new Tensor[numLayers * dirs];
        var input = x;
        for (int l = 0; l < numLayers; l++)
        {
            var outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++)
            {
                int k = l * dirs + d;
                (outs[d], hn[k], var c) = Layer(kind, input, hs[k].Squeeze(0), cs?[k].Squeeze(0), weights[k], reverse: d == 1);
                if (c is not null) cn[k] = c;
            }
            input = dirs == 1 ? outs[0] : Torch.Cat(outs, 2);
            if (dropout > 0 && training && l < numLayers - 1) input = Functional.Dropout(input, dropout, training: true);
        }
        return (input, Torch.Stack(hn, 0), c0 is null ? null : Torch.Stack(cn, 0));
    }

    /// <summary>One layer in one direction over the whole sequence; outputs stay in time order when it runs backwards.</summary>
    private static (Tensor Output, Tensor H, Tensor? C) Layer(RecurrentKind kind, Tensor x, Tensor h, Tensor? c, DirectionWeights w, bool reverse)
    {
        int steps = (int)x.Size(0);
        var inputGates = Functional.Linear(x, w.WeightIh, w.BiasIh).Split(1, 0);
        var outputs = new Tensor[steps];
        for (int k = 0; k < steps; k++)
        {
            int t = reverse ? steps - 1 - k : k;
            (h, c) = Step(kind, inputGates[t].Squeeze(0), h, c, w);
            outputs[t] = h;
        }
        return (Torch.Stack(outputs, 0), h, c);
    }

    /// <summary>One time step from the input's gate pre-activations <paramref name="inputGates"/> [B, G·H] (bias b_ih included).</summary>
    public static (Tensor H, Tensor? C) Step(RecurrentKind kind, Tensor inputGates, Tensor h, Tensor? c, DirectionWeights w)
    {
        var hiddenGates = Functional.Linear(h, w.WeightHh, w.BiasHh);
        switch (kind)
        {
            case RecurrentKind.RnnTanh:
                return ((hiddenGates + inputGates).Tanh(), null);
            case RecurrentKind.RnnRelu:
                return ((hiddenGates + inputGates).Relu(), null);
            case RecurrentKind.Lstm:
                {
                    var (hy, cy) = FusedRecurrentCells.Lstm(hiddenGates + inputGates, c!);
                    if (w.WeightHr is not null) hy = hy.Matmul(w.WeightHr.T());
                    return (hy, cy);
                }
            default:
                return (FusedRecurrentCells.Gru(inputGates, hiddenGates, h), null);
        }
    }
}
