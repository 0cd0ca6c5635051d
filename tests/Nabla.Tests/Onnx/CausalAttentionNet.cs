using Nabla.NN;

namespace Nabla.Tests.Onnx;

/// <summary>Causal scaled dot-product attention over a projection of the input: the export case for the traced causal mask.</summary>
internal sealed class CausalAttentionNet : Module
{
    public Linear qkv = new(8, 24);

    public override Tensor Forward(Tensor x)
    {
        var parts = qkv.Call(x).Chunk(3, -1);
        return Functional.ScaledDotProductAttention(parts[0], parts[1], parts[2], isCausal: true);
    }
}
