using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Nabla.Bench;

/// <summary>Starts this bench again as a child (<c>--child NAME</c>) and reads back the figures it prints.</summary>
internal static class ChildProcess
{
    public const string FirstStepKey = "first-step-ms";
    public const string PeakKey = "peak-working-set-bytes";

    public static FreshFigures Run(string child, int threads)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("no process path"))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under the `dotnet` host the bench is its dll; under its own apphost the executable is enough.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        // A user's fresh process runs with the runtime's defaults, not the bench's JIT setting (see Nabla.Bench.csproj).
        start.Environment["DOTNET_TC_QuickJitForLoops"] = "1";
        foreach (string arg in new[] { "--child", child, "--threads", threads.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start child {child}");
        var values = new Dictionary<string, string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            int eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = line[(eq + 1)..];
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || !values.ContainsKey(FirstStepKey) || !values.ContainsKey(PeakKey))
            throw new InvalidOperationException($"child {child} failed with exit code {process.ExitCode}");
        return new FreshFigures(double.Parse(values[FirstStepKey], CultureInfo.InvariantCulture), long.Parse(values[PeakKey], CultureInfo.InvariantCulture));
    }
}

/// <summary>A fresh process's time from start to the end of its first step, and its peak working set.</summary>
internal sealed record FreshFigures(double FirstStepMilliseconds, long PeakWorkingSetBytes);
