namespace Nabla.NN;

/// <summary>
/// One Transformer decoder block (<c>torch.nn.TransformerDecoderLayer</c>): self-attention, attention over the encoder's memory, and a
/// feed-forward network, each with dropout, a residual connection and layer normalisation (post-norm, or pre-norm with normFirst).
/// </summary>
public class TransformerDecoderLayer : Module
{
    /// <summary>Self-attention over the target (<c>self_attn</c>).</summary>
    [StateName("self_attn")] public MultiheadAttention SelfAttn;

    /// <summary>Attention from the target to the memory (<c>multihead_attn</c>).</summary>
    [StateName("multihead_attn")] public MultiheadAttention MultiheadAttn;

    /// <summary>First feed-forward projection (<c>linear1</c>).</summary>
    [StateName("linear1")] public Linear Linear1;

    /// <summary>Dropout inside the feed-forward network (<c>dropout</c>).</summary>
    [StateName("dropout")] public Dropout Dropout;

    /// <summary>Second feed-forward projection (<c>linear2</c>).</summary>
    [StateName("linear2")] public Linear Linear2;

    /// <summary>Normalisation of the self-attention block (<c>norm1</c>).</summary>
    [StateName("norm1")] public LayerNorm Norm1;

    /// <summary>Normalisation of the memory-attention block (<c>norm2</c>).</summary>
    [StateName("norm2")] public LayerNorm Norm2;

    /// <summary>Normalisation of the feed-forward block (<c>norm3</c>).</summary>
    [StateName("norm3")] public LayerNorm Norm3;

    /// <summary>Dropout on the self-attention output (<c>dropout1</c>).</summary>
    [StateName("dropout1")] public Dropout Dropout1;

    /// <summary>Dropout on the memory-attention output (<c>dropout2</c>).</summary>
    [StateName("dropout2")] public Dropout Dropout2;

    /// <summary>Dropout on the feed-forward output (<c>dropout3</c>).</summary>
    [StateName("dropout3")] public Dropout Dropout3;

    /// <summary>The feed-forward activation.</summary>
    public TransformerActivation Activation { get; }

    /// <summary>Whether normalisation comes before each block.</summary>
    public bool NormFirst { get; }

    /// <summary>
    /// Creates the layer (<c>nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
    /// layer_norm_eps=1e-05, batch_first=False, norm_first=False)</c>); activation is "relu", "gelu" or a function.
    /// </summary>
    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, TransformerActivation? activation = null,
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, DType dtype = DType.Float32)
    {
        SelfAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, dtype: dtype);
        MultiheadAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, dtype: dtype);
        Linear1 = new Linear(dModel, dimFeedforward, dtype: dtype);
        Dropout = new Dropout(dropout);
        Linear2 = new Linear(dimFeedforward, dModel, dtype: dtype);
        NormFirst = normFirst;
        Norm1 = new LayerNorm(dModel, layerNormEps, dtype: dtype);
        Norm2 = new LayerNorm(dModel, layerNormEps, dtype: dtype);
        Norm3 = new LayerNorm(dModel, layerNormEps, dtype: dtype);
        Dropout1 = new Dropout(dropout);
        Dropout2 = new Dropout(dropout);
        Dropout3 = new Dropout(dropout);
        Activation = activation ?? TransformerActivation.FromName("relu");
    }

    /// <summary>
    /// Runs the layer (<c>layer(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None)</c>).
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null)
    {
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(Norm1.Call(x), tgtMask, tgtKeyPaddingMask);
            x = x + MemoryAttentionBlock(Norm2.Call(x), memory, memoryMask, memoryKeyPaddingMask);
            return x + FeedForwardBlock(Norm3.Call(x));
        }
        x = Norm1.Call(x + SelfAttentionBlock(x, tgtMask, tgtKeyPaddingMask));
        x = Norm2.Call(x + MemoryAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask));
        return Norm3.Call(x + FeedForwardBlock(x));
    }

    /// <summary>The target and the memory.</summary>
    public override Tensor Forward(Tensor input, Tensor other) => Forward(input, other, null);

    /// <summary>Target and memory, then optionally the target mask and the memory mask.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        2 => Forward(inputs[0], inputs[1], null),
        3 => Forward(inputs[0], inputs[1], inputs[2]),
        4 => Forward(inputs[0], inputs[1], inputs[2], inputs[3]),
        _ => throw new InvalidOperationException($"TransformerDecoderLayer takes 2 to 4 tensors, not {inputs.Length}"),
    };

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask)
        => Dropout1.Call(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask).AttnOutput);

    private Tensor MemoryAttentionBlock(Tensor x, Tensor memory, Tensor? mask, Tensor? keyPaddingMask)
        => Dropout2.Call(MultiheadAttn.Forward(x, memory, memory, keyPaddingMask, needWeights: false, attnMask: mask).AttnOutput);

    private Tensor FeedForwardBlock(Tensor x) => Dropout3.Call(Linear2.Call(Dropout.Call(Activation.Function(Linear1.Call(x)))));
}
