using Xunit;

namespace Nabla.Tests.Cli;

/// <summary>
/// A test that packs, publishes or compiles whole projects (a minute or more on two cores): it runs where NABLA_SLOW_TESTS=1,
/// as .ci/run sets it, and is reported as skipped, with that reason, elsewhere.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    /// <summary>The variable that turns these tests on.</summary>
    public const string Variable = "NABLA_SLOW_TESTS";

    /// <summary>Skips unless <see cref="Variable"/> is 1.</summary>
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"slow (dotnet pack / dotnet run of whole projects): set {Variable}=1 to run it, as .ci/run does";
    }
}
