using Google.Protobuf;
using Nabla.Onnx;
using Xunit;

namespace Nabla.Tests.Onnx;

public class OnnxInspectorTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "goldens", "onnx");

    [Fact]
    public void RendersPyTorchCnnAsTables()
    {
        // cnn_opset17.onnx: torch 1.13 export of Conv2d(1, 2, 3, padding=1) -> BatchNorm2d(2) -> MaxPool2d(2).
        string text = OnnxInspector.Render(OnnxModel.Load(Path.Combine(Folder, "cnn_opset17.onnx")));
        var lines = text.Split('\n');
        Assert.Equal("ONNX model: ir_version 8, producer pytorch 1.13.0, opset ai.onnx 17", lines[0]);
        Assert.Equal("graph 'torch_jit': inputs 1, outputs 1, initializers 6, nodes 3", lines[1]);
        Assert.Contains("x     tensor(float)  [1, 1, 4, 4]", lines);
        Assert.Contains("bn.running_mean  [0.25, -0.5] (2 values)                                    [2]           float", lines);
        Assert.Contains("0  Conv                x, conv.weight, conv.bias                                                 /conv/Conv_output_0", lines);
        Assert.Contains("2  MaxPool             /bn/BatchNormalization_output_0                                           y", lines);
    }

    [Fact]
    public void InitializerTableHasNameValuesDimsAndDataType()
    {
        var graph = OnnxModel.Load(Path.Combine(Folder, "mlp_opset17.onnx")).Graph;
        var lines = OnnxInspector.RenderInitializers(graph).Split('\n');
        Assert.Matches(@"^name\s+values\s+dims\s+data_type$", lines[0]);
        Assert.Matches(@"^fc1\.weight\s+\[-0\.0037434, 0\.26822, -0\.41152, -0\.36797, …\] \(32 values\)\s+\[8, 4\]\s+float$", lines[2]);
    }

    [Fact]
    public void NodeTableNamesNonStandardDomains()
    {
        var model = OnnxModel.Load(OnnxTestModels.Rich().ToByteArray());
        Assert.Contains("3  test.domain::Custom  h, r     y", OnnxInspector.RenderNodes(model.Graph).Split('\n'));
    }

    [Fact]
    public void HostileNamesAreEscapedAndCut()
    {
        var proto = OnnxTestModels.WithInitializer(OnnxTestModels.RawFloats("\u001b]0;pwned\u0007" + new string('n', 5000), [1], [1f]));
        string table = OnnxInspector.RenderInitializers(OnnxModel.Load(proto.ToByteArray()).Graph);
        Assert.DoesNotContain('\u001b', table);
        Assert.Contains("\\u001b]0;pwned\\u0007nnn", table);
        Assert.All(table.Split('\n'), line => Assert.True(line.Length < 200, $"line of {line.Length} characters"));
    }
}
