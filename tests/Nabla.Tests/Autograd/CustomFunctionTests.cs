using Nabla.Autograd;
using Nabla.NN;
using Nabla.Onnx;
using Nabla.Tests.Onnx;
using Xunit;
using AG = Nabla.Autograd.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>Custom autograd Functions (torch.autograd.Function): forward, backward, the context and ONNX export.</summary>
public class CustomFunctionTests
{
    public sealed class Exp : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) { var r = inputs[0].Exp(); ctx.SaveForBackward(r); return r; }
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.SavedTensors[0]];
        protected override Tensor[]? Symbolic(Tensor[] inputs) => [inputs[0].Exp()];
    }

    // Two inputs, two outputs, a non-tensor value and NeedsInputGrad.
    public sealed class ScaledProductAndSum : Function
    {
        public static readonly List<bool[]> Needs = [];

        protected override Tensor[] ForwardMany(FunctionContext ctx, Tensor[] inputs)
        {
            ctx["scale"] = 0.5;
            ctx.SaveForBackward(inputs[0], inputs[1]);
            lock (Needs) Needs.Add([.. ctx.NeedsInputGrad]);
            return [inputs[0] * inputs[1] * 0.5, inputs[0] + inputs[1]];
        }

        protected override Tensor?[] BackwardMany(FunctionContext ctx, Tensor[] g)
        {
            var (a, b) = (ctx.SavedTensors[0], ctx.SavedTensors[1]);
            double scale = (double)ctx["scale"]!;
            return [ctx.NeedsInputGrad[0] ? g[0] * b * scale + g[1] : null, ctx.NeedsInputGrad[1] ? g[0] * a * scale + g[1] : null];
        }
    }

    // In place on its input, declared with MarkDirty.
    public sealed class MulTwoInPlace : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            inputs[0].Mul_(2.0);
            ctx.MarkDirty(inputs[0]);
            return inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 2.0];
    }

    // Returns values and integer-valued positions; the positions are marked non-differentiable.
    public sealed class SortWithOrder : Function
    {
        protected override Tensor[] ForwardMany(FunctionContext ctx, Tensor[] inputs)
        {
            var (v, i) = inputs[0].Sort();
            var order = i.To(inputs[0].DType);
            ctx.MarkNonDifferentiable(order);
            ctx.SaveForBackward(i);
            return [v, order];
        }

        protected override Tensor?[] BackwardMany(FunctionContext ctx, Tensor[] g)
            => [Torch.ZerosLike(g[0]).Scatter(0, ctx.SavedTensors[0], g[0])];
    }

    public sealed class NoLowering : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0] * 3.0;
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 3.0];
    }

    private sealed class UsesFunction<T> : Module where T : Function, new()
    {
        public override Tensor Forward(Tensor input) => Function.Apply<T>(input + 1.0) * 2.0;
    }

    private static Tensor X() => Torch.Tensor(new double[] { 0.5, -1.0, 2.0 }, DType.Float64).RequiresGrad_();

    [Fact]
    public void ExpAsTheIssueWritesIt()
    {
        var x = X();
        var y = Function.Apply<Exp>(x);
        Assert.Equal("ExpBackward", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal(x.Detach().Exp().ToArray<double>(), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void BackwardWrittenWithOpsHasSecondDerivatives()
    {
        Assert.True(GradCheck.Check(t => Function.Apply<Exp>(t[0]), [X()]));
        Assert.True(GradGradCheck.Check(t => Function.Apply<Exp>(t[0]), [X()]));
    }

    [Fact]
    public void SeveralInputsAndOutputsWithStateAndNeedsInputGrad()
    {
        var a = X();
        var b = Torch.Tensor(new double[] { 1.5, 2.0, -0.5 }, DType.Float64);
        var outs = Function.ApplyMany<ScaledProductAndSum>(a, b);
        Assert.Equal("ScaledProductAndSumBackward", outs[0].GradFn!.Name);
        Assert.Same(outs[0].GradFn, outs[1].GradFn);
        (outs[0].Sum() + outs[1].Sum()).Backward();
        Assert.Equal((b * 0.5 + 1.0).ToArray<double>(), a.Grad!.ToArray<double>());
        lock (ScaledProductAndSum.Needs) Assert.Contains(ScaledProductAndSum.Needs, n => n.SequenceEqual([true, false]));
        var bg = b.Clone().RequiresGrad_();
        Assert.True(GradCheck.Check(t => Function.ApplyMany<ScaledProductAndSum>(t[0], t[1]), [a.Detach().RequiresGrad_(), bg]));
    }

    [Fact]
    public void SavedTensorsRefuseAnInPlaceChange()
    {
        var x = X();
        var y = Function.Apply<Exp>(x * 1.0);
        y.Mul_(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation", e.Message);
    }

    [Fact]
    public void MarkDirtyOnAViewRebasesItsBaseAsCopySlices()
    {
        // PyTorch: y.grad_fn is CopySlices over the function's node, the view's AsStridedBackward0; x.grad is 2 on row 0, 1 elsewhere.
        var x = X();
        var y = x * 1.0;
        var v = y[0];
        Assert.Same(v, Function.Apply<MulTwoInPlace>(v));
        Assert.Equal("CopySlices", y.GradFn!.Name);
        Assert.Equal("AsStridedBackward0", v.GradFn!.Name);
        Assert.Equal(["MulBackward0"], y.GradFn.NextFunctions.Select(n => n?.Name));
        y.Sum().Backward();
        var expected = Torch.OnesLike(x.Detach());
        expected[0] = Torch.Tensor(2.0);
        Assert.Equal(expected.ToArray<double>(), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void SavedTensorsAreFreedAfterBackward()
    {
        var y = Function.Apply<Exp>(X());
        y.Sum().Backward();
        Assert.StartsWith("Trying to backward through the graph a second time", Assert.Throws<InvalidOperationException>(() => y.Sum().Backward()).Message);
    }

    [Fact]
    public void MarkDirtyRebasesTheModifiedInput()
    {
        var x = X();
        var h = x * 1.0;
        var r = Function.Apply<MulTwoInPlace>(h);
        Assert.Same(h, r);
        Assert.Equal("MulTwoInPlaceBackward", h.GradFn!.Name);
        (h * h).Sum().Backward();
        Assert.Equal((x.Detach() * 8.0).ToArray<double>(), x.Grad!.ToArray<double>());
        Assert.Equal("a leaf Variable that requires grad has been used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => Function.Apply<MulTwoInPlace>(X())).Message);
    }

    [Fact]
    public void MarkNonDifferentiableOutputsHaveNoGradFn()
    {
        var x = X();
        var outs = Function.ApplyMany<SortWithOrder>(x);
        Assert.True(outs[0].RequiresGrad);
        Assert.False(outs[1].RequiresGrad);
        Assert.Null(outs[1].GradFn);
        (outs[0] * Torch.Tensor(new double[] { 1, 2, 3 }, DType.Float64)).Sum().Backward();
        // sorted: -1.0 (index 1), 0.5 (index 0), 2.0 (index 2).
        Assert.Equal(new double[] { 2, 1, 3 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void GradOfACustomFunctionLeavesDotGradAlone()
    {
        var x = X();
        var g = AG.Grad([Function.Apply<Exp>(x).Sum()], [x])[0]!;
        Assert.Null(x.Grad);
        Assert.Equal(x.Detach().Exp().ToArray<double>(), g.ToArray<double>());
    }

    [Fact]
    public void ExportsThroughItsSymbolicLowering()
    {
        var model = new UsesFunction<Exp>();
        var input = Torch.Tensor(new float[] { 0.5f, -1f, 2f });
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, input, stream);
        var ort = OrtRunner.Run(stream.ToArray(), input)[0];
        TensorAssert.Close(model.Call(input), ort, 1e-6, 1e-6, "custom Function exported through Symbolic");
    }

    [Fact]
    public void ExportWithoutALoweringIsRefused()
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(new UsesFunction<NoLowering>(), Torch.Ones(3), stream));
        Assert.Contains("Cannot export custom Function 'NoLowering': it defines no ONNX lowering", e.Message);
    }
}
