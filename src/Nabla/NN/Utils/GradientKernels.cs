using System.Numerics;

namespace Nabla.NN;

// In-place loops behind clip_grad_norm_ and clip_grad_value_ for contiguous float gradients: the same float operations
// as the tensor ops they replace (x * x rounded to the dtype, summed in order, float32 sums in double), with no temporaries.
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

    // Σ|x| or Σx² in order; float32 terms are rounded to float32, then accumulated in double as Reduce.Sum does.
    private static double Sum<T>(ReadOnlySpan<T> x, bool squares) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            double acc = 0;
            foreach (var v in x) acc += double.CreateTruncating(squares ? v * v : T.Abs(v));
            return acc;
        }
        T sum = T.Zero;
        foreach (var v in x) sum += squares ? v * v : T.Abs(v);
        return double.CreateTruncating(sum);
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
