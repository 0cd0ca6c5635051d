using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>The fused LSTM and GRU gate ops give the values of the elementwise composition PyTorch's CPU cells run, bit for bit.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class FusedGateTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void LstmGatesEqualTheComposition(DType dtype)
    {
        Torch.ManualSeed(21);
        var gates = Torch.Randn([3, 20], dtype) * 2.0;
        var c = Torch.Randn([3, 5], dtype);
        var (h, cy) = FusedRecurrentCells.Lstm(gates, c);
        var g = gates.Chunk(4, 1);
        var expectedC = g[1].Sigmoid() * c + g[0].Sigmoid() * g[2].Tanh();
        TensorAssert.Equal(expectedC, cy);
        TensorAssert.Equal(g[3].Sigmoid() * expectedC.Tanh(), h);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GruGatesEqualTheComposition(DType dtype)
    {
        Torch.ManualSeed(22);
        var ig = Torch.Randn([3, 15], dtype) * 2.0;
        var hg = Torch.Randn([3, 15], dtype) * 2.0;
        var h = Torch.Randn([3, 5], dtype);
        var i = ig.Chunk(3, 1);
        var s = hg.Chunk(3, 1);
        var r = (s[0] + i[0]).Sigmoid();
        var z = (s[1] + i[1]).Sigmoid();
        var n = (i[2] + s[2] * r).Tanh();
        TensorAssert.Equal((h - n) * z + n, FusedRecurrentCells.Gru(ig, hg, h));
    }

    [Fact]
    public void FusedNodesCarryPyTorchsFusedCellNames()
    {
        var gates = Torch.Randn([2, 8], requiresGrad: true);
        var c = Torch.Randn(2, 2);
        Assert.Equal("ThnnFusedLstmCellBackward0", FusedRecurrentCells.Lstm(gates, c).H.GradFn?.Name);
        Assert.Equal("ThnnFusedGruCellBackward0", FusedRecurrentCells.Gru(Torch.Randn([2, 6], requiresGrad: true), Torch.Randn(2, 6), Torch.Randn(2, 2)).GradFn?.Name);
    }
}
