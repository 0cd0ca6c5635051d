using System.Reflection;
using Xunit;

namespace Nabla.Tests.OpInfo;

/// <summary>
/// Every public op of <c>Tensor</c>, <c>Torch</c> and <c>Functional</c> (operators included) has a row: the OpInfo sweep, an older op
/// table's golden case, or an explicit not-an-op entry with its reason (<see cref="OpCoverage"/>). A new op without one fails here.
/// </summary>
public class OpCoverageTests
{
    private static readonly HashSet<string> s_opInfoMembers =
        [.. Goldens.Load("opinfo").GetProperty("rows").EnumerateArray().SelectMany(r => r.GetProperty("members").EnumerateArray().Select(m => m.GetString()!))];

    private static IEnumerable<string> PublicSurface() => MemberInvoker.Types.SelectMany(t =>
        t.Value.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal))
            .Select(m => $"{t.Key}.{m.Name}"))
        .Distinct();

    [Fact]
    public void EveryPublicOpHasARow()
    {
        var missing = PublicSurface()
            .Where(m => !s_opInfoMembers.Contains(m) && !OpCoverage.CoveredByOpTables.ContainsKey(m) && !OpCoverage.NotOps.ContainsKey(m))
            .Order().ToArray();
        Assert.True(missing.Length == 0,
            $"public members without an OpInfo row (tests/goldens/gen_opinfo.py), an op-table case or a not-an-op entry (OpInfo/OpCoverage.cs): {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryRowNamesAPublicMemberAndAnExistingGoldenCase()
    {
        var surface = PublicSurface().ToHashSet();
        var listed = s_opInfoMembers.Concat(OpCoverage.CoveredByOpTables.Keys).Concat(OpCoverage.NotOps.Keys);
        var unknown = listed.Where(m => !surface.Contains(m)).ToArray();
        Assert.True(unknown.Length == 0, $"rows name members that are not public: {string.Join(", ", unknown)}");
        var coreOps = Goldens.Load("core").GetProperty("ops").EnumerateArray().Select(c => c.GetProperty("op").GetString()).ToHashSet();
        var functionalCases = Goldens.Load("functional").GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
        string layers = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "goldens", "layers.json"));
        foreach (var (member, golden) in OpCoverage.CoveredByOpTables)
        {
            var (table, key) = (golden[..golden.IndexOf(':')], golden[(golden.IndexOf(':') + 1)..]);
            bool found = table switch
            {
                "core" => coreOps.Contains(key),
                "functional" => functionalCases.Contains(key),
                "layers" => layers.Contains($"\"{key}\"", StringComparison.Ordinal),
                _ => false,
            };
            Assert.True(found, $"{member}: no golden case {golden}");
        }
        Assert.DoesNotContain(OpCoverage.NotOps, e => string.IsNullOrWhiteSpace(e.Value));
    }
}
