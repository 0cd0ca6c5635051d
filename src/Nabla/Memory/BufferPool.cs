using System.Runtime.InteropServices;

namespace Nabla.Memory;

/// <summary>
/// Reuses the arrays behind large tensors, so that a training loop in steady state takes no fresh memory.
/// </summary>
/// <remarks>
/// Arrays of <see cref="MinPooledBytes"/> or more are pooled by exact length and dtype (shapes repeat in a
/// training loop, and an exact length keeps every "array length equals element count" assumption true).
/// A buffer comes back in one of two ways:
/// <list type="bullet">
/// <item>the library knows it is dead — a gradient consumed by the backward engine, a gradient dropped by
/// <c>ZeroGrad</c> that no user code ever read, a disposed tensor — and calls <see cref="Return"/>;</item>
/// <item>otherwise the garbage collector decides: each rented buffer is tracked through a weak handle to
/// its <see cref="Storage"/>, and once the storage is unreachable the buffer is reclaimed at the next
/// <see cref="SafePoint"/>. Once <see cref="CollectionBytes"/> have been rented since the last collection (less
/// those handed back), a safe point asks for a gen-1 collection. That is cheap: the dead storages are small young
/// objects, while the large arrays themselves stay in the pool and never go back to the GC. After a cycle or two
/// the pool holds what one cycle rents, and a steady loop takes no fresh array.</item>
/// </list>
/// Reclaiming through the GC is done only at safe points (library entry points between ops: module calls,
/// backward, optimizer steps) and only for buffers rented on the calling thread, because a kernel may still
/// be reading the array of a storage that has just become unreachable; between ops on the same thread none is.
/// </remarks>
internal static class BufferPool
{
    /// <summary>Smaller arrays are ordinary gen-0 allocations, which the GC already recycles well.</summary>
    public const int MinPooledBytes = 4 * 1024;

    /// <summary>
    /// Renting between two collections the pool asks for (each costs a fraction of a millisecond). What a cycle rents is
    /// held twice at most (rented, then free for the next cycle), so this bounds the pool's share of the working set.
    /// </summary>
    public const long CollectionBytes = 16L << 20;

    /// <summary>
    /// Renting without a step boundary after which the pool stops holding the arrays of dead storages (a loop of plain
    /// tensor ops, with no module call, backward or optimizer step, never reaches a point where reuse is safe).
    /// </summary>
    public const long ReleaseBytes = 4 * CollectionBytes;

    /// <summary>Free arrays kept beyond this are left to the GC (shapes that stopped recurring).</summary>
    public const long MaxFreeBytes = 1L << 30;

    private struct Entry
    {
        public GCHandle Owner;   // weak: the storage renting the array
        public Array Data;
        public DType DType;
        public Thread Thread;    // the renting thread: only it (or anyone, once it has ended) reclaims through the GC
    }

    private static readonly object s_lock = new();
    private static readonly Dictionary<long, Stack<Array>> s_free = [];
    private static readonly List<Entry> s_rented = [];
    private static long s_freeBytes, s_rentedSinceCollection;
    private static int s_seenCollections;

    // Statistics, for tests and the benchmark.
    private static long s_hits, s_misses, s_returned, s_reclaimed, s_released, s_collections;

    /// <summary>Arrays handed out from the free lists so far.</summary>
    public static long Hits => Interlocked.Read(ref s_hits);

    /// <summary>Arrays freshly allocated for the pool so far.</summary>
    public static long Misses => Interlocked.Read(ref s_misses);

    /// <summary>Arrays the library handed back as known dead.</summary>
    public static long Returned => Interlocked.Read(ref s_returned);

    /// <summary>Arrays reclaimed after the GC found their storage unreachable.</summary>
    public static long Reclaimed => Interlocked.Read(ref s_reclaimed);

    /// <summary>Arrays of dead storages let go to the GC because no safe point came to reuse them.</summary>
    public static long Released => Interlocked.Read(ref s_released);

    /// <summary>Collections the pool asked for.</summary>
    public static long Collections => Interlocked.Read(ref s_collections);

    /// <summary>A storage of <paramref name="count"/> elements, from the free list when one of that size is there.</summary>
    public static Storage Allocate(DType dtype, int count, bool zeroed)
    {
        long bytes = (long)count * dtype.ElementSize();
        if (bytes < MinPooledBytes) return new Storage(NewArray(dtype, count, zeroed), dtype);
        lock (s_lock)
        {
            Array data;
            if (s_free.TryGetValue(Key(dtype, count), out var stack) && stack.TryPop(out var reused))
            {
                data = reused;
                s_freeBytes -= bytes;
                s_hits++;
                if (zeroed) Array.Clear(data);
            }
            else
            {
                if (s_rentedSinceCollection >= ReleaseBytes) ReleaseDead();
                data = NewArray(dtype, count, zeroed);
                s_misses++;
            }
            var storage = new Storage(data, dtype) { PoolIndex = s_rented.Count, BackwardPass = Autograd.Engine.CurrentPass };
            s_rented.Add(new Entry { Owner = GCHandle.Alloc(storage, GCHandleType.Weak), Data = data, DType = dtype, Thread = Thread.CurrentThread });
            s_rentedSinceCollection += bytes;
            return storage;
        }
    }

