using Nabla.Cli;
using Nabla.Onnx;
using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla onnx inspect FILE</c> prints the notebook's initializer and node listings as tables.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class OnnxInspectCommandTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nabla_inspect_{Guid.NewGuid():N}.onnx");

    public void Dispose() => File.Delete(_path);

    private static (int ExitCode, string[] Lines) Inspect(string path) => CliRunner.Inspect("onnx", path);

    private static string[] Row(string line) => CliRunner.Cells(line);

    [Fact]
    public void PrintsTheSeedModelsInitializersAndNodes()
    {
        var model = SeedNotebook.Run(TextWriter.Null);
        OnnxExporter.Export(model, Torch.Tensor(new[] { 1f }), _path, inputNames: ["input_x"], outputNames: ["output"]);
        var (code, lines) = Inspect(_path);
        Assert.Equal(0, code);
        Assert.Contains(lines, l => l.StartsWith("ir_version 8, producer nabla", StringComparison.Ordinal) && l.Contains("opset ai.onnx 18"));
        var rows = lines.Where(l => l.StartsWith('│')).Select(Row).ToArray();
        Assert.Contains(["input", "input_x", "tensor(float)", "[1]"], rows);
        Assert.Contains(["output", "output", "tensor(float)", "[1]"], rows);
        int param = Array.FindIndex(rows, r => r.SequenceEqual(["my_param", "[-0.8021901]", "[1]", "1 (float)"]));
        int tensor = Array.FindIndex(rows, r => r.SequenceEqual(["my_tensor", "[0.33669037]", "[1]", "1 (float)"]));
        Assert.True(param >= 0 && tensor > param, string.Join("\n", lines));
        Assert.Contains(["0", "Mul", "input_x, my_tensor", "mul"], rows);
        Assert.Contains(["1", "Add", "mul, my_param", "output"], rows);
    }

    [Fact]
    public void MissingFileExitsWithOneAndSaysSo()
    {
        var (code, lines) = Inspect(_path);
        Assert.Equal(1, code);
        Assert.StartsWith($"nabla onnx inspect: Could not find file '{_path}'", lines[0]);
    }

    [Fact]
    public void FileThatIsNotOnnxExitsWithOneAndSaysWhy()
    {
        File.WriteAllBytes(_path, [0xFF, 0xFF, 0xFF]);
        var (code, lines) = Inspect(_path);
        Assert.Equal(1, code);
        Assert.StartsWith($"nabla onnx inspect: {_path}: Not a valid ONNX model (3 bytes)", lines[0]);
    }
}
