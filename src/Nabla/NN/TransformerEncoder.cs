namespace Nabla.NN;

/// <summary>
/// A stack of encoder layers (<c>torch.nn.TransformerEncoder</c>). As in PyTorch, the stack holds <c>numLayers</c> deep copies of the
/// layer it is given — all layers start with equal weights, and the given layer itself is not part of the stack — followed by an
/// optional final norm. State keys: <c>layers.0.self_attn.in_proj_weight</c>, ..., <c>norm.weight</c>.
/// </summary>
public class TransformerEncoder : Module
{
    /// <summary>The layers (<c>layers</c>).</summary>
    [StateName("layers")] public ModuleList Layers;

    /// <summary>Final normalisation, or null (<c>norm</c>).</summary>
    [StateName("norm")] public Module? Norm;

    /// <summary>Number of layers.</summary>
    public long NumLayers { get; }

    /// <summary>Creates the stack (<c>nn.TransformerEncoder(encoder_layer, num_layers, norm=None)</c>).</summary>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, long numLayers, Module? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        Layers = new ModuleList(Enumerable.Range(0, checked((int)numLayers)).Select(_ => encoderLayer.DeepCopy()));
        NumLayers = numLayers;
        Norm = norm;
    }

    /// <summary>Runs every layer, then the norm (<c>encoder(src, mask=None, src_key_padding_mask=None)</c>).</summary>
    public Tensor Forward(Tensor src, Tensor? mask = null, Tensor? srcKeyPaddingMask = null)
    {
        if (srcKeyPaddingMask is not null && srcKeyPaddingMask.DType != DType.Bool && !srcKeyPaddingMask.DType.IsFloatingPoint())
            throw new ArgumentException("only bool and floating types of key_padding_mask are supported");
        var output = src;
        foreach (var layer in Layers) output = ((TransformerEncoderLayer)layer).Forward(output, mask, srcKeyPaddingMask);
        return Norm is null ? output : Norm.Call(output);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>The source and its attention mask.</summary>
    public override Tensor Forward(Tensor input, Tensor other) => Forward(input, mask: other);

    /// <summary>Source; source and mask; or source, mask and key padding mask.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length == 3 ? Forward(inputs[0], inputs[1], inputs[2]) : base.Forward(inputs);
}
