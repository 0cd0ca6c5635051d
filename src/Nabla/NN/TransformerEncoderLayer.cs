namespace Nabla.NN;

/// <summary>
/// One Transformer encoder block (<c>torch.nn.TransformerEncoderLayer</c>): self-attention then a feed-forward network, each with
/// dropout, a residual connection and layer normalisation, after the block (post-norm, the default) or before it (normFirst).
/// State keys are PyTorch's (<c>self_attn.in_proj_weight</c>, <c>linear1.weight</c>, <c>norm1.weight</c>, ...).
/// </summary>
public class TransformerEncoderLayer : Module
{
    /// <summary>Self-attention (state prefix <c>self_attn</c>).</summary>
    [StateName("self_attn")] public MultiheadAttention SelfAttn;

    /// <summary>First feed-forward projection, dModel → dimFeedforward (<c>linear1</c>).</summary>
    [StateName("linear1")] public Linear Linear1;

    /// <summary>Dropout inside the feed-forward network (<c>dropout</c>).</summary>
    [StateName("dropout")] public Dropout Dropout;

    /// <summary>Second feed-forward projection, dimFeedforward → dModel (<c>linear2</c>).</summary>
    [StateName("linear2")] public Linear Linear2;

    /// <summary>Normalisation of the attention block (<c>norm1</c>).</summary>
    [StateName("norm1")] public LayerNorm Norm1;

    /// <summary>Normalisation of the feed-forward block (<c>norm2</c>).</summary>
    [StateName("norm2")] public LayerNorm Norm2;

    /// <summary>Dropout on the attention output (<c>dropout1</c>).</summary>
    [StateName("dropout1")] public Dropout Dropout1;

    /// <summary>Dropout on the feed-forward output (<c>dropout2</c>).</summary>
    [StateName("dropout2")] public Dropout Dropout2;

    /// <summary>The feed-forward activation.</summary>
    public TransformerActivation Activation { get; }

    /// <summary>Whether normalisation comes before each block rather than after the residual sum.</summary>
    public bool NormFirst { get; }

    /// <summary>
    /// Creates the layer (<c>nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
    /// layer_norm_eps=1e-05, batch_first=False, norm_first=False)</c>); activation is "relu", "gelu" or a function; submodules are built, and draw their init, in PyTorch's order.
    /// </summary>
    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, TransformerActivation? activation = null,
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, DType dtype = DType.Float32)
    {
        SelfAttn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst, dtype: dtype);
        Linear1 = new Linear(dModel, dimFeedforward, dtype: dtype);
        Dropout = new Dropout(dropout);
        Linear2 = new Linear(dimFeedforward, dModel, dtype: dtype);
        NormFirst = normFirst;
        Norm1 = new LayerNorm(dModel, layerNormEps, dtype: dtype);
        Norm2 = new LayerNorm(dModel, layerNormEps, dtype: dtype);
        Dropout1 = new Dropout(dropout);
        Dropout2 = new Dropout(dropout);
        Activation = activation ?? TransformerActivation.FromName("relu");
    }

    /// <summary>
    /// Runs the layer (<c>layer(src, src_mask=None, src_key_padding_mask=None)</c>); masks as <see cref="MultiheadAttention.Forward(Tensor, Tensor, Tensor, Tensor?, bool, Tensor?, bool)"/>
    /// takes them (bool true = not allowed, float added).
    /// </summary>
    public Tensor Forward(Tensor src, Tensor? srcMask = null, Tensor? srcKeyPaddingMask = null)
    {
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttentionBlock(Norm1.Call(x), srcMask, srcKeyPaddingMask);
            return x + FeedForwardBlock(Norm2.Call(x));
        }
        x = Norm1.Call(x + SelfAttentionBlock(x, srcMask, srcKeyPaddingMask));
        return Norm2.Call(x + FeedForwardBlock(x));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>The source and its attention mask.</summary>
    public override Tensor Forward(Tensor input, Tensor other) => Forward(input, srcMask: other);

    /// <summary>Source; source and mask; or source, mask and key padding mask.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        1 or 2 => base.Forward(inputs),
        3 => Forward(inputs[0], inputs[1], inputs[2]),
        _ => throw new InvalidOperationException($"TransformerEncoderLayer takes 1 to 3 tensors, not {inputs.Length}"),
    };

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask)
        => Dropout1.Call(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask).AttnOutput);

    private Tensor FeedForwardBlock(Tensor x) => Dropout2.Call(Linear2.Call(Dropout.Call(Activation.Function(Linear1.Call(x)))));
}
