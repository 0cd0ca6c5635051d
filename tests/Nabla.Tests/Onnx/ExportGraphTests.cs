using Nabla.NN;
using Nabla.Onnx;
using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>What the exported graph holds: names, initializers, nodes, types, header fields.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ExportGraphTests
{
    private static OnnxModel Export(Module model, Tensor input, int opset = 18, string[]? inputNames = null, string[]? outputNames = null,
        Dictionary<string, Dictionary<int, string>>? dynamicAxes = null)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, input, stream, inputNames, outputNames, opset, dynamicAxes);
        return OnnxModel.Load(stream.ToArray());
    }

    private static string[] Nodes(OnnxModel m) => m.Graph.Nodes.Select(n => $"{n.OpType}({string.Join(", ", n.Inputs)}) -> {string.Join(", ", n.Outputs)}").ToArray();

    [Fact]
    public void SeedModelExportsAsTheNotebookShows()
    {
        // The notebook's state at export time: after one SGD step (my_param = -0.8022), in eval mode.
        var model = SeedNotebook.Run(TextWriter.Null);
        model.Eval();
        var path = Path.Combine(Path.GetTempPath(), $"nabla_seed_{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, Torch.Tensor(new float[] { 1f }), path, inputNames: ["input_x"], outputNames: ["output"], opsetVersion: 18);
            var onnx = OnnxModel.Load(path);
            // torch 2.x: parameters, then plain tensor fields, named by their attribute names; my_buffer and the
            // registered parameter are not read by forward and are left out.
            Assert.Equal(["my_param", "my_tensor"], onnx.Graph.Initializers.Select(i => i.Name));
            Assert.Equal(model.my_param.Item<float>(), onnx.Graph.Initializers[0].ToArray<float>().Single());
            Assert.Equal(-0.8021901f, onnx.Graph.Initializers[0].ToArray<float>().Single(), 6);
            Assert.Equal(model.my_tensor.Item<float>(), onnx.Graph.Initializers[1].ToArray<float>().Single());
            Assert.All(onnx.Graph.Initializers, i => Assert.Equal([1L], i.Dims));
            Assert.All(onnx.Graph.Initializers, i => Assert.Equal(OnnxDataType.Float, i.DataType));
            Assert.Equal(["Mul(input_x, my_tensor) -> mul", "Add(mul, my_param) -> output"], Nodes(onnx));
            Assert.Equal(8, onnx.IrVersion);
            Assert.Equal("nabla", onnx.ProducerName);
            Assert.Equal("main_graph", onnx.Graph.Name);
            Assert.Equal(18, onnx.OpsetImports.Single().Version);
            Assert.Equal("input_x: tensor(float)[1]", onnx.Graph.Inputs.Single().ToString());
            Assert.Equal("output: tensor(float)[1]", onnx.Graph.Outputs.Single().ToString());
            TensorAssert.Equal(model.my_param, onnx.Graph.Initializers[0].ToTensor());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class StateKinds : Module
    {
        public Tensor field = Torch.Tensor(new[] { 3f });
        public Tensor unusedField = Torch.Tensor(new[] { 9f });
        public Parameter weight = new(Torch.Tensor(new[] { 2f }));

        public StateKinds()
        {
            RegisterBuffer("running", Torch.Tensor(new[] { 1f }));
            RegisterBuffer("scratch", Torch.Tensor(new[] { 5f }), persistent: false);
            RegisterBuffer("unusedBuffer", Torch.Tensor(new[] { 7f }));
        }

        public override Tensor Forward(Tensor x) => x * field + GetBuffer("scratch")! * GetBuffer("running")! - weight;
    }

    [Fact]
    public void InitializersAreParametersThenBuffersThenTensorFieldsAndOnlyThoseRead()
    {
        var onnx = Export(new StateKinds(), Torch.Ones(2));
        Assert.Equal(["weight", "running", "scratch", "field"], onnx.Graph.Initializers.Select(i => i.Name));
    }

    [Fact]
    public void SubmoduleStateIsNamedByItsFullyQualifiedName()
    {
        Torch.ManualSeed(0);
        var onnx = Export(new Mlp(), Torch.Randn(2, 4));
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], onnx.Graph.Initializers.Select(i => i.Name));
        Assert.Equal(["Gemm(input, fc1.weight, fc1.bias) -> linear", "Relu(linear) -> relu", "Gemm(relu, fc2.weight, fc2.bias) -> output"], Nodes(onnx));
        Assert.Equal(1L, onnx.Graph.Nodes[0].Attributes["transB"]);
    }

    [Fact]
    public void ViewOfStateKeepsTheStateAsInitializerAndEmitsTheView()
    {
        Torch.ManualSeed(0);
        var onnx = Export(new CustomLinear(3, 2), Torch.Randn(4, 3));
        Assert.Equal(["weight", "bias", "scale"], onnx.Graph.Initializers.Select(i => i.Name));
        Assert.Equal([2L, 3L], onnx.Graph.Initializers[0].Dims);
        Assert.Equal(
            ["Transpose(weight) -> permute", "MatMul(input, permute) -> matmul", "Add(matmul, bias) -> add", "Mul(add, scale) -> output"],
            Nodes(onnx));
        Assert.Empty(onnx.Graph.Initializers[2].Dims); // the 0-d scale
    }

    private sealed class ScalarConstants : Module
    {
        public override Tensor Forward(Tensor x) => x * 2.0 + 1L;
    }

    [Theory]
    [InlineData(DType.Float32, OnnxDataType.Float)]
    [InlineData(DType.Float64, OnnxDataType.Double)]
    [InlineData(DType.Int64, OnnxDataType.Int64)]
    public void ScalarConstantsTakeTheDtypeTheOpComputedIn(DType dtype, OnnxDataType expected)
    {
        // x * 2.0 on float32 computes in float32 (a Python number does not promote); on int64 it computes in float32.
        var onnx = Export(new ScalarConstants(), Torch.Ones([3], dtype));
        var constants = onnx.Graph.Nodes.Where(n => n.OpType == "Constant").Select(n => (OnnxTensor)n.Attributes["value"]).ToArray();
        var computed = dtype == DType.Int64 ? OnnxDataType.Float : expected;
        Assert.Equal([computed, computed], constants.Select(c => c.DataType));
        Assert.Equal(2.0, Convert.ToDouble(constants[0].ToArray().GetValue(0)));
        Assert.Equal(dtype == DType.Int64 ? ["Cast", "Constant", "Mul", "Constant", "Add"] : ["Constant", "Mul", "Constant", "Add"],
            onnx.Graph.Nodes.Select(n => n.OpType));
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(14, 8)]
    [InlineData(15, 8)]
    [InlineData(16, 8)]
    [InlineData(17, 8)]
    [InlineData(18, 8)]
    public void IrVersionFollowsTheOpset(int opset, long ir)
    {
        var onnx = Export(new ScalarConstants(), Torch.Ones(2), opset);
        Assert.Equal(ir, onnx.IrVersion);
        Assert.Equal(opset, onnx.OpsetImports.Single().Version);
        Assert.Equal("", onnx.OpsetImports.Single().Domain);
    }

    [Fact]
    public void ReductionAxesAreInputsFromOpset18AndAttributesBefore()
    {
        Torch.ManualSeed(0);
        var model = new ReduceMean();
        var at17 = Export(model, Torch.Randn(2, 3), opset: 17).Graph.Nodes.Single(n => n.OpType == "ReduceMean");
        var at18 = Export(model, Torch.Randn(2, 3), opset: 18).Graph.Nodes.Single(n => n.OpType == "ReduceMean");
        Assert.Equal([1L], (long[])at17.Attributes["axes"]);
        Assert.Single(at17.Inputs);
        Assert.False(at18.Attributes.ContainsKey("axes"));
        Assert.Equal(2, at18.Inputs.Count);
    }

    private sealed class ReduceMean : Module
    {
        public override Tensor Forward(Tensor x) => x.Mean(1);
    }

    [Fact]
    public void DynamicAxesBecomeNamedDimensionsOfInputsAndOutputs()
    {
        Torch.ManualSeed(0);
        var onnx = Export(new Mlp(), Torch.Randn(3, 4), inputNames: ["x"], outputNames: ["y"],
            dynamicAxes: new() { ["x"] = new() { [0] = "batch" } });
        Assert.Equal("x: tensor(float)[batch, 4]", onnx.Graph.Inputs.Single().ToString());
        Assert.Equal("y: tensor(float)[batch, 3]", onnx.Graph.Outputs.Single().ToString());
    }

    [Fact]
    public void OutputDynamicAxesTakeTheGivenName()
    {
        Torch.ManualSeed(0);
        var onnx = Export(new Mlp(), Torch.Randn(3, 4), outputNames: ["y"], dynamicAxes: new() { ["y"] = new() { [0] = "n", [1] = "classes" } });
        Assert.Equal("y: tensor(float)[n, classes]", onnx.Graph.Outputs.Single().ToString());
        Assert.Equal("input: tensor(float)[3, 4]", onnx.Graph.Inputs.Single().ToString());
    }

    [Fact]
    public void FileAndStreamExportsWriteTheSameBytes()
    {
        Torch.ManualSeed(0);
        var model = new Mlp();
        var x = Torch.Randn(2, 4);
        var path = Path.Combine(Path.GetTempPath(), $"nabla_mlp_{Guid.NewGuid():N}.onnx");
        try
        {
            var returned = OnnxExporter.Export(model, x, path);
            using var stream = new MemoryStream();
            OnnxExporter.Export(model, [x], stream);
            Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
            Assert.Equal(stream.ToArray(), returned.ToBytes());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExportRunsInEvalModeAndRestoresTrainingModes()
    {
        var model = new ModeProbe();
        model.Train();
        model.child.Eval();
        Export(model, Torch.Ones(1));
        Assert.False(model.SawTraining);
        Assert.True(model.Training);
        Assert.False(model.child.Training);
    }

    private sealed class ModeProbe : Module
    {
        public Mlp child = new();
        public bool SawTraining = true;

        public override Tensor Forward(Tensor x)
        {
            SawTraining = Training || child.Training;
            return x + 1.0;
        }
    }

    [Fact]
    public void OutputThatIsAnInputOrStateGetsAnIdentityNode()
    {
        using var stream = new MemoryStream();
        var model = new StateKinds();
        var x = Torch.Ones(2);
        OnnxExporter.Export(model, _ => [x, model.weight], [x], stream, outputNames: ["same", "w"]);
        var onnx = OnnxModel.Load(stream.ToArray());
        Assert.Equal(["Identity(input) -> same", "Identity(weight) -> w"], Nodes(onnx));
        Assert.Equal(["weight"], onnx.Graph.Initializers.Select(i => i.Name));
        var outputs = OrtRunner.Run(stream.ToArray(), Torch.Tensor(new[] { 4f, 5f }));
        TensorAssert.Equal(Torch.Tensor(new[] { 4f, 5f }), outputs[0]);
        TensorAssert.Equal(model.weight.Detach(), outputs[1]);
    }

    [Fact]
    public void TensorsCreatedInForwardBecomeTensorConstants()
    {
        using var stream = new MemoryStream();
        var x = Torch.Ones(3);
        OnnxExporter.Export(new StateKinds(), xs => [xs[0] + Torch.Arange(3).Float()], [x], stream);
        var onnx = OnnxModel.Load(stream.ToArray());
        Assert.Equal(["_tensor_constant0"], onnx.Graph.Initializers.Select(i => i.Name));
        Assert.Equal([0f, 1f, 2f], onnx.Graph.Initializers[0].ToArray<float>());
    }
}
