using System.Runtime.Intrinsics.X86;
using Xunit;

namespace Nabla.Tests.Random;

/// <summary>How the capability is chosen at start: PyTorch 1.13's <c>compute_cpu_capability</c> rules.</summary>
public class CpuCapabilityChoiceTests
{
    [Theory]
    [InlineData("default", CpuCapability.Default)]
    [InlineData("avx2", CpuCapability.Avx2)]
    [InlineData("avx512", CpuCapability.Avx512)]
    public void EnvironmentValueSelectsCapability(string value, CpuCapability expected) =>
        Assert.Equal(expected, CpuCapabilityState.FromEnvironment(value, CpuCapability.Avx2 == expected ? CpuCapability.Default : CpuCapability.Avx2));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AVX2")] // PyTorch compares exactly and ignores anything else
    [InlineData("sse4")]
    public void UnsetOrUnknownValueFallsBackToTheHardwareChoice(string? value) =>
        Assert.Equal(CpuCapability.Avx512, CpuCapabilityState.FromEnvironment(value, CpuCapability.Avx512));

    [Fact]
    public void HardwareChoiceIsAvx2WithAvx2AndFma() =>
        Assert.Equal(Avx2.IsSupported && Fma.IsSupported ? CpuCapability.Avx2 : CpuCapability.Default, CpuCapabilityState.HardwareDefault());
}
