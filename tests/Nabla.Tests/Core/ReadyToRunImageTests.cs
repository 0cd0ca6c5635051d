using System.Reflection;
using System.Reflection.PortableExecutable;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>A Release build of the library is a ReadyToRun image: IL plus precompiled code, so a fresh process starts without JIT-compiling it.</summary>
public class ReadyToRunImageTests
{
    [Fact]
    public void ReleaseLibraryCarriesPrecompiledCode()
    {
        var assembly = typeof(Tensor).Assembly;
        // The build records whether it meant to precompile: Release builds do unless built with -p:NablaReadyToRun=false.
        string? setting = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NablaReadyToRun")?.Value;
        string configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "";
        if (configuration == "Release") Assert.True(setting is "true" or "false", $"a Release build left NablaReadyToRun unset ('{setting}')");
        bool meant = setting == "true";
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var cor = pe.PEHeaders.CorHeader ?? throw new InvalidOperationException($"{assembly.Location} has no CLI header");
        // ReadyToRun images point the CLI header's managed-native directory at their READYTORUN header.
        bool readyToRun = cor.ManagedNativeHeaderDirectory.Size > 0;
        if (meant) Assert.True(readyToRun, $"the {configuration} build of {assembly.Location} is IL only");
        else Assert.False(readyToRun, $"a {configuration} build is not expected to be precompiled");
        // Either way the image still carries the IL every other platform runs.
        Assert.True(assembly.GetTypes().Length > 100);
        Assert.NotNull(typeof(Tensor).GetMethod(nameof(Tensor.Add))!.GetMethodBody());
    }
}
