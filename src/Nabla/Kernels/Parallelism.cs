namespace Nabla.Kernels;

/// <summary>
/// The kernels' thread budget (<c>torch.set_num_threads</c>) and the one parallel loop they share:
/// work below a grain runs inline on the caller's thread, larger work is split into at most
/// <see cref="Threads"/> chunks.
/// </summary>
internal static class Parallelism
{
    private static int s_threads = Environment.ProcessorCount;

    /// <summary>Most threads a kernel may use; 1 runs everything on the calling thread.</summary>
    public static int Threads
    {
        get => s_threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "set_num_threads: the number of threads must be positive");
            s_threads = value;
        }
    }

    /// <summary>How many chunks <paramref name="items"/> items of <paramref name="workPerItem"/> work each are worth, given a grain of work per chunk.</summary>
    public static int Chunks(long items, long workPerItem, long grain)
    {
        if (s_threads == 1 || items < 2) return 1;
        long byWork = items * workPerItem / Math.Max(1, grain);
        return (int)Math.Clamp(Math.Min(byWork, items), 1, s_threads);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(chunk) for chunk in [0, chunks): inline when one chunk, else on the caller and the
    /// <see cref="WorkerPool"/>; inline too when the pool is already running a region (nested or concurrent calls).
    /// </summary>
    public static void For(int chunks, Action<int> body)
    {
        if (chunks <= 1 || s_threads == 1 || !WorkerPool.TryRun(chunks, s_threads, body))
            for (int c = 0; c < chunks; c++) body(c);
    }

    /// <summary>Splits [0, count) into <paramref name="chunks"/> near-equal ranges and runs <paramref name="body"/>(begin, end) on each.</summary>
    public static void ForRanges(int count, int chunks, Action<int, int> body)
    {
        if (chunks <= 1) { body(0, count); return; }
        For(chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
