using Xunit;

namespace Nabla.Tests;

/// <summary>
/// Tests that seed and draw from the process-wide <c>Generator.Default</c> (<c>Torch.ManualSeed</c>, layer inits):
/// they run alone, so no other test's draws land between a seed and the values it is expected to give.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    public const string Name = "Default generator";
}
