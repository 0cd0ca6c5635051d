using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.NN;

// In-place loops behind clip_grad_norm_ and clip_grad_value_ for contiguous float gradients: the same float operations
// as the tensor ops they replace (x * x rounded to the dtype, summed as every floating sum is), with no temporaries.
internal static class GradientKernels
{
    /// <summary>The p-norm of one gradient as a 0-d tensor of its dtype, for p = 1, 2 and +inf; false for other cases.</summary>
    public static bool TryNorm(Tensor g, double p, out Tensor norm)
    {
        norm = null!;
        if (!g._contiguous || g._numel == 0 || p is not (1 or 2 or double.PositiveInfinity)) return false;
        if (g.DType == DType.Float32)
        {
            var x = g.Span<float>();
            norm = Torch.Tensor(double.IsPositiveInfinity(p) ? LargestMagnitude(x) : p == 1 ? (float)Sum(x, squares: false) : MathF.Sqrt((float)Sum(x, squares: true)));
            return true;
        }
        if (g.DType == DType.Float64)
        {
            var x = g.Span<double>();
            norm = Torch.Tensor(double.IsPositiveInfinity(p) ? LargestMagnitude(x) : p == 1 ? Sum(x, squares: false) : Math.Sqrt(Sum(x, squares: true)), DType.Float64);
            return true;
        }
        return false;
    }

    /// <summary>g *= coefficient in place, the coefficient rounded to g's dtype as a 0-d operand is; false when g is not a contiguous float tensor.</summary>
    public static bool TryScale(Tensor g, double coefficient)
    {
        if (!g._contiguous) return false;
        if (g.DType == DType.Float32) Scale(g.MutableSpan<float>(), (float)coefficient);
        else if (g.DType == DType.Float64) Scale(g.MutableSpan<double>(), coefficient);
        else return false;
        g.BumpVersion();
        return true;
    }

    /// <summary>clamp_(lo, hi) in place as maximum then minimum (NaN stays NaN); false when g is not a contiguous float tensor.</summary>
    public static bool TryClamp(Tensor g, double lo, double hi)
    {
        if (!g._contiguous) return false;
        if (g.DType == DType.Float32) Clamp(g.MutableSpan<float>(), (float)lo, (float)hi);
        else if (g.DType == DType.Float64) Clamp(g.MutableSpan<double>(), lo, hi);
        else return false;
        g.BumpVersion();
        return true;
    }

    // Σ|x| or Σx²: the terms rounded to the dtype, then summed in the one order every floating sum uses, as the tensor ops do.
    private static double Sum<T>(ReadOnlySpan<T> x, bool squares) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var terms = ArrayPool<T>.Shared.Rent(x.Length);
        try
        {
            var t = terms.AsSpan(0, x.Length);
            for (int i = 0; i < x.Length; i++) t[i] = squares ? x[i] * x[i] : T.Abs(x[i]);
            return typeof(T) == typeof(float)
                ? FloatingSum.Row(MemoryMarshal.Cast<T, float>(t))
                : FloatingSum.Row(MemoryMarshal.Cast<T, double>(t));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(terms);
        }
    }

    // max |x|, the first NaN winning, as Reduce.Extremum.
    private static T LargestMagnitude<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T best = T.Abs(x[0]);
        for (int i = 1; i < x.Length && !T.IsNaN(best); i++)
        {
            var v = T.Abs(x[i]);
            if (T.IsNaN(v) || v > best) best = v;
        }
        return best;
    }

    private static void Scale<T>(Span<T> x, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) x[i] *= c;
    }

    // MaximumOp with the lower bound, then MinimumOp with the upper one: a NaN element or bound wins, as in clamp.
    private static void Clamp<T>(Span<T> x, T lo, T hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            v = T.IsNaN(v) ? v : T.IsNaN(lo) ? lo : v >= lo ? v : lo;
            x[i] = T.IsNaN(v) ? v : T.IsNaN(hi) ? hi : v <= hi ? v : hi;
        }
    }
}
