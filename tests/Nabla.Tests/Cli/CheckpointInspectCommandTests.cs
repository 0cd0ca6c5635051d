using Nabla.Cli;
using Nabla.Serialization;
using Nabla.Tests.Serialization;
using Xunit;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla checkpoint inspect FILE</c>: keys, dtypes, shapes, sizes and totals; the refused global of a hostile file.</summary>
public class CheckpointInspectCommandTests
{
    private static (int ExitCode, string[] Lines) Inspect(string path) => CliRunner.Inspect("checkpoint", path);

    private static string[] Row(string line) => CliRunner.Cells(line);

    [Fact]
    public void PrintsKeysDTypesShapesSizesAndTotalsOfAPtFile()
    {
        var (code, lines) = Inspect(CheckpointFiles.Path("mixed.pt"));
        Assert.Equal(0, code);
        var rows = lines.Where(l => l.StartsWith('│')).Select(Row).ToArray();
        Assert.Contains(["transposed", "torch.float32", "[4, 3]", "12", "48"], rows);
        Assert.Contains(["bfloat16", "torch.bfloat16", "[2, 3]", "6", "12"], rows);
        Assert.Contains(["scalar", "torch.float32", "[]", "1", "4"], rows);
        var summary = CheckpointInspector.Inspect(CheckpointFiles.Path("mixed.pt"));
        Assert.Contains(["total", summary.TotalElements.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.TotalBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)], rows);
        // base, row, transposed and window share one storage of 12 floats: counted once.
        Assert.Equal(summary.TotalBytes - (16 + 48 + 16), summary.StorageBytes);
    }

    [Fact]
    public void PrintsOtherValuesOfATrainingCheckpoint()
    {
        var (code, lines) = Inspect(CheckpointFiles.Path("train_sgd.pt"));
        Assert.Equal(0, code);
        var rows = lines.Where(l => l.StartsWith('│')).Select(Row).ToArray();
        Assert.Contains(["epoch", "3"], rows);
        Assert.Contains(["optimizer.state.0.momentum_buffer", "torch.float32", "[8, 4]", "32", "128"], rows);
        Assert.Contains(["scheduler.step_size", "2"], rows);
    }

    [Fact]
    public void PrintsASafetensorsHeaderWithMetadata()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nabla_inspect_{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(Torch.Load(CheckpointFiles.Path("mlp.pt")), path, metadata: new() { ["format"] = "pt" });
            var (code, lines) = Inspect(path);
            Assert.Equal(0, code);
            Assert.Contains("format safetensors", lines);
            Assert.Contains(["0.weight", "torch.float32", "[8, 4]", "32", "128"], lines.Where(l => l.StartsWith('│')).Select(Row));
            Assert.Contains("metadata format = pt", lines);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void HostileFileIsRefusedNamingTheGlobal()
    {
        var (code, lines) = Inspect(CheckpointFiles.Path("hostile_system.pt"));
        Assert.Equal(2, code);
        Assert.Contains("names the global posix.system", string.Join(" ", lines));
    }
}
