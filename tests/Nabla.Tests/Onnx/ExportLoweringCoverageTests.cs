using System.Text.RegularExpressions;
using Nabla.Onnx;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>Every op kind that the library records for tracing has an ONNX lowering: found by reading the source.</summary>
public partial class ExportLoweringCoverageTests
{
    [Fact]
    public void EveryTracedOpKindHasALowering()
    {
        var kinds = TracedKinds();
        var missing = kinds.Keys.Where(k => !Lowerings.Table.ContainsKey(k)).Order().ToArray();
        Assert.True(missing.Length == 0,
            "Op kinds recorded for tracing with no ONNX lowering (add each to src/Nabla/Onnx/Lowerings.cs):\n" +
            string.Join("\n", missing.Select(k => $"  \"{k}\" recorded at {kinds[k]}")));
    }

    [Fact]
    public void SourceScanFindsTheKindsOfEveryRecordingStyle()
    {
        var kinds = TracedKinds();
        // A literal kind, a conditional between literals, and kinds passed through a helper's `kind` parameter.
        Assert.Contains("linear", kinds.Keys);
        Assert.Contains("maximum", kinds.Keys);
        Assert.Contains("max_dim", kinds.Keys);
        Assert.Contains("exp", kinds.Keys);
        Assert.Contains("relu", kinds.Keys);
        Assert.Contains("eq", kinds.Keys);
        Assert.Contains("logical_xor", kinds.Keys);
        Assert.Contains("layer_norm", kinds.Keys);
        Assert.Contains("topk", kinds.Keys);
    }

    [Fact]
    public void EveryLoweringIsForAKindThatIsRecorded()
    {
        var kinds = TracedKinds();
        var stale = Lowerings.Table.Keys.Where(k => !kinds.ContainsKey(k)).Order().ToArray();
        Assert.True(stale.Length == 0, $"Lowerings for kinds that no op records (renamed or removed?): {string.Join(", ", stale)}");
    }

    /// <summary>
    /// Kind → where it is recorded, from every <c>Trace.Record(</c> in src/Nabla: string literals in its first argument;
    /// when that argument is the first parameter of the enclosing helper (<c>FloatUnary(string kind)</c>), the literals
    /// its callers pass first. A first argument the scan cannot follow fails the test: write the kind as a literal.
    /// </summary>
    private static Dictionary<string, string> TracedKinds()
    {
        var src = Path.Combine(RepoPaths.Root, "src", "Nabla");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(src, f), f => StripComments(File.ReadAllText(f)));
        var kinds = new Dictionary<string, string>();
        foreach (var (file, text) in files)
        {
            if (file.EndsWith("Trace.cs", StringComparison.Ordinal)) continue; // the recorder itself
            foreach (Match call in RecordCall().Matches(text))
            {
                string where = $"{file}:{text[..call.Index].Count(c => c == '\n') + 1}";
                string argument = call.Groups["arg"].Value;
                var literals = Literal().Matches(argument).Select(m => m.Groups[1].Value).ToArray();
                if (literals.Length == 0)
                    literals = HelperCallerLiterals(text[..call.Index], argument.Trim(), files, where);
                foreach (var kind in literals) kinds.TryAdd(kind, where);
            }
        }
        return kinds;
    }

    private static string[] HelperCallerLiterals(string before, string parameter, Dictionary<string, string> files, string where)
    {
        Assert.True(Regex.IsMatch(parameter, @"^\w+$"), $"Trace.Record at {where} takes its kind from `{parameter}`, which the scan cannot follow; pass a string literal.");
        var declarations = Regex.Matches(before, $@"(\w+)(?:<[^()]*>)?\(string {parameter}\b");
        Assert.True(declarations.Count > 0,
            $"Trace.Record at {where} takes its kind from `{parameter}`, which is not the first parameter (`string {parameter}`) of the enclosing method; pass a string literal, or make it the helper's first parameter.");
        string helper = declarations[^1].Groups[1].Value;
        var callers = files.Values.SelectMany(t => Regex.Matches(t, $@"\b{helper}(?:<[^()]*?>)?\(\s*""([a-z0-9_]+)""").Select(m => m.Groups[1].Value)).Distinct().ToArray();
        Assert.True(callers.Length > 0, $"Trace.Record at {where} records the `{parameter}` of {helper}, but no call of {helper} passes a string literal first.");
        return callers;
    }

    private static string StripComments(string text) => Regex.Replace(text, @"^\s*//.*$", "", RegexOptions.Multiline);

    [GeneratedRegex(@"\bTrace\.Record\(\s*(?<arg>[^,]+),")]
    private static partial Regex RecordCall();

    [GeneratedRegex(@"""([a-z0-9_]+)""")]
    private static partial Regex Literal();
}
