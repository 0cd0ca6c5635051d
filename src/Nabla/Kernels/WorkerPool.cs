using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// The threads behind <see cref="Parallelism"/>: <c>Threads − 1</c> workers that, after a parallel region, spin for a
/// short while before they park, so the next region of a training step starts at once instead of waiting for the
/// thread pool to wake a thread (tens of microseconds on a VM: more than a whole kernel of a small model). This is
/// what OpenMP's spinning threads do for libtorch. One region runs at a time; a region asked for while another runs
/// (a kernel inside a kernel, or a second user thread) runs on its caller's thread.
/// </summary>
internal static class WorkerPool
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs: longer than the gaps inside a step

    private static readonly object s_gate = new();
    private static Worker[] s_workers = [];
    private static int s_busy;
    private static long s_generation;
    private static Region? s_region;

    [ThreadStatic] private static bool t_isWorker;

    /// <summary>
    /// Runs body(chunk) for chunk in [0, chunks) on the caller and up to <paramref name="threads"/> − 1 workers; false
    /// (nothing run) when the pool is taken, so the caller runs the chunks itself.
    /// </summary>
    public static bool TryRun(int chunks, int threads, Action<int> body)
    {
        if (t_isWorker || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0) return false;
        try
        {
            var workers = EnsureWorkers(threads - 1);
            var region = new Region(chunks, threads - 1, body);
            Volatile.Write(ref s_region, region);
            Interlocked.Increment(ref s_generation);
            for (int i = 0; i < Math.Min(workers.Length, chunks - 1); i++) workers[i].Wake();
            region.Work();
            var spinner = new SpinWait();
            while (Volatile.Read(ref region.Remaining) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref s_region, null);
            if (region.Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return s_workers;
        lock (s_gate)
        {
            if (s_workers.Length < count)
            {
                var grown = new Worker[count];
                Array.Copy(s_workers, grown, s_workers.Length);
                for (int i = s_workers.Length; i < count; i++) grown[i] = new Worker(i);
                s_workers = grown;
            }
            return s_workers;
        }
    }

    /// <summary>One parallel loop: chunks are claimed by counter, so whoever is free takes the next one.</summary>
    private sealed class Region(int chunks, int workerSlots, Action<int> body)
    {
        private readonly int _chunks = chunks;
        private int _next = -1;
        private int _slots = workerSlots;
        public int Remaining = chunks;
        public Exception? Failure;

        /// <summary>A worker's share: nothing when the region already has as many workers as the thread budget allows.</summary>
        public void Join()
        {
            if (Interlocked.Decrement(ref _slots) >= 0) Work();
        }

        public void Work()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next)) < _chunks)
            {
                try
                {
                    body(chunk);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Failure, e, null);
                }
                Interlocked.Decrement(ref Remaining);
            }
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _signal = new(0);
        private int _parked;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Nabla worker {index + 1}" };
            thread.Start();
        }

        /// <summary>Releases the worker if it parked; a spinning worker sees the new generation by itself.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _parked, 0) == 1) _signal.Release();
        }

        private void Loop()
        {
            t_isWorker = true;
            long seen = Volatile.Read(ref s_generation);
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                var spinner = new SpinWait();
                while (Volatile.Read(ref s_generation) == seen)
                {
                    if (Stopwatch.GetTimestamp() - start < SpinTicks)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                        continue;
                    }
                    // Park, then look once more: a region published between the check and the flag is not missed.
                    Interlocked.Exchange(ref _parked, 1); // a full fence: the store is seen before the generation is read
                    if (Volatile.Read(ref s_generation) == seen) _signal.Wait();
                    else if (Interlocked.Exchange(ref _parked, 0) == 0) _signal.Wait(); // woken anyway: consume the release
                    start = Stopwatch.GetTimestamp();
                }
                seen = Volatile.Read(ref s_generation);
                Volatile.Read(ref s_region)?.Join();
            }
        }
    }
}
