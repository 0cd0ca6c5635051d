using Xunit;

namespace Nabla.Tests;

/// <summary>
/// Tests that seed and draw from the process-wide default generator (<c>Torch.ManualSeed</c>, default inits, <c>Torch.Randn</c>).
/// The generator is shared and not thread-safe, so these run alone, after the parallel tests: add <c>[Collection(DefaultGeneratorCollection.Name)]</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Default generator";
}
