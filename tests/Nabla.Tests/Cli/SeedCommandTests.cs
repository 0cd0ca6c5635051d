using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla seed</c> prints exactly what the seed sample prints.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class SeedCommandTests
{
    [Fact]
    public void SeedPrintsTheSamplesOutput()
    {
        var sample = new StringWriter { NewLine = "\n" };
        SeedNotebook.Run(sample, OnnxSection.Run);
        var r = CliRunner.Run(["seed"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(sample.ToString(), r.Output);
    }
}
