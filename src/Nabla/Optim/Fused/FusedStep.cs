using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla.Optim.Fused;

/// <summary>
/// Runs an optimizer's <see cref="IFusedRule{T}"/> as one pass over a parameter: each block of elements is loaded once from the
/// parameter, gradient and state buffers, updated, and stored back in place, with no temporary tensors.
/// Only contiguous float32/float64 tensors of one shape, dtype and storage each take this path; the optimizers keep their
/// tensor-op rule for everything else.
/// </summary>
internal static class FusedStep
{
    [ThreadStatic] private static bool t_referenceOnly;

    /// <summary>While set on this thread, every step takes the tensor-op path (tests compare the two).</summary>
    internal static bool ReferenceOnly { get => t_referenceOnly; set => t_referenceOnly = value; }

    /// <summary>Whether a step of <paramref name="param"/> from <paramref name="grad"/> can be fused, before state exists.</summary>
    public static bool Supports(Tensor param, Tensor grad)
        => !t_referenceOnly && (param.DType is DType.Float32 or DType.Float64) && param._contiguous
           && Matches(param, grad) && !ReferenceEquals(param._storage, grad._storage);

    /// <summary>Applies the rule for the parameter's dtype to every element, if all tensors allow it; false leaves everything untouched.</summary>
    public static bool TryRun<TFloat, TDouble>(Tensor param, Tensor grad, Tensor? state0, Tensor? state1, Tensor? state2,
        TFloat floatRule, TDouble doubleRule)
        where TFloat : struct, IFusedRule<float> where TDouble : struct, IFusedRule<double>
    {
        if (!Supports(param, grad) || !Writable(param, grad, state0) || !Writable(param, grad, state1) || !Writable(param, grad, state2))
            return false;
        if (param.DType == DType.Float32)
            Split(param.MutableSpan<float>(), grad.Span<float>(), Slot<float>(state0), Slot<float>(state1), Slot<float>(state2), floatRule);
        else
            Split(param.MutableSpan<double>(), grad.Span<double>(), Slot<double>(state0), Slot<double>(state1), Slot<double>(state2), doubleRule);
        param.BumpVersion();
        state0?.BumpVersion();
        state1?.BumpVersion();
        state2?.BumpVersion();
        return true;
    }

    private static bool Matches(Tensor param, Tensor t)
        => t.DType == param.DType && t._contiguous && Shapes.SameShape(t._shape, param._shape);

    // A state buffer must not alias the parameter or gradient, or a later element would read a value this pass already wrote.
    private static bool Writable(Tensor param, Tensor grad, Tensor? state)
        => state is null || (Matches(param, state) && !ReferenceEquals(state._storage, param._storage) && !ReferenceEquals(state._storage, grad._storage));

    private static Span<T> Slot<T>(Tensor? state) => state is null ? default : state.MutableSpan<T>();

    /// <summary>Elements per thread from which a parameter's pass is split between threads (a few microseconds of work each).</summary>
    private const long ParallelElements = 1 << 15;

