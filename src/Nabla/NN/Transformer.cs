namespace Nabla.NN;

/// <summary>
/// The encoder–decoder Transformer of "Attention Is All You Need" (<c>torch.nn.Transformer</c>): a <see cref="TransformerEncoder"/> and a
/// <see cref="TransformerDecoder"/>, each with a final LayerNorm. As PyTorch does, after building both it re-initialises every
/// parameter with more than one dimension by <c>xavier_uniform_</c>, in parameter order; biases and norms keep their layer init.
/// </summary>
public class Transformer : Module
{
    /// <summary>The encoder stack (<c>encoder</c>).</summary>
    [StateName("encoder")] public Module Encoder;

    /// <summary>The decoder stack (<c>decoder</c>).</summary>
    [StateName("decoder")] public Module Decoder;

    /// <summary>Model size.</summary>
    public long DModel { get; }

    /// <summary>Heads per attention.</summary>
    public long Nhead { get; }

    /// <summary>Whether inputs are <c>[batch, seq, feature]</c>.</summary>
    public bool BatchFirst { get; }

    /// <summary>
    /// Creates the model (<c>nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
    /// dropout=0.1, activation=F.relu, custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05, batch_first=False, norm_first=False)</c>). A custom encoder or decoder replaces the built one.
    /// </summary>
    public Transformer(long dModel = 512, long nhead = 8, long numEncoderLayers = 6, long numDecoderLayers = 6, long dimFeedforward = 2048,
        double dropout = 0.1, TransformerActivation? activation = null, TransformerEncoder? customEncoder = null, TransformerDecoder? customDecoder = null,
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, DType dtype = DType.Float32)
    {
        Encoder = customEncoder ?? new TransformerEncoder(
            new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype),
            numEncoderLayers, new LayerNorm(dModel, layerNormEps, dtype: dtype));
        Decoder = customDecoder ?? new TransformerDecoder(
            new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype),
            numDecoderLayers, new LayerNorm(dModel, layerNormEps, dtype: dtype));
        foreach (var p in Parameters())
            if (p.Dim > 1) Init.XavierUniform_(p);
        DModel = dModel;
        Nhead = nhead;
        BatchFirst = batchFirst;
    }

    /// <summary>
    /// Encodes <paramref name="src"/> and decodes <paramref name="tgt"/> against it (<c>transformer(src, tgt, src_mask=None, tgt_mask=None,
    /// memory_mask=None, src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None)</c>).
    /// </summary>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask = null, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null)
    {
        bool batched = src.Dim == 3;
        if (batched && src.Size(BatchFirst ? 0 : 1) != tgt.Size(BatchFirst ? 0 : 1))
            throw new ArgumentException("the batch number of src and tgt must be equal");
        if (src.Size(-1) != DModel || tgt.Size(-1) != DModel)
            throw new ArgumentException("the feature number of src and tgt must be equal to d_model");
        var memory = ((TransformerEncoder)Encoder).Forward(src, srcMask, srcKeyPaddingMask);
        return ((TransformerDecoder)Decoder).Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /// <summary>Source and target.</summary>
    public override Tensor Forward(Tensor input, Tensor other) => Forward(input, other, null);

    /// <summary>Source and target, then optionally the source, target and memory masks.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        2 => Forward(inputs[0], inputs[1], null),
        3 => Forward(inputs[0], inputs[1], inputs[2]),
        4 => Forward(inputs[0], inputs[1], inputs[2], inputs[3]),
        5 => Forward(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]),
        _ => throw new InvalidOperationException($"Transformer takes 2 to 5 tensors, not {inputs.Length}"),
    };

    /// <summary>
    /// The causal mask for a sequence of <paramref name="sz"/>: an <c>[sz, sz]</c> float tensor with −∞ above the diagonal and 0 elsewhere
    /// (<c>nn.Transformer.generate_square_subsequent_mask(sz)</c>).
    /// </summary>
    public static Tensor GenerateSquareSubsequentMask(long sz, DType dtype = DType.Float32)
    {
        var values = new double[sz * sz];
        for (long i = 0; i < sz; i++)
            for (long j = i + 1; j < sz; j++) values[i * sz + j] = double.NegativeInfinity;
        return Torch.Tensor(values).Reshape(sz, sz).To(dtype);
    }
}
