using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Kernels;

/// <summary>Matrix products of views read the views in place and give the values of their contiguous copies.</summary>
public class MatmulWiringTests
{
    [Theory]
    [InlineData(40, 300, 37)]
    [InlineData(6, 16, 16)]
    [InlineData(3, 4, 5)]
    public void MatmulOfTransposedViewsEqualsMatmulOfContiguousCopies(int m, int k, int n)
    {
        var rng = new System.Random(m + k + n);
        var at = Values(rng, k, m).T();
        var bt = Values(rng, n, k).T();
        TensorAssert.Equal(at.Contiguous().Matmul(bt.Contiguous()), at.Matmul(bt));
        var sliced = Values(rng, m, 2 * k)[TensorIndex.Ellipsis, TensorIndex.Slice(null, null, 2)];
        TensorAssert.Equal(sliced.Contiguous().Matmul(bt.Contiguous()), sliced.Matmul(bt));
        var batched = Values(rng, 2 * k * m, 1).View(2, k, m).Transpose(1, 2);
        var offset = Values(rng, k * n + 5, 1).View(-1)[TensorIndex.Slice(5, null)].View(k, n);
        TensorAssert.Equal(batched.Contiguous().Matmul(offset.Contiguous()), batched.Matmul(offset));
    }

    [Fact]
    public void MmBackwardThroughTransposedViewsMatchesContiguousCopies()
    {
        var rng = new System.Random(4);
        var a = Values(rng, 30, 50).RequiresGrad_();
        var b = Values(rng, 50, 20).RequiresGrad_();
        var g = Values(rng, 30, 20);
        a.Mm(b).Backward(g);
        TensorAssert.Equal(g.Mm(b.Detach().T().Contiguous()), a.Grad!);
        TensorAssert.Equal(a.Detach().T().Contiguous().Mm(g), b.Grad!);
    }

    internal static Tensor Values(System.Random rng, long rows, long cols)
        => Torch.Tensor(Enumerable.Range(0, (int)(rows * cols)).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).View(rows, cols);
}

/// <summary>Sequential's fused Linear + ReLU inference path gives exactly the unfused values; hooks and autograd keep the unfused path.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class LinearReluFusionTests
{
    [Theory]
    [InlineData(64, 100, 70)] // packed
    [InlineData(1, 300, 50)] // vector
    [InlineData(2, 3, 4)] // direct
    public void FusedInferenceEqualsUnfused(int batch, int inFeatures, int outFeatures)
    {
        var model = new Sequential(new Linear(inFeatures, outFeatures), new ReLU(), new Linear(outFeatures, 3), new ReLU(inplace: true));
        var x = MatmulWiringTests.Values(new System.Random(batch), batch, inFeatures);
        var l0 = (Linear)model[0];
        var l2 = (Linear)model[2];
        Tensor expected, fused;
        using (Torch.NoGrad())
        {
            expected = Functional.Relu(Functional.Linear(Functional.Relu(Functional.Linear(x, l0.Weight, l0.Bias)), l2.Weight, l2.Bias));
            fused = model.Call(x);
        }
        TensorAssert.Equal(expected, fused);
        var withGrad = model.Call(x);
        Assert.Equal("ReluBackward0", withGrad.GradFn?.Name);
        TensorAssert.Equal(expected, withGrad.Detach());
    }

    [Fact]
    public void HooksKeepTheModulesCalled()
    {
        var model = new Sequential(new Linear(4, 3), new ReLU());
        int calls = 0;
        using var handle = model[1].RegisterForwardHook((_, _, output) => { calls++; return null; });
        using (Torch.NoGrad()) model.Call(MatmulWiringTests.Values(new System.Random(1), 2, 4));
        Assert.Equal(1, calls);
    }
}
