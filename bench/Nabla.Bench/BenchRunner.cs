using TorchSharp;

namespace Nabla.Bench;

/// <summary>Runs the selected rows at each thread count, then the fresh-process figures, and prints the report.</summary>
internal static class BenchRunner
{
    private const string FreshName = "MLP training SGD, fresh process";

    public static int Run(BenchOptions options, string[] args)
    {
        string commandLine = $"dotnet run --project bench/Nabla.Bench -c Release -- {string.Join(' ', args)}".TrimEnd();
        Progress("measuring the FMA peak");
        var machine = MachineInfo.Gather(options.Threads.Union([1, 2]));
        var rows = new List<RowResult>();
        foreach (var workload in WorkloadCatalog.All().Where(w => options.Selects(w.Name)))
        {
            var contenders = workload.Build();
            foreach (int threads in options.Threads) rows.Add(Measure(workload, contenders, threads, options.Plan));
        }
        var fresh = options.Selects(FreshName) ? [.. options.Threads.Select(t => MeasureFresh(t, options.Plan))] : new List<FreshRow>();

        string report = Report.Markdown(machine, commandLine, rows, fresh);
        Console.WriteLine(report);
        if (options.OutPath is { } path) File.WriteAllText(path, report);
        return 0;
    }

    private static RowResult Measure(Workload workload, Contenders contenders, int threads, SamplingPlan plan)
    {
        // Nabla and TorchSharp take a process-wide thread count; ONNX Runtime takes it per session, in Prepare.
        Torch.SetNumThreads(threads);
        torch.set_num_threads(threads);
        Contender[] all = [contenders.Nabla, .. contenders.Anchors];
        var steps = all.Select(c => c.Prepare(threads)).ToList();
        try
        {
            var results = Interleaved.Measure([.. all.Select((c, i) => (c.Library, steps[i].Run))], plan);
            var row = new RowResult(workload, threads, results[0], results[1..]);
            Progress($"{workload.Name}, {threads} thread(s): Nabla {Units.Time(row.Nabla.MedianSeconds)}"
                + string.Concat(row.Anchors.Select(a => $", {a.Library} {Units.Time(a.MedianSeconds)} ({Units.Ratio(a.MedianSeconds / row.Nabla.MedianSeconds)})")));
            return row;
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }

    private static FreshRow MeasureFresh(int threads, SamplingPlan plan)
    {
        var nabla = new List<FreshFigures>();
        var torchSharp = new List<FreshFigures>();
        for (int run = 0; run < plan.FreshProcessRuns; run++)
        {
            nabla.Add(ChildProcess.Run(FreshTraining.NablaChild, threads));
            torchSharp.Add(ChildProcess.Run(FreshTraining.TorchSharpChild, threads));
        }
        var row = new FreshRow(FreshName, threads, Median(nabla), Median(torchSharp));
        Progress($"{FreshName}, {threads} thread(s): first step Nabla {Units.Time(row.Nabla.FirstStepMilliseconds / 1e3)}, TorchSharp {Units.Time(row.TorchSharp.FirstStepMilliseconds / 1e3)}");
        return row;
    }

    // Median of each figure separately: the two figures are independent measurements.
    private static FreshFigures Median(List<FreshFigures> runs) => new(
        runs.Select(r => r.FirstStepMilliseconds).Order().ElementAt(runs.Count / 2),
        runs.Select(r => r.PeakWorkingSetBytes).Order().ElementAt(runs.Count / 2));

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    private static void Progress(string line) => Console.Error.WriteLine($"[{Clock.Elapsed:m\\:ss}] {line}");
}
