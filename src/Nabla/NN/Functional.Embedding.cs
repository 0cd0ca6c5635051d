using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> ([num_embeddings, dim]) by integer <paramref name="indices"/> of any shape
    /// (<c>F.embedding(input, weight, padding_idx)</c>); the result has shape indices.shape + [dim]. In backward, repeated
    /// indices accumulate and the <paramref name="paddingIdx"/> row gets no gradient.
    /// </summary>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null)
    {
        if (indices.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {indices.DType.TorchName()} instead (while checking arguments for embedding)");
        if (weight.Dim != 2) throw new ArgumentException("'weight' must be 2-D");
        long num = weight._shape[0], dim = weight._shape[1];
        long pad = paddingIdx is { } pi ? (pi < 0 ? pi + num : pi) : -1;
        if (paddingIdx is not null && (pad < 0 || pad >= num)) throw new ArgumentException("Padding_idx must be within num_embeddings");
        var flat = Tensor.FromArray(indices.CastRaw(DType.Int64).Span<long>().ToArray(), [indices.Numel()]);
        foreach (var i in flat.Span<long>())
            if (i < 0 || i >= num) throw new IndexOutOfRangeException("index out of range in self");
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = weight.Detach().IndexSelect(0, flat).Reshape([.. indices._shape, dim]);
        if (Graph.Needs(weight))
            Graph.Record("EmbeddingBackward0", r, [weight], g => [DoubleBackward.Linear("EmbeddingDenseBackwardBackward0", g, gg =>
            {
                var gw = Tensor.Empty(weight._shape, gg.DType);
                var gc = gg.ContiguousRaw();
                if (gg.DType == DType.Float32) EmbeddingKernels.Backward(gc.Span<float>(), flat.Span<long>(), (int)dim, pad, gw.MutableSpan<float>());
                else EmbeddingKernels.Backward(gc.Span<double>(), flat.Span<long>(), (int)dim, pad, gw.MutableSpan<double>());
                return gw;
            },
            // The adjoint reads the rows back; the padding row, which got no gradient, gives none.
            ggw => (pad < 0 ? ggw : ggw.MaskedFill(Torch.Arange(num).Eq(pad).Unsqueeze(1), 0.0)).IndexSelect(0, flat).Reshape(g._shape))]);
        if (Trace.Active)
            Trace.Record("embedding", [weight, indices], r, new Dictionary<string, object> { ["padding_idx"] = pad });
        return r;
    }
}
