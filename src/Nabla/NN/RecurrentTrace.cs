namespace Nabla.NN;

/// <summary>The attributes of a traced <c>rnn</c> op: everything the ONNX lowering needs to rebuild the layer or cell.</summary>
internal static class RecurrentTrace
{
    public static Dictionary<string, object> Attributes(RecurrentKind kind, long hiddenSize, int numLayers, bool bidirectional, bool batchFirst,
        bool bias, long projSize, bool hasH0, bool hasC0, bool cell, double dropout, bool training) => new()
        {
            ["mode"] = kind.Name(),
            ["hidden_size"] = hiddenSize,
            ["num_layers"] = (long)numLayers,
            ["bidirectional"] = bidirectional,
            ["batch_first"] = batchFirst,
            ["bias"] = bias,
            ["proj_size"] = projSize,
            ["has_h0"] = hasH0,
            ["has_c0"] = hasC0,
            ["cell"] = cell,
            ["dropout"] = training && numLayers > 1 ? dropout : 0.0,
        };
}
