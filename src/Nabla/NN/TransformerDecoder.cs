namespace Nabla.NN;

/// <summary>
/// A stack of decoder layers (<c>torch.nn.TransformerDecoder</c>): deep copies of one layer, as <see cref="TransformerEncoder"/>, and an
/// optional final norm.
/// </summary>
public class TransformerDecoder : Module
{
    /// <summary>The layers (<c>layers</c>).</summary>
    [StateName("layers")] public ModuleList Layers;

    /// <summary>Final normalisation, or null (<c>norm</c>).</summary>
    [StateName("norm")] public Module? Norm;

    /// <summary>Number of layers.</summary>
    public long NumLayers { get; }

    /// <summary>Creates the stack (<c>nn.TransformerDecoder(decoder_layer, num_layers, norm=None)</c>).</summary>
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, long numLayers, Module? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        Layers = new ModuleList(Enumerable.Range(0, checked((int)numLayers)).Select(_ => decoderLayer.DeepCopy()));
        NumLayers = numLayers;
        Norm = norm;
    }

    /// <summary>
    /// Runs every layer on the target with the memory, then the norm (<c>decoder(tgt, memory, tgt_mask=None, memory_mask=None,
    /// tgt_key_padding_mask=None, memory_key_padding_mask=None)</c>).
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null)
    {
        var output = tgt;
        foreach (var layer in Layers)
            output = ((TransformerDecoderLayer)layer).Forward(output, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return Norm is null ? output : Norm.Call(output);
    }

    /// <summary>The target and the memory.</summary>
    public override Tensor Forward(Tensor input, Tensor other) => Forward(input, other, null);

    /// <summary>Target and memory, then optionally the target mask and the memory mask.</summary>
    public override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        2 => Forward(inputs[0], inputs[1], null),
        3 => Forward(inputs[0], inputs[1], inputs[2]),
        4 => Forward(inputs[0], inputs[1], inputs[2], inputs[3]),
        _ => throw new InvalidOperationException($"TransformerDecoder takes 2 to 4 tensors, not {inputs.Length}"),
    };
}
