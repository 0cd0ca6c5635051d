using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// Tests that seed the process-wide default generator and then draw from it (factories, Linear init, the seed
/// notebook) run in this collection, alone, so no test running in parallel draws in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    public const string Name = "Default generator";
}
