using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>Backward of every core op against PyTorch's gradients, and the autograd engine's behaviour (goldens/core.json).</summary>
public class AutogradTests
{
    private static JsonElement Golden(string name) => OpCases.Core.GetProperty("autograd").GetProperty(name);

    public static TheoryData<string> DifferentiableCases() => OpCases.Names(OpCases.HasGrads);

    [Theory]
    [MemberData(nameof(DifferentiableCases))]
    public void InputGradientsMatchPyTorch(string name)
    {
        var c = OpCases.Get(name);
        var (leaves, inputs) = OpCases.Inputs(c);
        var y = OpCases.Run(c, inputs)[0];
        y.Backward(Goldens.Tensor(c.GetProperty("gout")));
        var expected = c.GetProperty("grads").EnumerateArray().ToArray();
        // Float64 grads are held to 1e-12 only when nothing was computed in float32 on the way.
        bool allFloat64 = leaves.All(t => t.DType != DType.Float32);
        for (int i = 0; i < leaves.Length; i++)
        {
            if (expected[i].ValueKind == JsonValueKind.Null)
            {
                Assert.Null(leaves[i].Grad);
                continue;
            }
            Assert.NotNull(leaves[i].Grad);
            var e = Goldens.Tensor(expected[i]);
            if (allFloat64) TensorAssert.Close(e, leaves[i].Grad!, 1e-12, 1e-12, $"{name} grad {i}");
            else TensorAssert.Close(e, leaves[i].Grad!, 1e-6, 1e-6, $"{name} grad {i}");
        }
    }

    [Fact]
    public void GradIsNullUntilBackwardAndForTensorsThatDoNotRequireIt()
    {
        var w = Torch.Tensor(new[] { 2f }, requiresGrad: true);
        var c = Torch.Tensor(new[] { 3f });
        var y = (w * c).Sum();
        Assert.Null(w.Grad);
        y.Backward();
        Assert.Equal([3f], w.Grad!.ToArray<float>());
        Assert.Null(c.Grad);
        Assert.Null(y.Grad); // a non-leaf keeps no grad unless retained
    }

    [Fact]
    public void GradsAccumulateUntilSetToNull()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        TensorAssert.Equal(Goldens.Tensor(Golden("twice_retained")), x.Grad!);
        x.Grad = null;
        (x * 3).Sum().Backward();
        Assert.Equal([3f, 3f, 3f], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void SecondBackwardIsAllowedWhenNoTensorsWereSaved()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = (x + 1).Sum();
        y.Backward();
        y.Backward();
        TensorAssert.Equal(Goldens.Tensor(Golden("twice_without_saved")), x.Grad!);
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var z = x * 2;
        z.RetainGrad();
        Assert.True(z.RetainsGrad);
        (z * z).Sum().Backward();
        TensorAssert.Equal(Goldens.Tensor(Golden("retain_grad_nonleaf")), z.Grad!);
        TensorAssert.Equal(Goldens.Tensor(Golden("retain_grad_leaf")), x.Grad!);
    }

