using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>One operand of a batched product as it lies in its array: matrix b's element (i, j) at Offset + b·BatchStride + i·RowStride + j·ColStride (batch stride 0 broadcasts).</summary>
internal readonly record struct MatrixBatch<T>(T[] Array, long Offset, long BatchStride, long RowStride, long ColStride);

/// <summary>
/// The front door of every matrix product: C[b] (=|+=) A[b] @ B[b] on strided operands read in place, then an
/// optional bias-and-ReLU epilogue. Picks a path once per call — zero fill (k = 0), direct loops (tiny), vector
/// (m or n is 1), packed (everything else) — and spreads the work over threads by batch or by the larger of m and n,
/// so each element is computed the same way whatever the thread count.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>The instruction sets the packed kernel can run on, narrowest first.</summary>
    internal enum Isa { Scalar, Vector128, Vector256, Vector512 }

    private enum Path { Zero, Direct, Vector, Packed }

    private const long DirectWork = 1024; // multiply-adds: measured, packing wins from about 10x10x10 up
    private const long ParallelWork = 1 << 19; // multiply-adds (~20 µs on one core): below it, waking a second thread costs more than it saves
    private const long ParallelVectorWork = 1 << 16; // a matrix-vector product streams its matrix: split from 256 KiB of fp32, each core then keeps its half in its own L2

    private static readonly Isa s_best = Vector512.IsHardwareAccelerated ? Isa.Vector512
        : Vector256.IsHardwareAccelerated ? Isa.Vector256
        : Vector128.IsHardwareAccelerated ? Isa.Vector128 : Isa.Scalar;

    [ThreadStatic] private static Isa? t_forcedIsa;

    /// <summary>
    /// The widest path this machine runs. A test may force another for calls made on its own thread: a narrower one, or a
    /// wider one that .NET then runs in software (slow, same results), so every width is checked on any machine.
    /// </summary>
    internal static Isa CurrentIsa
    {
        get => t_forcedIsa ?? s_best;
        set => t_forcedIsa = value;
    }

    /// <summary>Clears a forced path (tests).</summary>
    internal static void ResetIsa() => t_forcedIsa = null;

    /// <summary>
    /// C[b] = A[b] @ B[b] (or += when <paramref name="accumulate"/>) for b in [0, batch); A is m x k, B k x n, C m x n with
    /// unit column stride. Then, per element, + bias[column] (when <paramref name="bias"/> is given) and ReLU (when <paramref name="relu"/>).
    /// </summary>
    public static void Batched<T>(MatrixBatch<T> a, MatrixBatch<T> b, MatrixBatch<T> c, int batch, int m, int k, int n,
        bool accumulate = false, T[]? bias = null, long biasOffset = 0, bool relu = false) where T : unmanaged, INumber<T>
    {
        if (c.ColStride != 1 && n > 1) throw new ArgumentException("gemm: C needs unit column stride");
        if (batch == 0 || m == 0 || n == 0) return;
        fixed (T* pa = a.Array, pb = b.Array, pc = c.Array, pbias = bias)
        {
            var problem = new Problem<T>(
                new StridedMatrix<T>(pa + a.Offset, (nint)a.RowStride, (nint)a.ColStride), (nint)a.BatchStride,
                new StridedMatrix<T>(pb + b.Offset, (nint)b.RowStride, (nint)b.ColStride), (nint)b.BatchStride,
                pc + c.Offset, (nint)c.RowStride, (nint)c.BatchStride, m, k, n, accumulate,
                new GemmEpilogue<T>(pbias == null ? null : pbias + biasOffset, relu));
            Run(problem, batch, CurrentIsa);
        }
    }

    /// <summary>One product on this thread only (for callers that parallelise outside it).</summary>
    internal static void Serial<T>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, nint ldc, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        var problem = new Problem<T>(a, 0, b, 0, c, ldc, 0, m, k, n, accumulate, default);
        problem.Compute(Choose(m, k, n), CurrentIsa, 0);
    }

    private static Path Choose(int m, int k, int n)
        => k == 0 ? Path.Zero : (long)m * k * n <= DirectWork ? Path.Direct : m == 1 || n == 1 ? Path.Vector : Path.Packed;

    private static void Run<T>(Problem<T> problem, int batch, Isa isa) where T : unmanaged, INumber<T>
    {
        var path = Choose(problem.M, problem.K, problem.N);
        int threads = Parallelism.Threads;
        long work = (long)batch * problem.M * problem.N * Math.Max(1, problem.K);
        bool byBatch = batch >= 4 * threads || batch % threads == 0;
        if (threads == 1 || work < (path == Path.Vector ? ParallelVectorWork : ParallelWork) || path == Path.Zero || (path == Path.Direct && !byBatch))
        {
            for (int item = 0; item < batch; item++) problem.Compute(path, isa, item);
            return;
        }
        if (byBatch)
        {
            Parallelism.ForRanges(batch, threads, (first, end) => { for (int item = first; item < end; item++) problem.Compute(path, isa, item); });
            return;
        }
        // Split each matrix along the dimension that has the work, in whole tiles.
        bool byColumns = problem.N >= problem.M;
        int extent = byColumns ? problem.N : problem.M;
        int grain = path != Path.Packed ? 1 : byColumns ? 2 * LanesOf<T>(isa) : GemmMicroKernel.Rows;
        int parts = Math.Clamp(extent / grain, 1, threads);
        Parallelism.For(batch * parts, task =>
        {
            int part = task % parts, tiles = (extent + grain - 1) / grain;
            int begin = Math.Min(extent, tiles * part / parts * grain), end = Math.Min(extent, tiles * (part + 1) / parts * grain);
            if (end > begin) problem.Slice(byColumns, begin, end - begin).Compute(path, isa, task / parts);
        });
    }

    private static int LanesOf<T>(Isa isa) where T : unmanaged => typeof(T) != typeof(float) && typeof(T) != typeof(double) ? 1 : isa switch
    {
        Isa.Vector512 => Vector512<T>.Count,
        Isa.Vector256 => Vector256<T>.Count,
        Isa.Vector128 => Vector128<T>.Count,
        _ => 1,
    };

    /// <summary>A batched product with its operands pinned.</summary>
    private readonly struct Problem<T>(StridedMatrix<T> a, nint aBatch, StridedMatrix<T> b, nint bBatch, T* c, nint ldc, nint cBatch,
        int m, int k, int n, bool accumulate, GemmEpilogue<T> epilogue) where T : unmanaged, INumber<T>
    {
        public int M => m;
        public int K => k;
        public int N => n;

        /// <summary>The rows (or columns) [begin, begin + count) of every matrix.</summary>
        public Problem<T> Slice(bool columns, int begin, int count) => columns
            ? new(a, aBatch, b.From(0, begin), bBatch, c + begin, ldc, cBatch, m, k, count, accumulate, epilogue.FromColumn(begin))
            : new(a.From(begin, 0), aBatch, b, bBatch, c + begin * ldc, ldc, cBatch, count, k, n, accumulate, epilogue);

        public void Compute(Path path, Isa isa, int item)
        {
            var ai = new StridedMatrix<T>(a.Data + item * aBatch, a.RowStride, a.ColStride);
            var bi = new StridedMatrix<T>(b.Data + item * bBatch, b.RowStride, b.ColStride);
            T* ci = c + item * cBatch;
            switch (path)
            {
                case Path.Packed when typeof(T) != typeof(float) && typeof(T) != typeof(double):
                    GemmPacked.Multiply<T, T, ScalarLanes<T>>(ai, bi, ci, ldc, m, k, n, accumulate, epilogue);
                    return; // integers: one lane, the same loop nest
                case Path.Packed:
                    Packed(isa, ai, bi, ci);
                    return; // the epilogue ran tile by tile
                case Path.Vector:
                    GemmVector.Multiply(ai, bi, ci, ldc, m, k, n, accumulate);
                    break;
                case Path.Direct:
                    GemmDirect.Multiply(ai, bi, ci, ldc, m, k, n, accumulate);
                    break;
                default:
                    if (!accumulate)
                        for (int i = 0; i < m; i++) new Span<T>(ci + i * ldc, n).Clear();
                    break;
            }
            epilogue.ApplyRows(ci, ldc, m, n);
        }

        private void Packed(Isa isa, StridedMatrix<T> ai, StridedMatrix<T> bi, T* ci)
        {
            switch (isa)
            {
                case Isa.Vector512: GemmPacked.Multiply<T, Vector512<T>, Lanes512<T>>(ai, bi, ci, ldc, m, k, n, accumulate, epilogue); break;
                case Isa.Vector256: GemmPacked.Multiply<T, Vector256<T>, Lanes256<T>>(ai, bi, ci, ldc, m, k, n, accumulate, epilogue); break;
                case Isa.Vector128: GemmPacked.Multiply<T, Vector128<T>, Lanes128<T>>(ai, bi, ci, ldc, m, k, n, accumulate, epilogue); break;
                default: GemmPacked.Multiply<T, T, ScalarLanes<T>>(ai, bi, ci, ldc, m, k, n, accumulate, epilogue); break;
            }
        }
    }
}
