using Xunit;

namespace Nabla.Tests.Random;

/// <summary>
/// Tests that switch <see cref="Torch.SetCpuCapability"/>: the capability is process-wide, so these run alone, after the parallel
/// tests, and put back the portable capability the rest of the suite's goldens were made with (see <see cref="PortableCapability"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CpuCapabilityCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "CPU capability";
}

/// <summary>Chooses a capability for one test and restores the portable one when disposed.</summary>
public sealed class CapabilityScope : IDisposable
{
    /// <summary>Switches to <paramref name="capability"/>.</summary>
    public CapabilityScope(CpuCapability capability) => Torch.SetCpuCapability(capability);

    /// <summary>Restores <see cref="CpuCapability.Default"/>.</summary>
    public void Dispose() => Torch.SetCpuCapability(CpuCapability.Default);
}
