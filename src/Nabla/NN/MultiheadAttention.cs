namespace Nabla.NN;

/// <summary>
/// The output projection of <see cref="MultiheadAttention"/>: a <see cref="Linear"/> under PyTorch's name
/// (<c>torch.nn.modules.linear.NonDynamicallyQuantizableLinear</c>), so the attention module prints as PyTorch's does.
/// </summary>
public class NonDynamicallyQuantizableLinear(long inFeatures, long outFeatures, bool bias = true, DType dtype = DType.Float32)
    : Linear(inFeatures, outFeatures, bias, dtype);

/// <summary>
/// Multi-head attention (<c>torch.nn.MultiheadAttention</c>): queries, keys and values are projected, split into
/// <see cref="NumHeads"/> heads that attend separately, joined, and projected by <see cref="OutProj"/>. State keys,
/// parameter order, repr and initialisation after a seed are PyTorch's. A bool mask means "not allowed" here (the
/// opposite of <see cref="Functional.ScaledDotProductAttention"/>); a float mask is added to the scores.
/// </summary>
public class MultiheadAttention : Module
{
    /// <summary>Packed query/key/value projection <c>[3E, E]</c> (state key <c>in_proj_weight</c>); null when kdim or vdim differ from E.</summary>
    [StateName("in_proj_weight")] public Parameter? InProjWeight;

    /// <summary>Query projection <c>[E, E]</c> when kdim or vdim differ from E (state key <c>q_proj_weight</c>).</summary>
    [StateName("q_proj_weight")] public Parameter? QProjWeight;

    /// <summary>Key projection <c>[E, kdim]</c> when kdim or vdim differ from E (state key <c>k_proj_weight</c>).</summary>
    [StateName("k_proj_weight")] public Parameter? KProjWeight;

    /// <summary>Value projection <c>[E, vdim]</c> when kdim or vdim differ from E (state key <c>v_proj_weight</c>).</summary>
    [StateName("v_proj_weight")] public Parameter? VProjWeight;

    /// <summary>Packed projection bias <c>[3E]</c> (state key <c>in_proj_bias</c>); null with bias: false.</summary>
    [StateName("in_proj_bias")] public Parameter? InProjBias;

    /// <summary>Output projection (state keys <c>out_proj.weight</c>, <c>out_proj.bias</c>).</summary>
    [StateName("out_proj")] public NonDynamicallyQuantizableLinear OutProj;

    /// <summary>Learnt key appended to every key sequence <c>[1, 1, E]</c> (state key <c>bias_k</c>), with addBiasKv.</summary>
    [StateName("bias_k")] public Parameter? BiasK;

    /// <summary>Learnt value appended to every value sequence <c>[1, 1, E]</c> (state key <c>bias_v</c>), with addBiasKv.</summary>
    [StateName("bias_v")] public Parameter? BiasV;

    /// <summary>Model size E.</summary>
    public long EmbedDim { get; }

    /// <summary>Size of the keys.</summary>
    public long Kdim { get; }

    /// <summary>Size of the values.</summary>
    public long Vdim { get; }

    /// <summary>Number of heads; E / NumHeads is the head size.</summary>
    public long NumHeads { get; }

    /// <summary>Dropout on the attention weights in training.</summary>
    public double DropoutP { get; }

    /// <summary>Whether inputs are <c>[batch, seq, feature]</c> rather than <c>[seq, batch, feature]</c>.</summary>
    public bool BatchFirst { get; }

    /// <summary>Whether a zero key and value are appended to every sequence.</summary>
    public bool AddZeroAttn { get; }

    /// <summary>Size of one head.</summary>
    public long HeadDim => EmbedDim / NumHeads;

    private bool QkvSameEmbedDim => Kdim == EmbedDim && Vdim == EmbedDim;

