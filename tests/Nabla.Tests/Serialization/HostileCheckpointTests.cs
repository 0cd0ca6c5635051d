using Nabla.Serialization;
using Xunit;

namespace Nabla.Tests.Serialization;

/// <summary>
/// Pickles that run a command when Python unpickles them (gen_checkpoints.py checks that each does) are refused before
/// anything is built, with an exception naming the global; the marker file the payload would create never appears.
/// </summary>
public class HostileCheckpointTests
{
    private static readonly string Marker = Path.Combine(Environment.CurrentDirectory, "nabla-hostile-marker"); // where the payloads' relative path lands

    [Theory]
    [InlineData("system")]
    [InlineData("eval")]
    [InlineData("subprocess")]
    [InlineData("other_class")]
    [InlineData("module")]
    public void HostilePickleIsRefusedNamingTheGlobalAndNothingRuns(string name)
    {
        string expected = CheckpointFiles.Golden.GetProperty("hostile").GetProperty(name).GetString()!;
        File.Delete(Marker);
        var path = CheckpointFiles.Path($"hostile_{name}.pt");
        foreach (var load in new Action[] { () => Torch.Load(path), () => Torch.LoadObject(path), () => Torch.LoadValue(path) })
        {
            var e = Assert.Throws<UnsafeCheckpointException>(load);
            Assert.Equal(expected, e.Global);
            Assert.Contains(expected, e.Message);
        }
        Assert.False(File.Exists(Marker), "a refused checkpoint must not run anything");
    }

    [Fact]
    public void PosixSystemIsNamedAsPythonPicklesIt()
    {
        var e = Assert.Throws<UnsafeCheckpointException>(() => Torch.Load(CheckpointFiles.Path("hostile_system.pt")));
        Assert.Equal("posix.system", e.Global);
        Assert.Contains("Unsupported class posix.system", e.Message);
    }
}
