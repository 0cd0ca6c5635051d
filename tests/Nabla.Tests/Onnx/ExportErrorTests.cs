using Nabla.NN;
using Nabla.Onnx;
using Nabla.Tracing;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>Exports that cannot work fail with an <see cref="OnnxExportException"/> saying why and where.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ExportErrorTests
{
    private static OnnxExportException Fails(Module model, Tensor[] inputs, string[]? inputNames = null, string[]? outputNames = null,
        int opset = 18, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null)
        => Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, inputs, Stream.Null, inputNames, outputNames, opset, dynamicAxes));

    /// <summary>An op of a kind that has no lowering (as a newly added op would record before its lowering exists).</summary>
    private sealed class Frobnicate : Module
    {
        public override Tensor Forward(Tensor x)
        {
            var y = x * 2.0;
            Trace.Record("frobnicate", [y], y + 0.0);
            return y;
        }
    }

    private sealed class Encoder : Module
    {
        public Linear fc = new(2, 2);
        public Frobnicate block = new();

        public override Tensor Forward(Tensor x) => block.Call(fc.Call(x));
    }

    private sealed class Net : Module
    {
        public Encoder encoder = new();

        public override Tensor Forward(Tensor x) => encoder.Call(x);
    }

    [Fact]
    public void UnsupportedOpNamesItsKindAndModulePath()
    {
        var e = Fails(new Net(), [Torch.Ones(1, 2)]);
        Assert.Contains("'frobnicate'", e.Message);
        Assert.Contains("in module 'encoder.block' (Frobnicate)", e.Message);
        Assert.Contains("no ONNX lowering", e.Message);
    }

    [Fact]
    public void UnsupportedOpInTheRootModuleSaysSo()
    {
        var e = Fails(new Frobnicate(), [Torch.Ones(2)]);
        Assert.Contains("in the root module (Frobnicate)", e.Message);
    }

    private sealed class OneInput : Module
    {
        public override Tensor Forward(Tensor x) => x + 1.0;
    }

    [Fact]
    public void MoreInputNamesThanInputsIsAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], inputNames: ["a", "b"]);
        Assert.Equal("inputNames has 2 names ('a', 'b'), but the model is traced with 1 input.", e.Message);
    }

    [Fact]
    public void MoreOutputNamesThanOutputsIsAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], outputNames: ["y", "z"]);
        Assert.Equal("outputNames has 2 names ('y', 'z'), but the forward pass returns 1 output.", e.Message);
    }

    [Fact]
    public void InputCountTheForwardDoesNotTakeIsAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2), Torch.Ones(2)]);
        Assert.StartsWith("The forward pass of OneInput failed while tracing it with 2 input(s) of shape [2], [2]: ", e.Message);
        Assert.Contains("has no forward taking two tensors", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void DuplicateNamesAreAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], inputNames: ["x"], outputNames: ["x"]);
        Assert.Contains("uses the name 'x' twice", e.Message);
    }

    [Fact]
    public void DynamicAxesOfAnUnknownNameAreAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], inputNames: ["x"], outputNames: ["y"],
            dynamicAxes: new() { ["input_x"] = new() { [0] = "batch" } });
        Assert.Equal("dynamicAxes names 'input_x', which is neither an input ('x') nor an output ('y') of the exported graph.", e.Message);
    }

    [Fact]
    public void DynamicAxisBeyondTheRankIsAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], inputNames: ["x"], dynamicAxes: new() { ["x"] = new() { [1] = "batch" } });
        Assert.Equal("dynamicAxes['x'] names axis 1, but input 'x' has 1 dimension (shape [2]).", e.Message);
    }

    [Fact]
    public void EmptyDynamicAxisNameIsAnError()
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], inputNames: ["x"], dynamicAxes: new() { ["x"] = new() { [0] = " " } });
        Assert.Equal("dynamicAxes['x'] gives axis 0 an empty name.", e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(19)]
    public void OpsetOutsideThirteenToEighteenIsAnError(int opset)
    {
        var e = Fails(new OneInput(), [Torch.Ones(2)], opset: opset);
        Assert.Equal($"opsetVersion {opset} is not supported: Nabla exports opsets 13 to 18.", e.Message);
    }

    private sealed class InPlaceAfterRead : Module
    {
        public override Tensor Forward(Tensor x)
        {
            var y = x * 2.0;
            x.Add_(Torch.Ones(1));
            return y + x;
        }
    }

    [Fact]
    public void InPlaceChangeOfAValueAlreadyReadIsAnError()
    {
        var e = Fails(new InPlaceAfterRead(), [Torch.Ones(2)]);
        Assert.Contains("Cannot export op 'add' in the root module (InPlaceAfterRead)", e.Message);
        Assert.Contains("'input' was changed in place after an earlier op read it", e.Message);
    }

    private sealed class BatchSizedConstant : Module
    {
        public override Tensor Forward(Tensor x) => x + Torch.Zeros(x.Size(0), 2);
    }

    [Fact]
    public void ConstantWhoseShapeFollowsADynamicAxisIsAnError()
    {
        var e = Fails(new BatchSizedConstant(), [Torch.Ones(3, 2)], inputNames: ["x"], dynamicAxes: new() { ["x"] = new() { [0] = "batch" } });
        Assert.Contains("Cannot export op 'add' in the root module (BatchSizedConstant)", e.Message);
        Assert.Contains("its shape is [3, 2] at the traced size and [4, 2] when a dynamic axis is one larger", e.Message);
    }

    private sealed class BranchOnBatch : Module
    {
        public override Tensor Forward(Tensor x) => x.Size(0) > 3 ? x.Exp() : x.Sin();
    }

    [Fact]
    public void ForwardWhoseOpsChangeWithADynamicAxisIsAnError()
    {
        var e = Fails(new BranchOnBatch(), [Torch.Ones(3, 2)], inputNames: ["x"], dynamicAxes: new() { ["x"] = new() { [0] = "batch" } });
        Assert.Equal(
            "The forward pass of BranchOnBatch runs different ops when a dynamic axis changes size (op 0 is 'sin' at the traced size and 'exp' one larger); it cannot be exported with those axes dynamic.",
            e.Message);
    }

    [Fact]
    public void NoInputIsAnError()
    {
        var e = Fails(new OneInput(), []);
        Assert.Equal("Export needs at least one example input to trace the forward pass with.", e.Message);
    }

    /// <summary>A module whose forward is the given function.</summary>
    private sealed class Applies(Func<Tensor, Tensor> forward) : Module
    {
        public override Tensor Forward(Tensor x) => forward(x);
    }

    [Fact]
    public void AdaptivePoolingToASizeThatDoesNotDivideTheInputIsRefused()
    {
        var e = Fails(new Applies(x => Functional.AdaptiveAvgPool2d(x, 3)), [Torch.Ones(1, 2, 7, 7)]);
        Assert.Equal(
            "Cannot export op 'adaptive_avg_pool2d' in the root module (Applies) at opset 18: pooling [7, 7] to [3, 3] needs windows of different sizes, which no ONNX pooling op has; use an output size that divides the input's.",
            e.Message);
    }

    [Fact]
    public void AveragePoolingWithADivisorOverrideInCeilModeIsRefused()
    {
        var e = Fails(new Applies(x => Functional.AvgPool2d(x, 2, ceilMode: true, divisorOverride: 3)), [Torch.Ones(1, 1, 5, 5)]);
        Assert.Contains("Cannot export op 'avg_pool2d' in the root module (Applies) at opset 18: divisor_override with ceil_mode", e.Message);
    }

    [Fact]
    public void ScatterAddOverADynamicDimensionNeedsOpset16()
    {
        var index = Torch.Tensor(new long[,] { { 0, 1 }, { 0, 0 } });
        var model = new Applies(x => x.ScatterAdd(0, index, Torch.Ones(2, 2)));
        var axes = new Dictionary<string, Dictionary<int, string>> { ["x"] = new() { [0] = "batch" } };
        var e = Fails(model, [Torch.Zeros(3, 2)], inputNames: ["x"], opset: 15, dynamicAxes: axes);
        Assert.Contains("Cannot export op 'scatter_add' in the root module (Applies) at opset 15", e.Message);
        Assert.Contains("export with opset 16 or later", e.Message);
        OnnxExporter.Export(model, [Torch.Zeros(3, 2)], Stream.Null, ["x"], opsetVersion: 16, dynamicAxes: axes);
    }
}
