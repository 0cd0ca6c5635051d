using System.Text.RegularExpressions;
using Nabla.Autograd;
using Nabla.Tests.FunctionalParity;
using Nabla.Tests.Layers;
using Xunit;
using AG = Nabla.Autograd.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>
/// Every backward node the library can record (a "...Backward..." name in its source) is reached by a case of the
/// tables that gradcheck and gradgradcheck run (the core op table, the functional cases, the layer cases, the extra cases), in the
/// forward graph or in the graph of its first derivatives. An op added without a case fails here.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public partial class GradCheckCoverageTests
{
    // Names the tables cannot reach, each with the reason.
    private static readonly Dictionary<string, string> s_exempt = new()
    {
        ["BadBackward"] = "test-only name",
    };

    [GeneratedRegex("\"([A-Z][A-Za-z0-9]*Backward[A-Za-z0-9]*)\"")]
    private static partial Regex NodeName();

    private static HashSet<string> SourceNames()
    {
        var names = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "Nabla"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            foreach (Match m in NodeName().Matches(File.ReadAllText(file))) names.Add(m.Groups[1].Value);
        }
        return names;
    }

    private static IEnumerable<(Func<Tensor[], Tensor[]> Function, Func<Tensor[]> Inputs)> Checked()
    {
        foreach (string name in Core.GradCheckTests.Cases())
        {
            var c = Core.OpCases.Get(name);
            var views = c.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("view")).ToArray();
            yield return (x => Core.OpCases.Run(c, x.Select((t, i) => Core.OpCases.ApplyView(t, views[i])).ToArray()), () => Core.OpCases.Inputs(c, floatAs: DType.Float64).Leaves);
        }
        foreach (string name in FunctionalParityTests.DifferentiableCaseNames())
        {
            yield return (FunctionalCases.Cases[name].Run, () => FunctionalParityTests.Inputs(FunctionalParityTests.Case(name), DType.Float64));
        }
        foreach (var f in ExtraGradCheckCases.Cases.Values)
            yield return (f, ExtraGradCheckCases.Inputs);
        foreach (var c in LayerGradCheckTests.Cases.Values)
            yield return (x => [c.Function(x)], () => LayerGradCheckTests.InputsOf(c));
    }

    private static void Walk(IEnumerable<Tensor> roots, HashSet<string> seen)
    {
        var stack = new Stack<Node>(roots.Where(t => t.GradFn is not null).Select(t => t.GradFn!));
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        while (stack.TryPop(out var node))
        {
            if (!visited.Add(node)) continue;
            seen.Add(node.Name);
            foreach (var next in node.NextFunctions) if (next is not null) stack.Push(next);
        }
    }

    [Fact]
    public void EveryBackwardNodeIsReachedByAGradCheckedCase()
    {
        var seen = new HashSet<string>();
        foreach (var (function, makeInputs) in Checked())
        {
            var inputs = makeInputs();
            var outputs = function(inputs).Where(o => o.RequiresGrad && o.DType.IsFloatingPoint()).ToArray();
            Walk(outputs, seen);
            var wrt = inputs.Where(t => t.RequiresGrad).ToArray();
            if (outputs.Length == 0 || wrt.Length == 0) continue;
            var grads = AG.Grad(outputs, wrt, outputs.Select(o => Torch.OnesLike(o).RequiresGrad_()).ToArray(), createGraph: true, allowUnused: true);
            Walk(grads.OfType<Tensor>(), seen);
        }
        var missing = SourceNames()
            .Where(n => !s_exempt.ContainsKey(n))
            .Where(n => !seen.Contains(n) && !(char.IsLetter(n[^1]) && seen.Any(s => s.StartsWith(n, StringComparison.Ordinal))))
            .Order().ToArray();
        Assert.True(missing.Length == 0, "backward nodes that no gradcheck/gradgradcheck case reaches: " + string.Join(", ", missing));
    }
}