    /// <summary>
    /// Creates the layer (<c>nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
    /// kdim=None, vdim=None, batch_first=False)</c>). Initialisation as PyTorch: out_proj's Linear init, then <c>xavier_uniform_</c> on the
    /// input projection(s), zero biases, <c>xavier_normal_</c> on bias_k and bias_v.
    /// </summary>
    public MultiheadAttention(long embedDim, long numHeads, double dropout = 0.0, bool bias = true, bool addBiasKv = false, bool addZeroAttn = false,
        long? kdim = null, long? vdim = null, bool batchFirst = false, DType dtype = DType.Float32)
    {
        if (embedDim <= 0 || numHeads <= 0)
            throw new ArgumentException($"embed_dim and num_heads must be greater than 0, got embed_dim={embedDim} and num_heads={numHeads} instead");
        if (embedDim / numHeads * numHeads != embedDim) throw new ArgumentException("embed_dim must be divisible by num_heads");
        EmbedDim = embedDim;
        Kdim = kdim ?? embedDim;
        Vdim = vdim ?? embedDim;
        NumHeads = numHeads;
        DropoutP = dropout;
        BatchFirst = batchFirst;
        AddZeroAttn = addZeroAttn;
        if (QkvSameEmbedDim) InProjWeight = new Parameter(Torch.Empty([3 * embedDim, embedDim], dtype));
        else
        {
            QProjWeight = new Parameter(Torch.Empty([embedDim, embedDim], dtype));
            KProjWeight = new Parameter(Torch.Empty([embedDim, Kdim], dtype));
            VProjWeight = new Parameter(Torch.Empty([embedDim, Vdim], dtype));
        }
        if (bias) InProjBias = new Parameter(Torch.Empty([3 * embedDim], dtype));
        OutProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias, dtype);
        if (addBiasKv)
        {
            BiasK = new Parameter(Torch.Empty([1, 1, embedDim], dtype));
            BiasV = new Parameter(Torch.Empty([1, 1, embedDim], dtype));
        }
        ResetParameters();
    }

    /// <summary>Re-initialises the projections as the constructor does, except out_proj's weight (<c>_reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        if (InProjWeight is not null) Init.XavierUniform_(InProjWeight);
        else
        {
            Init.XavierUniform_(QProjWeight!);
            Init.XavierUniform_(KProjWeight!);
            Init.XavierUniform_(VProjWeight!);
        }
        if (InProjBias is not null)
        {
            Init.Constant_(InProjBias, 0);
            Init.Constant_(OutProj.Bias!, 0);
        }
        if (BiasK is not null) Init.XavierNormal_(BiasK);
        if (BiasV is not null) Init.XavierNormal_(BiasV);
    }

    /// <summary>
    /// Attends from <paramref name="query"/> to <paramref name="key"/>/<paramref name="value"/> (<c>mha(query, key, value, key_padding_mask=None,
    /// need_weights=True, attn_mask=None, average_attn_weights=True)</c>).
    /// </summary>
    /// <param name="query"><c>[N, L, E]</c> with batchFirst, <c>[L, N, E]</c> without, or unbatched <c>[L, E]</c>.</param>
    /// <param name="key">Keys, <c>[N, S, kdim]</c> / <c>[S, N, kdim]</c> / <c>[S, kdim]</c>.</param>
    /// <param name="value">Values, <c>[N, S, vdim]</c> / <c>[S, N, vdim]</c> / <c>[S, vdim]</c>.</param>
    /// <param name="keyPaddingMask"><c>[N, S]</c> (or <c>[S]</c> unbatched): bool true marks a key to ignore; a float mask is added.</param>
    /// <param name="needWeights">Whether to return the attention weights.</param>
    /// <param name="attnMask"><c>[L, S]</c> or <c>[N·heads, L, S]</c>: bool true means "not allowed"; a float mask is added to the scores.</param>
    /// <param name="averageAttnWeights">Average the weights over heads (<c>[N, L, S]</c>) rather than per head (<c>[N, heads, L, S]</c>).</param>
    /// <returns>The output, shaped like the query with E features, and the weights (null unless <paramref name="needWeights"/>).</returns>
    public (Tensor AttnOutput, Tensor? AttnWeights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        bool batched = CheckShapes(query, key, value, keyPaddingMask, attnMask);
        // Work batch-first: [N, L, E].
        if (!batched)
        {
            (query, key, value) = (query.Unsqueeze(0), key.Unsqueeze(0), value.Unsqueeze(0));
            keyPaddingMask = keyPaddingMask?.Unsqueeze(0);
        }
        else if (!BatchFirst) (query, key, value) = (query.Transpose(0, 1), key.Transpose(0, 1), value.Transpose(0, 1));
        long n = query.Size(0), l = query.Size(1);
        if (query.Size(2) != EmbedDim) throw new ArgumentException($"was expecting embedding dimension of {EmbedDim}, but got {query.Size(2)}");
        if (!QkvSameEmbedDim && (key.Size(0) != value.Size(0) || key.Size(1) != value.Size(1)))
            throw new ArgumentException($"key's sequence and batch dims {Shapes.Format(key._shape[..2])} do not match value's {Shapes.Format(value._shape[..2])}");
        if (QkvSameEmbedDim && !key.Shape.SequenceEqual(value.Shape))
            throw new ArgumentException($"key shape {Shapes.Format(key._shape)} does not match value shape {Shapes.Format(value._shape)}");

        var (q, k, v) = Project(query, key, value);
        if (BiasK is not null && BiasV is not null)
        {
            k = Torch.Cat([k, BiasK.Expand(n, 1, EmbedDim)], 1);
            v = Torch.Cat([v, BiasV.Expand(n, 1, EmbedDim)], 1);
        }
        q = SplitHeads(q);
        k = SplitHeads(k);
        v = SplitHeads(v);
        // Masks as [N or 1, heads or 1, L or 1, S] pieces, padded like the keys they cover.
        var mask = attnMask is null ? null : AttnMask4d(attnMask, n, l, key.Size(1));
        var padding = keyPaddingMask?.Reshape(n, 1, 1, keyPaddingMask.Size(-1));
        int extraKeys = (BiasK is not null ? 1 : 0) + (AddZeroAttn ? 1 : 0);
        if (AddZeroAttn)
        {
            k = Functional.Pad(k, [0, 0, 0, 1]);
            v = Functional.Pad(v, [0, 0, 0, 1]);
        }
        if (extraKeys > 0)
        {
            mask = mask is null ? null : Functional.Pad(mask, [0, extraKeys]);
            padding = padding is null ? null : Functional.Pad(padding, [0, extraKeys]);
        }
        Tensor? additive = null, disallowed = null;
        foreach (var m in (Tensor?[])[mask, padding])
        {
            if (m is null) continue;
            if (m.DType == DType.Bool) disallowed = disallowed is null ? m : disallowed | m;
            else additive = additive is null ? m : additive + m;
        }

        double dropout = Training ? DropoutP : 0.0;
        var (o, weights) = Functional.Attend(q, k, v, 1 / Math.Sqrt(HeadDim), additive, disallowed, dropout, null);
        var output = OutProj.Call(o.Permute(0, 2, 1, 3).Reshape(n, l, EmbedDim));
        if (!batched) output = output.Squeeze(0);
        else if (!BatchFirst) output = output.Transpose(0, 1);
        if (!needWeights) return (output, null);
        if (averageAttnWeights) weights = weights.Sum(1) / NumHeads;
        if (!batched) weights = weights.Squeeze(0);
        return (output, weights);
    }

    /// <summary>Self-attention of one input, as <c>mha(x, x, x)[0]</c>; this is what <see cref="Module.Call"/> and ONNX export run.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input, needWeights: false).AttnOutput;

    /// <summary>One input attends to itself; three are query, key and value; a fourth is the attention mask. Returns the attention output.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        1 => Forward(inputs[0]),
        3 => Forward(inputs[0], inputs[1], inputs[2], needWeights: false).AttnOutput,
        4 => Forward(inputs[0], inputs[1], inputs[2], needWeights: false, attnMask: inputs[3]).AttnOutput,
        _ => throw new InvalidOperationException($"MultiheadAttention takes 1, 3 or 4 tensors, not {inputs.Length}"),
    };

    /// <summary>Batch-first q, k, v → their projections <c>[N, L or S, E]</c> (packed weight split in q, k, v order).</summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor query, Tensor key, Tensor value)
    {
        Tensor? bq = null, bk = null, bv = null;
        if (InProjBias is not null)
        {
            var b = InProjBias.Chunk(3);
            (bq, bk, bv) = (b[0], b[1], b[2]);
        }
        if (InProjWeight is null)
            return (Functional.Linear(query, QProjWeight!, bq), Functional.Linear(key, KProjWeight!, bk), Functional.Linear(value, VProjWeight!, bv));
        var w = InProjWeight.Chunk(3);
        return (Functional.Linear(query, w[0], bq), Functional.Linear(key, w[1], bk), Functional.Linear(value, w[2], bv));
    }

    /// <summary><c>[N, T, E]</c> → <c>[N, heads, T, head_dim]</c>.</summary>
    private Tensor SplitHeads(Tensor x) => x.Reshape(x.Size(0), x.Size(1), NumHeads, HeadDim).Permute(0, 2, 1, 3);

    /// <summary>A 2-D mask <c>[L, S]</c> broadcasts over batch and heads; a 3-D one <c>[N·heads, L, S]</c> becomes <c>[N, heads, L, S]</c>.</summary>
    private Tensor AttnMask4d(Tensor attnMask, long n, long l, long s)
    {
        if (attnMask.DType != DType.Bool && !attnMask.DType.IsFloatingPoint())
            throw new ArgumentException($"Only float, byte, and bool types are supported for attn_mask, not {attnMask.DType.TorchName()}");
        if (attnMask.Dim == 2)
        {
            if (attnMask.Size(0) != l || attnMask.Size(1) != s)
                throw new ArgumentException($"The shape of the 2D attn_mask is {PythonSize(attnMask._shape)}, but should be ({l}, {s}).");
            return attnMask;
        }
        if (attnMask.Size(0) != n * NumHeads || attnMask.Size(1) != l || attnMask.Size(2) != s)
            throw new ArgumentException($"The shape of the 3D attn_mask is {PythonSize(attnMask._shape)}, but should be ({n * NumHeads}, {l}, {s}).");
        return attnMask.Reshape(n, NumHeads, l, s);
    }

    private static string PythonSize(long[] shape) => $"torch.Size([{string.Join(", ", shape)}])";

    /// <summary>PyTorch's <c>_mha_shape_check</c>: whether the inputs are batched, with its messages.</summary>
    private bool CheckShapes(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask, Tensor? attnMask)
    {
        if (keyPaddingMask is not null && keyPaddingMask.DType != DType.Bool && !keyPaddingMask.DType.IsFloatingPoint())
            throw new ArgumentException("only bool and floating types of key_padding_mask are supported");
        if (query.Dim == 3)
        {
            if (key.Dim != 3 || value.Dim != 3)
                throw new ArgumentException($"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found {key.Dim}-D and {value.Dim}-D tensors respectively");
            if (keyPaddingMask is not null && keyPaddingMask.Dim != 2)
                throw new ArgumentException($"For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found {keyPaddingMask.Dim}-D tensor instead");
            if (attnMask is not null && attnMask.Dim is not (2 or 3))
                throw new ArgumentException($"For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found {attnMask.Dim}-D tensor instead");
            return true;
        }
        if (query.Dim == 2)
        {
            if (key.Dim != 2 || value.Dim != 2)
                throw new ArgumentException($"For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found {key.Dim}-D and {value.Dim}-D tensors respectively");
            if (keyPaddingMask is not null && keyPaddingMask.Dim != 1)
                throw new ArgumentException($"For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found {keyPaddingMask.Dim}-D tensor instead");
            if (attnMask is not null && attnMask.Dim is not (2 or 3))
                throw new ArgumentException($"For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found {attnMask.Dim}-D tensor instead");
            if (attnMask is { Dim: 3 } && (attnMask.Size(0) != NumHeads || attnMask.Size(1) != query.Size(0) || attnMask.Size(2) != key.Size(0)))
                throw new ArgumentException($"Expected `attn_mask` shape to be ({NumHeads}, {query.Size(0)}, {key.Size(0)}) but got {PythonSize(attnMask._shape)}");
            return false;
        }
        throw new ArgumentException($"query should be unbatched 2D or batched 3D tensor but received {query.Dim}-D query tensor");
    }
}
