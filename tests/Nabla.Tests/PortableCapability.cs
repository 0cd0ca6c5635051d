using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Nabla.Tests;

/// <summary>
/// The goldens of this suite come from PyTorch's portable kernels (<c>ATEN_CPU_CAPABILITY=default</c>), so the test assembly pins
/// that capability before any test runs; the tests of <see cref="Random.CpuCapabilityCollection"/> switch it and restore it.
/// </summary>
internal static class PortableCapability
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The test assembly pins the capability its goldens were made with.")]
    internal static void Pin() => Torch.SetCpuCapability(CpuCapability.Default);
}
