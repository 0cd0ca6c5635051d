using System.Globalization;
using System.Text;

namespace Nabla.Bench;

/// <summary>The markdown report: a header about the machine, then one table per section.</summary>
internal static class Report
{
    public static string Markdown(MachineInfo machine, string commandLine, IReadOnlyList<RowResult> rows, IReadOnlyList<FreshRow> fresh)
    {
        var md = new StringBuilder();
        md.AppendLine("# Nabla benchmark results").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}`").AppendLine();
        AppendTable(md, ["Machine", ""],
        [
            ["Date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)],
            ["CPU", machine.Cpu],
            ["Cores", machine.Cores.ToString(CultureInfo.InvariantCulture)],
            ["Load average at start (1 / 5 / 15 min)", machine.LoadAverage],
            [".NET", machine.DotNet],
            ["Vector512 / Vector256 accelerated", $"{machine.Vector512} / {machine.Vector256}"],
            ["TorchSharp / libtorch", $"{machine.TorchSharpVersion} / {machine.LibTorchVersion} (default threads {machine.TorchSharpDefaultThreads}; set per row)"],
            ["ONNX Runtime", machine.OnnxRuntimeVersion],
            .. machine.Peaks.Select(p => new[] { $"fp32 FMA peak, Vector{p.VectorBits}, {p.Threads} thread(s)", $"{Units.Number(p.Gflops)} GFLOPS" }),
        ]);
        md.AppendLine();
        md.AppendLine("Times are medians of interleaved samples in one process. **Ratio = anchor time / Nabla time: above 1, Nabla is faster**, "
            + "except for the fresh-process figures, whose **ratios are Nabla / TorchSharp: below 1, Nabla is better**. Memory columns count over each side's steady-state samples only: "
            + "page faults (minor + major, process-wide), gen-0/1/2 collections per 100 iterations (as `GC.CollectionCount` counts them: a gen-2 "
            + "collection counts in gen 0 and 1 too), managed bytes allocated per iteration. "
            + "For TorchSharp and ONNX Runtime those GC and allocation figures are managed-side only; their native memory is not seen.");

        foreach (var section in rows.Select(r => r.Workload.Section).Distinct())
        {
            var (title, note, columns) = Tables.For(section, machine);
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine().AppendLine(note).AppendLine();
            var cells = rows.Where(r => r.Workload.Section == section)
                .SelectMany(r => r.Anchors.Select(a => columns.Select(c => c.Cell(r, a)).ToArray())).ToList();
            AppendTable(md, [.. columns.Select(c => c.Header)], cells);
        }

        if (fresh.Count > 0) AppendFresh(md, fresh);
        return md.ToString();
    }

    private static void AppendFresh(StringBuilder md, IReadOnlyList<FreshRow> fresh)
    {
        md.AppendLine().AppendLine("## Fresh process").AppendLine();
        md.AppendLine("A new process of this bench (`--child mlp-nabla` / `--child mlp-torchsharp`) runs the MLP training step (SGD, batch 64): "
            + "time from process start to the end of its first step, then peak working set (VmHWM) after 200 more steps. "
            + "Medians over child processes. **Ratio = Nabla / TorchSharp here: below 1, Nabla is better.**").AppendLine();
        AppendTable(md, ["Workload", "Threads", "Nabla first step", "TorchSharp first step", "Nabla/TorchSharp", "Nabla peak WS", "TorchSharp peak WS", "Nabla/TorchSharp"],
            [.. fresh.Select(f => new[]
            {
                f.Name, f.Threads.ToString(CultureInfo.InvariantCulture),
                Units.Time(f.Nabla.FirstStepMilliseconds / 1e3), Units.Time(f.TorchSharp.FirstStepMilliseconds / 1e3),
                Units.Ratio(f.Nabla.FirstStepMilliseconds / f.TorchSharp.FirstStepMilliseconds),
                Units.Bytes(f.Nabla.PeakWorkingSetBytes), Units.Bytes(f.TorchSharp.PeakWorkingSetBytes),
                Units.Ratio((double)f.Nabla.PeakWorkingSetBytes / f.TorchSharp.PeakWorkingSetBytes),
            })]);
    }

    private static void AppendTable(StringBuilder md, string[] headers, IEnumerable<string[]> rows)
    {
        md.AppendLine($"| {string.Join(" | ", headers)} |");
        md.AppendLine($"|{string.Concat(headers.Select(_ => "---|"))}");
        foreach (var row in rows) md.AppendLine($"| {string.Join(" | ", row)} |");
    }
}
