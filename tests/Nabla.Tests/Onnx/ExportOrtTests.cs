using Nabla.NN;
using Nabla.Onnx;
using Nabla.Tracing;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>ONNX Runtime loads every exported test model and computes what Nabla's forward computes.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ExportOrtTests
{
    public static TheoryData<string, int> CasesAndOpsets()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in ExportCases.All)
            foreach (var opset in new[] { 13, 17, 18 })
                data.Add(c.Name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndOpsets))]
    public void OnnxRuntimeComputesWhatNablaComputes(string name, int opset)
    {
        var (model, inputs, forward) = Build(ExportCases.Get(name));
        var bytes = ExportBytes(model, forward, inputs, opset: opset);
        ExportDump.Save(bytes, $"{name}_opset{opset}");
        AssertSameOutputs(forward(inputs), OrtRunner.Run(bytes, inputs), name);
    }

    [Theory]
    [InlineData("mlp", 17)]
    [InlineData("reshapes", 17)]
    [InlineData("reshapes", 13)]
    [InlineData("two_inputs", 18)]
    [InlineData("cnn", 13)]
    [InlineData("cnn", 18)]
    [InlineData("batch_statistics", 13)]
    [InlineData("batch_statistics", 18)]
    public void DynamicBatchExportRunsAtBatchOneAndSixtyFour(string name, int opset)
    {
        var (model, inputs, forward) = Build(ExportCases.Get(name));
        var inputNames = inputs.Select((_, i) => $"in{i}").ToArray();
        var axes = inputNames.ToDictionary(n => n, _ => new Dictionary<int, string> { [0] = "batch" });
        var bytes = ExportBytes(model, forward, inputs, opset: opset, inputNames: inputNames, dynamicAxes: axes);
        ExportDump.Save(bytes, $"{name}_dynamic_opset{opset}");

        var graph = OnnxModel.Load(bytes).Graph;
        Assert.All(graph.Inputs, v => Assert.Equal("batch", v.Shape![0].Param));
        foreach (long batch in new long[] { 1, 64 })
        {
            var resized = inputs.Select(t => Torch.Randn([batch, .. t.Shape[1..]])).ToArray();
            AssertSameOutputs(forward(resized), OrtRunner.Run(bytes, resized), $"{name} at batch {batch}");
        }
    }

    [Fact]
    public void StateExportedAsGraphInputsRunsWhenFedTheState()
    {
        var (model, inputs, forward) = Build(ExportCases.Get("mlp"));
        var bytes = ExportBytes(model, forward, inputs, exportParams: false);
        var graph = OnnxModel.Load(bytes).Graph;
        Assert.Empty(graph.Initializers);
        Assert.Equal(["input", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], graph.Inputs.Select(v => v.Name));
        var state = model.NamedParameters().Select(p => (Tensor)p.Parameter).ToArray();
        AssertSameOutputs(forward(inputs), OrtRunner.Run(bytes, [.. inputs, .. state]), "exportParams: false");
    }

    [Fact]
    public void InitializersKeptAsInputsStillRun()
    {
        var (model, inputs, forward) = Build(ExportCases.Get("custom_linear"));
        var bytes = ExportBytes(model, forward, inputs, keepInitializersAsInputs: true);
        var graph = OnnxModel.Load(bytes).Graph;
        Assert.Equal(["input", "weight", "bias", "scale"], graph.Inputs.Select(v => v.Name));
        Assert.Equal(["weight", "bias", "scale"], graph.Initializers.Select(t => t.Name));
        AssertSameOutputs(forward(inputs), OrtRunner.Run(bytes, inputs), "keepInitializersAsInputs");
    }

    [Fact]
    public void EveryLoweredKindRunsInAnExportCase()
    {
        var traced = new HashSet<string>();
        foreach (var c in ExportCases.All)
        {
            var (_, inputs, forward) = Build(c);
            using (var session = Trace.Begin())
            {
                forward(inputs);
                traced.UnionWith(session.Ops.Select(o => o.Kind));
            }
        }
        var missing = Lowerings.Table.Keys.Where(k => !traced.Contains(k)).Order().ToArray();
        Assert.True(missing.Length == 0,
            $"No export case runs an op of kind {string.Join(", ", missing)}; add one to EveryOp or EveryLayerOp so ONNX Runtime checks the lowering.");
    }

    internal static (Module Model, Tensor[] Inputs, Func<Tensor[], Tensor[]> Forward) Build(ExportCase c)
    {
        Torch.ManualSeed(0);
        var model = c.Model();
        model.Eval();
        var inputs = c.Inputs();
        var outputs = c.Outputs?.Invoke(model) ?? (xs => [model.Call(xs)]);
        Tensor[] Forward(Tensor[] xs)
        {
            using (Torch.NoGrad()) return outputs(xs);
        }
        return (model, inputs, Forward);
    }

    internal static byte[] ExportBytes(Module model, Func<Tensor[], Tensor[]> forward, Tensor[] inputs, int opset = 18, string[]? inputNames = null,
        Dictionary<string, Dictionary<int, string>>? dynamicAxes = null, bool exportParams = true, bool keepInitializersAsInputs = false)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, forward, inputs, stream, inputNames: inputNames, opsetVersion: opset, dynamicAxes: dynamicAxes,
            exportParams: exportParams, keepInitializersAsInputs: keepInitializersAsInputs);
        return stream.ToArray();
    }

    private static void AssertSameOutputs(Tensor[] expected, Tensor[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            TensorAssert.Close(expected[i], actual[i], rtol: 1e-5, atol: 1e-5, context: $"{context}, output {i}");
    }
}

/// <summary>Writes exported test models to <c>$NABLA_ONNX_EXPORT_DIR</c> when set, for tests/goldens/check_exports.py.</summary>
internal static class ExportDump
{
    public static void Save(byte[] model, string name)
    {
        if (Environment.GetEnvironmentVariable("NABLA_ONNX_EXPORT_DIR") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name + ".onnx"), model);
    }
}
