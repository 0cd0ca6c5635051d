using Nabla.Tracing;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Attention of queries <c>[..., L, E]</c> over keys <c>[..., S, E]</c> and values <c>[..., S, Ev]</c>, giving <c>[..., L, Ev]</c>
    /// (<c>F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None)</c>,
    /// PyTorch 2.x): <c>softmax(q kᵀ · scale + bias) v</c>, computed as PyTorch's documented math reference does.
    /// </summary>
    /// <param name="query">Queries, <c>[..., L, E]</c>.</param>
    /// <param name="key">Keys, <c>[..., S, E]</c>; leading dims broadcast with the query's.</param>
    /// <param name="value">Values, <c>[..., S, Ev]</c>.</param>
    /// <param name="attnMask">Broadcastable to <c>[..., L, S]</c>. A bool mask says which positions take part (true) — the opposite of
    /// <see cref="MultiheadAttention"/>'s; a float mask is added to the scores.</param>
    /// <param name="dropoutP">Dropout on the attention weights, drawn from the generator as <see cref="Dropout"/> draws it (PyTorch's math path
    /// calls <c>dropout(attn, p, train=True)</c>): pass 0 in evaluation.</param>
    /// <param name="isCausal">Query i sees keys 0..i only (the lower triangle of an <c>[L, S]</c> matrix); no <paramref name="attnMask"/> then.</param>
    /// <param name="scale">Factor on the scores; default <c>1/√E</c>.</param>
    /// <param name="generator">Generator for the dropout mask; the default generator when null.</param>
    /// <remarks>A row whose every key is masked out gives NaN, as the reference formula does.</remarks>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, double dropoutP = 0.0,
        bool isCausal = false, double? scale = null, Generator? generator = null)
    {
        if (query.Dim < 2 || key.Dim < 2 || value.Dim < 2)
            throw new ArgumentException($"scaled_dot_product_attention: expected query, key and value to have at least 2 dimensions, got {query.Dim}, {key.Dim} and {value.Dim}");
        if (query.Size(-1) != key.Size(-1))
            throw new ArgumentException($"scaled_dot_product_attention: the embedding size of query ({query.Size(-1)}) and key ({key.Size(-1)}) must match");
        if (key.Size(-2) != value.Size(-2))
            throw new ArgumentException($"scaled_dot_product_attention: key and value must have the same sequence length, got {key.Size(-2)} and {value.Size(-2)}");
        if (isCausal && attnMask is not null)
            throw new ArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
        if (attnMask is not null && attnMask.DType != DType.Bool && !attnMask.DType.IsFloatingPoint())
            throw new ArgumentException($"scaled_dot_product_attention: expected attn_mask dtype to be bool or float, got {attnMask.DType.TorchName()}");
        if (dropoutP < 0 || dropoutP > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PythonRepr.Float(dropoutP)}");

        Tensor? additive = null, disallowed = null;
        if (isCausal) disallowed = CausalDisallowed(query, key);
        else if (attnMask is { DType: DType.Bool }) disallowed = attnMask.LogicalNot();
        else additive = attnMask;
        double s = scale ?? 1 / Math.Sqrt(query.Size(-1));
        return Attend(query, key, value, s, additive, disallowed, dropoutP, generator).Output;
    }

    /// <summary>
    /// The attention core shared by <see cref="ScaledDotProductAttention"/> and <see cref="MultiheadAttention"/>:
    /// scores <c>q kᵀ · scale</c>, plus <paramref name="additive"/>, −∞ where <paramref name="disallowed"/> is true,
    /// softmax over the keys, dropout, then the weighted sum of values. Returns the output and the weights (after dropout).
    /// </summary>
    internal static (Tensor Output, Tensor Weights) Attend(Tensor q, Tensor k, Tensor v, double scale, Tensor? additive, Tensor? disallowed,
        double dropoutP, Generator? generator)
    {
        var scores = q.Matmul(k.Transpose(-2, -1)) * scale;
        if (additive is not null) scores = scores + additive;
        if (disallowed is not null) scores = scores.MaskedFill(disallowed, double.NegativeInfinity);
        var weights = Softmax(scores, -1);
        if (dropoutP > 0) weights = Dropout(weights, dropoutP, training: true, generator: generator);
        return (weights.Matmul(v), weights);
    }

    /// <summary>
    /// True above the diagonal of an <c>[L, S]</c> matrix (key j comes after query i), for the lengths of <paramref name="query"/> and
    /// <paramref name="key"/>. Traced as one op whose ONNX lowering reads both lengths at run time, so exports keep them dynamic.
    /// </summary>
    internal static Tensor CausalDisallowed(Tensor query, Tensor key)
    {
        long l = query.Size(-2), s = key.Size(-2);
        var mask = new bool[l * s];
        for (long i = 0; i < l; i++)
            for (long j = i + 1; j < s; j++) mask[i * s + j] = true;
        Tensor r;
        using (Trace.Suspend()) r = Tensor.FromArray(mask, [l, s]);
        if (Trace.Active) Trace.Record("causal_mask", [query, key], r);
        return r;
    }
}
