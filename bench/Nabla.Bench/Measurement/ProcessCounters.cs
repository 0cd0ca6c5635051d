namespace Nabla.Bench;

/// <summary>What the kernel and the GC have counted for this process so far; differences of two snapshots measure a span of work.</summary>
internal readonly record struct ProcessCounters(long PageFaults, int Gen0, int Gen1, int Gen2, long AllocatedBytes, long ThreadAllocatedBytes)
{
    public static ProcessCounters Now() => new(
        ReadPageFaults(),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalAllocatedBytes(precise: true),
        GC.GetAllocatedBytesForCurrentThread());

    public static ProcessCounters operator -(ProcessCounters a, ProcessCounters b) => new(
        a.PageFaults - b.PageFaults, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2,
        a.AllocatedBytes - b.AllocatedBytes, a.ThreadAllocatedBytes - b.ThreadAllocatedBytes);

    public static ProcessCounters operator +(ProcessCounters a, ProcessCounters b) => new(
        a.PageFaults + b.PageFaults, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2,
        a.AllocatedBytes + b.AllocatedBytes, a.ThreadAllocatedBytes + b.ThreadAllocatedBytes);

    /// <summary>Minor plus major page faults (fields 10 and 12 of <c>/proc/self/stat</c>); -1 where there is no procfs.</summary>
    public static long ReadPageFaults()
    {
        if (!File.Exists("/proc/self/stat")) return -1;
        string stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) may hold spaces; fields after its closing parenthesis start at field 3.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[10 - 3]) + long.Parse(fields[12 - 3]);
    }

    /// <summary>Peak resident set (<c>VmHWM</c> of <c>/proc/self/status</c>) in bytes; the GC's view where there is no procfs.</summary>
    public static long PeakWorkingSetBytes()
    {
        if (!File.Exists("/proc/self/status")) return Environment.WorkingSet;
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
    }
}
