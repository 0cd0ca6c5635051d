using System.IO.Compression;
using Xunit;

namespace Nabla.Tests.Cli;

/// <summary>
/// <c>dotnet pack</c> makes the Nabla library package and the <c>nabla</c> tool package; the tool installs from the folder
/// with <c>dotnet tool install --tool-path</c> and runs. <c>samples/seed.cs</c> runs as a file-based app and prints what the
/// sample prints.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla_pack_").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SlowFact]
    public void PackedToolInstallsAndRuns()
    {
        var feed = Path.Combine(_dir, "feed");
        foreach (var project in new[] { "src/Nabla/Nabla.csproj", "src/Nabla.Cli/Nabla.Cli.csproj" })
        {
            var (code, output) = DotnetProcess.Run("dotnet", RepoPaths.Root, "pack", project, "-c", "Release", "-o", feed);
            Assert.True(code == 0, output);
        }
        var files = Directory.GetFiles(feed).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["Nabla.0.1.0.nupkg", "Nabla.0.1.0.snupkg", "Nabla.Cli.0.1.0.nupkg", "Nabla.Cli.0.1.0.snupkg"], files);
        using (var library = ZipFile.OpenRead(Path.Combine(feed, "Nabla.0.1.0.nupkg")))
        {
            var entries = library.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/Nabla.dll", entries);
            Assert.Contains("lib/net10.0/Nabla.xml", entries);
            // Every platform loads lib/'s IL; the ReadyToRun image, which only this platform can load, sits under runtimes/.
            Assert.False(IsReadyToRun(library, "lib/net10.0/Nabla.dll"), "lib/ carries a platform-specific ReadyToRun image");
            var image = $"runtimes/{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}/lib/net10.0/Nabla.dll";
            if (entries.Contains(image)) Assert.True(IsReadyToRun(library, image), $"{image} is not a ReadyToRun image");
            else Assert.DoesNotContain(entries, e => e.StartsWith("runtimes/", StringComparison.Ordinal) && e.EndsWith("Nabla.dll", StringComparison.Ordinal));
            Assert.Contains("README.md", entries);
            using var nuspec = new StreamReader(library.GetEntry("Nabla.nuspec")!.Open());
            var text = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        }

        using (var tool = ZipFile.OpenRead(Path.Combine(feed, "Nabla.Cli.0.1.0.nupkg")))
            Assert.False(IsReadyToRun(tool, "tools/net10.0/any/Nabla.dll"), "the tool carries a platform-specific ReadyToRun image");

        var tools = Path.Combine(_dir, "tools");
        var install = DotnetProcess.Run("dotnet", _dir, "tool", "install", "Nabla.Cli", "--tool-path", tools, "--add-source", feed, "--version", "0.1.0");
        Assert.True(install.ExitCode == 0, install.Output);
        var seed = DotnetProcess.Run(Path.Combine(tools, "nabla"), _dir, "seed");
        Assert.True(seed.ExitCode == 0, seed.Output);
        Assert.Contains("结论: 只有 nn.Parameter 被优化器更新了！", seed.Output, StringComparison.Ordinal);
        var train = DotnetProcess.Run(Path.Combine(tools, "nabla"), _dir, "train", "--epochs", "1", "--onnx", "m.onnx");
        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Contains("ONNX Runtime agrees on 359/359 test predictions", train.Output, StringComparison.Ordinal);
    }

    private static bool IsReadyToRun(ZipArchive package, string entry)
    {
        using var bytes = new MemoryStream();
        using (var stream = (package.GetEntry(entry) ?? throw new InvalidOperationException($"no {entry} in the package")).Open()) stream.CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(bytes);
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [SlowFact]
    public void SeedFileBasedAppPrintsWhatTheSamplePrints()
    {
        var sample = new StringWriter { NewLine = "\n" };
        SeedExperiment.SeedNotebook.Run(sample, SeedExperiment.OnnxSection.Run);
        var (code, output) = DotnetProcess.Run("dotnet", RepoPaths.Root, "run", "samples/seed.cs");
        Assert.True(code == 0, output);
        Assert.Equal(sample.ToString(), output.ReplaceLineEndings("\n"));
    }
}