    // Each element's update reads and writes only its own positions, so the pass splits between threads at whole vectors:
    // every block, and the zero-padded tail, is computed exactly as in one pass.
    private static void Split<T, TRule>(Span<T> param, ReadOnlySpan<T> grad, Span<T> s0, Span<T> s1, Span<T> s2, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : struct, IFusedRule<T>
    {
        int chunks = Parallelism.Chunks(param.Length, 1, ParallelElements);
        if (chunks <= 1) Run(param, grad, s0, s1, s2, rule);
        else RunChunks(param, grad, s0, s1, s2, rule, chunks); // its closure is allocated only on this path
    }

    private static unsafe void RunChunks<T, TRule>(Span<T> param, ReadOnlySpan<T> grad, Span<T> s0, Span<T> s1, Span<T> s2, TRule rule, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : struct, IFusedRule<T>
    {
        int n = param.Length;
        bool has0 = !s0.IsEmpty, has1 = !s1.IsEmpty, has2 = !s2.IsEmpty;
        fixed (T* pp = param, pg = grad, p0 = s0, p1 = s1, p2 = s2)
        {
            nint ap = (nint)pp, ag = (nint)pg, a0 = (nint)p0, a1 = (nint)p1, a2 = (nint)p2;
            Parallelism.For(chunks, c =>
            {
                int begin = Boundary(n, chunks, c), length = Boundary(n, chunks, c + 1) - begin;
                Run(new Span<T>((T*)ap + begin, length), new ReadOnlySpan<T>((T*)ag + begin, length),
                    has0 ? new Span<T>((T*)a0 + begin, length) : default, has1 ? new Span<T>((T*)a1 + begin, length) : default,
                    has2 ? new Span<T>((T*)a2 + begin, length) : default, rule);
            });
        }

        static int Boundary(int n, int chunks, int c) => c == chunks ? n : (int)((long)n * c / chunks) / Vector256<T>.Count * Vector256<T>.Count;
    }

    private static void Run<T, TRule>(Span<T> param, ReadOnlySpan<T> grad, Span<T> s0, Span<T> s1, Span<T> s2, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : struct, IFusedRule<T>
    {
        int n = param.Length, width = Vector256<T>.Count, i = 0;
        bool has0 = !s0.IsEmpty, has1 = !s1.IsEmpty, has2 = !s2.IsEmpty;
        ref T p = ref MemoryMarshal.GetReference(param);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T a = ref MemoryMarshal.GetReference(s0);
        ref T b = ref MemoryMarshal.GetReference(s1);
        ref T c = ref MemoryMarshal.GetReference(s2);
        Vector256<T> va = default, vb = default, vc = default;
        for (; i <= n - width; i += width)
        {
            nuint at = (nuint)i;
            var vp = Vector256.LoadUnsafe(ref p, at);
            if (has0) va = Vector256.LoadUnsafe(ref a, at);
            if (has1) vb = Vector256.LoadUnsafe(ref b, at);
            if (has2) vc = Vector256.LoadUnsafe(ref c, at);
            rule.Apply(ref vp, Vector256.LoadUnsafe(ref g, at), ref va, ref vb, ref vc);
            vp.StoreUnsafe(ref p, at);
            if (has0) va.StoreUnsafe(ref a, at);
            if (has1) vb.StoreUnsafe(ref b, at);
            if (has2) vc.StoreUnsafe(ref c, at);
        }
        if (i < n) Tail(param[i..], grad[i..], has0 ? s0[i..] : default, has1 ? s1[i..] : default, has2 ? s2[i..] : default, rule);
    }

    // The last partial block runs through the same vector rule on zero-padded copies; the padding lanes are discarded.
    private static void Tail<T, TRule>(Span<T> param, ReadOnlySpan<T> grad, Span<T> s0, Span<T> s1, Span<T> s2, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : struct, IFusedRule<T>
    {
        Vector256<T> vp = default, vg = default, va = default, vb = default, vc = default;
        param.CopyTo(Elements(ref vp));
        grad.CopyTo(Elements(ref vg));
        s0.CopyTo(Elements(ref va));
        s1.CopyTo(Elements(ref vb));
        s2.CopyTo(Elements(ref vc));
        rule.Apply(ref vp, vg, ref va, ref vb, ref vc);
        Elements(ref vp)[..param.Length].CopyTo(param);
        Elements(ref va)[..s0.Length].CopyTo(s0);
        Elements(ref vb)[..s1.Length].CopyTo(s1);
        Elements(ref vc)[..s2.Length].CopyTo(s2);
    }

    private static Span<T> Elements<T>(ref Vector256<T> v) where T : unmanaged
        => MemoryMarshal.CreateSpan(ref Unsafe.As<Vector256<T>, T>(ref v), Vector256<T>.Count);
}