    /// <summary>Takes back the array of a storage the library knows is dead; the storage is emptied so a stale use fails loudly.</summary>
    public static void Return(Storage storage)
    {
        lock (s_lock)
        {
            int index = storage.PoolIndex;
            if (index < 0 || index >= s_rented.Count || !ReferenceEquals(s_rented[index].Data, storage.Data)) return;
            var entry = s_rented[index];
            entry.Owner.Free();
            RemoveAt(index);
            storage.PoolIndex = -1;
            storage.Release();
            s_rentedSinceCollection = Math.Max(0, s_rentedSinceCollection - (long)entry.Data.Length * storage.DType.ElementSize());
            PushFree(entry.Data, storage.DType);
            s_returned++;
        }
    }

    /// <summary>
    /// Called between ops: reclaims the buffers of this thread's storages that the GC found unreachable. At a step
    /// boundary (<paramref name="stepBoundary"/>: zero_grad, the optimizer step, an outermost module call), where few
    /// tensors are alive, it first asks for a young-generation collection when much has been rented since the last.
    /// </summary>
    public static void SafePoint(bool stepBoundary)
    {
        if (t_noSafePoints) return;
        if (stepBoundary && Volatile.Read(ref s_rentedSinceCollection) >= CollectionBytes)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            Interlocked.Increment(ref s_collections);
            Sweep(resetBudget: true);
        }
        else if (GC.CollectionCount(0) != Volatile.Read(ref s_seenCollections)) Sweep(resetBudget: false);
    }

    [ThreadStatic] private static bool t_noSafePoints;

    /// <summary>Turns safe points off on the calling thread (a background thread that must not move the pool's collection budget).</summary>
    public static void SuspendSafePoints() => t_noSafePoints = true;

    private static void Sweep(bool resetBudget)
    {
        var current = Thread.CurrentThread;
        lock (s_lock)
        {
            s_seenCollections = GC.CollectionCount(0);
            for (int i = s_rented.Count - 1; i >= 0; i--)
            {
                var entry = s_rented[i];
                if (entry.Owner.Target is not null) continue;
                if (entry.Thread != current && entry.Thread.IsAlive) continue;
                entry.Owner.Free();
                RemoveAt(i);
                PushFree(entry.Data, entry.DType);
                s_reclaimed++;
            }
            if (resetBudget) s_rentedSinceCollection = 0;
        }
    }

    // Finds the dead storages with a young collection and drops (without reusing) their arrays, on any thread: that only
    // lets the GC free them, so it is safe anywhere, even while a kernel still reads such an array.
    private static void ReleaseDead()
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
        s_rentedSinceCollection = 0;
        for (int i = s_rented.Count - 1; i >= 0; i--)
        {
            var entry = s_rented[i];
            if (entry.Owner.Target is not null) continue;
            entry.Owner.Free();
            RemoveAt(i);
            s_released++;
        }
    }

    private static void RemoveAt(int index)
    {
        int last = s_rented.Count - 1;
        if (index != last)
        {
            var moved = s_rented[last];
            s_rented[index] = moved;
            if (moved.Owner.Target is Storage s) s.PoolIndex = index;
        }
        s_rented.RemoveAt(last);
    }

    private static void PushFree(Array data, DType dtype)
    {
        long bytes = (long)data.Length * dtype.ElementSize();
        if (s_freeBytes + bytes > MaxFreeBytes) return;
        long key = Key(dtype, data.Length);
        if (!s_free.TryGetValue(key, out var stack)) s_free[key] = stack = new Stack<Array>();
        stack.Push(data);
        s_freeBytes += bytes;
    }

    private static long Key(DType dtype, int count) => ((long)count << 4) | (long)dtype;

    internal static Array NewArray(DType dtype, int n, bool zeroed) => dtype switch
    {
        DType.Float32 => zeroed ? new float[n] : GC.AllocateUninitializedArray<float>(n),
        DType.Float64 => zeroed ? new double[n] : GC.AllocateUninitializedArray<double>(n),
        DType.Int64 => zeroed ? new long[n] : GC.AllocateUninitializedArray<long>(n),
        DType.Int32 => zeroed ? new int[n] : GC.AllocateUninitializedArray<int>(n),
        DType.Float16 => zeroed ? new Half[n] : GC.AllocateUninitializedArray<Half>(n),
        DType.BFloat16 => zeroed ? new BFloat16[n] : GC.AllocateUninitializedArray<BFloat16>(n),
        DType.UInt8 => new byte[n],
        DType.Int8 => new sbyte[n],
        DType.Int16 => zeroed ? new short[n] : GC.AllocateUninitializedArray<short>(n),
        _ => new bool[n],
    };
}