    [Fact]
    public void PathsThatMeetAddTheirGradients()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        (x.Exp() * x).Sum().Backward();
        TensorAssert.Close(Goldens.Tensor(Golden("diamond")), x.Grad!, 1e-6, 1e-6);
    }

    [Fact]
    public void BackwardWithAGradientForANonScalar()
    {
        var x = Torch.Tensor(new[,] { { 1f, 2f }, { 3f, 4f } }, requiresGrad: true);
        (x * x).Backward(Torch.Tensor(new[,] { { 1f, 0.5f }, { 0.25f, 2f } }));
        TensorAssert.Equal(Goldens.Tensor(Golden("backward_gradient")), x.Grad!);
    }

    [Fact]
    public void DetachBlocksTheGradientAndDataSharesStorage()
    {
        var x = Torch.Tensor(new[] { 1f, -2f }, requiresGrad: true);
        var u = x * 3;
        (u.Detach() * x).Sum().Backward();
        TensorAssert.Equal(Goldens.Tensor(Golden("detach_blocks")), x.Grad!);

        var x2 = Torch.Tensor(new[] { 1f, -2f }, requiresGrad: true);
        x2.Data.Mul_(2);
        TensorAssert.Equal(Goldens.Tensor(Golden("data_shares_storage")), x2.Detach());
    }

    [Fact]
    public void ZeroOnANonLeafSendsZeroGradient()
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        y.Zero_();
        y.Sum().Backward();
        TensorAssert.Equal(Goldens.Tensor(Golden("zero_on_nonleaf")), x.Grad!);
    }

    [Fact]
    public void LeavesAndNonLeaves()
    {
        var a = Torch.Randn([2], requiresGrad: true);
        var b = Torch.Randn(2);
        Assert.True(a.IsLeaf);
        Assert.True(b.IsLeaf);
        Assert.True((b * 2).IsLeaf); // no input requires grad: no history
        var y = a * b;
        Assert.False(y.IsLeaf);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        Assert.Equal(["AccumulateGrad", null], y.GradFn.NextFunctions.Select(n => n?.Name));
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.True(b.RequiresGrad_().RequiresGrad);
    }

    [Fact]
    public void NoGradStopsRecordingAndRestoresOnDispose()
    {
        var x = Torch.Randn([2], requiresGrad: true);
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled());
            var y = x * 2;
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFn);
            using (Torch.EnableGrad()) Assert.NotNull((x * 2).GradFn);
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.True(Torch.IsGradEnabled());
        Assert.NotNull((x * 2).GradFn);
    }

    [Fact]
    public void NoGradIsPerThread()
    {
        var x = Torch.Randn([2], requiresGrad: true);
        using (Torch.NoGrad())
        {
            bool otherThreadRecords = false;
            var thread = new Thread(() => otherThreadRecords = (x * 2).GradFn is not null);
            thread.Start();
            thread.Join();
            Assert.True(otherThreadRecords);
            Assert.Null((x * 2).GradFn);
        }
    }

    [Fact]
    public void VersionCounterIsSharedByViewsAndBumpedByEveryInPlaceOp()
    {
        var golden = OpCases.Core.GetProperty("versions");
        var x = Torch.Zeros(4);
        var v = x[1..3];
        var seq = new List<int> { x.Version };
        x.Add_(1);
        seq.Add(x.Version);
        v.Mul_(2);
        seq.Add(x.Version);
        x[0] = Torch.Tensor(5);
        seq.Add(x.Version);
        x.Zero_();
        seq.Add(x.Version);
        Assert.Equal(golden.GetProperty("sequence").EnumerateArray().Select(e => e.GetInt32()), seq);
        Assert.Equal(golden.GetProperty("view_version").GetInt32(), v.Version);
        Assert.Equal([0f, 0f, 0f, 0f], x.ToArray<float>());
    }

    [Fact]
    public void CopyFromWritesThroughAndBumpsTheVersion()
    {
        var x = Torch.Zeros(2, 2);
        x[.., 0].CopyFrom(Torch.Tensor(new[] { 1f, 2f }));
        Assert.Equal([1f, 0f, 2f, 0f], x.ToArray<float>());
        Assert.Equal(1, x.Version);
        x.Copy_(Torch.Tensor(new long[] { 3, 4 })); // broadcast and convert
        Assert.Equal([3f, 4f, 3f, 4f], x.ToArray<float>());
        Assert.Equal(2, x.Version);
    }

    [Fact]
    public void AccumulatedGradsOwnTheirStorage()
    {
        // y = a + b passes the same gradient tensor to both leaves; accumulating into one must not touch the other,
        // nor the gradient the caller passed in.
        var a = Torch.Zeros([2], requiresGrad: true);
        var b = Torch.Zeros([2], requiresGrad: true);
        var g = Torch.Ones(2);
        (a + b).Backward(g);
        (a + b).Backward(g);
        Assert.Equal([2f, 2f], a.Grad!.ToArray<float>());
        Assert.Equal([2f, 2f], b.Grad!.ToArray<float>());
        Assert.Equal([1f, 1f], g.ToArray<float>());
    }
}
