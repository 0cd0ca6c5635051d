using System.Globalization;
using System.Numerics;

namespace Nabla;

// Closeness and equality tests: isclose, allclose, equal. No gradient, no trace record: they answer questions about values.
public partial class Tensor
{
    /// <summary>
    /// Elementwise closeness with broadcasting (<c>torch.isclose(input, other, rtol, atol, equal_nan)</c>): true where
    /// the values are equal, or both finite-apart with <c>|input − other| ≤ atol + rtol·|other|</c>. Infinities are close
    /// only to themselves; NaN is close to NaN only when <paramref name="equalNan"/>. Integer and bool inputs are
    /// compared exactly for equality and in float32 for the tolerance, as PyTorch does. Returns a bool tensor.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The dtypes differ (<c>Float did not match Double</c>), a tolerance is negative, or the shapes do not broadcast.
    /// </exception>
    public Tensor Isclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (DType != other.DType)
            throw new ArgumentException($"{ScalarTypeName(DType)} did not match {ScalarTypeName(other.DType)}");
        if (!(rtol >= 0))
            throw new ArgumentException($"rtol must be greater than or equal to zero, but got {rtol.ToString(CultureInfo.InvariantCulture)}");
        if (!(atol >= 0))
            throw new ArgumentException($"atol must be greater than or equal to zero, but got {atol.ToString(CultureInfo.InvariantCulture)}");
        long[] shape = Shapes.Broadcast(_shape, other._shape);
        bool[] close;
        using (Autograd.GradMode.Set(false))
        {
            Tensor a = Expand(shape), b = other.Expand(shape);
            close = DType switch
            {
                DType.Float64 => Closeness.Isclose(a.ToArray<double>(), b.ToArray<double>(), rtol, atol, equalNan),
                DType.Float32 => Closeness.Isclose(a.ToArray<float>(), b.ToArray<float>(), rtol, atol, equalNan),
                _ => Closeness.IscloseIntegral(a.ToArray<long>(), b.ToArray<long>(), rtol, atol),
            };
        }
        return FromArray(close, shape);
    }

    /// <summary>
    /// Whether every element is close (<c>torch.allclose(input, other, rtol, atol, equal_nan)</c>): <see cref="Isclose"/>
    /// over the broadcast shape, all true; true for empty tensors.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Isclose"/>.</exception>
    public bool Allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) =>
        Array.TrueForAll(Isclose(other, rtol, atol, equalNan).ToArray<bool>(), close => close);

    /// <summary>
    /// Whether both tensors have the same shape and the same values (<c>torch.equal(input, other)</c>), compared in
    /// their promoted dtype: a float32 <c>[1., 2.]</c> equals an int64 <c>[1, 2]</c>; NaN equals nothing; <c>0.0</c>
    /// equals <c>-0.0</c>; two empty tensors of one shape are equal.
    /// </summary>
    public bool Equal(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Shapes.SameShape(_shape, other._shape))
            return false;
        var dtype = DTypeInfo.Promote(DType, other.DType);
        using (Autograd.GradMode.Set(false))
        {
            Tensor a = To(dtype), b = other.To(dtype);
            return dtype.IsFloatingPoint()
                ? a.ToArray<double>().AsSpan().SequenceEqual(b.ToArray<double>(), Closeness.Ieee)
                : a.ToArray<long>().AsSpan().SequenceEqual(b.ToArray<long>());
        }
    }
}

/// <summary>The elementwise rules of <c>isclose</c> (ATen's <c>isclose</c> in TensorCompare.cpp), on flat broadcast arrays.</summary>
internal static class Closeness
{
    /// <summary>IEEE equality, under which NaN is unequal to itself and 0.0 equals -0.0 (the default comparer is neither).</summary>
    public static readonly IEqualityComparer<double> Ieee = EqualityComparer<double>.Create((x, y) => x == y, x => x.GetHashCode());

    /// <summary>Float inputs: the tolerance is computed in the input's own precision, with rtol and atol rounded to it.</summary>
    public static bool[] Isclose<T>(T[] a, T[] b, double rtol, double atol, bool equalNan) where T : IFloatingPointIeee754<T>
    {
        var close = new bool[a.Length];
        T r = T.CreateTruncating(rtol), t = T.CreateTruncating(atol);
        bool tolerant = rtol != 0 || atol != 0;
        for (int i = 0; i < a.Length; i++)
        {
            close[i] = a[i] == b[i]
                || (equalNan && T.IsNaN(a[i]) && T.IsNaN(b[i]))
                || (tolerant && WithinTolerance(a[i], b[i], r, t));
        }
        return close;
    }

    /// <summary>Integer and bool inputs: exact equality, else the tolerance test on both cast to float32 (PyTorch's default dtype).</summary>
    public static bool[] IscloseIntegral(long[] a, long[] b, double rtol, double atol)
    {
        var close = new bool[a.Length];
        float r = (float)rtol, t = (float)atol;
        bool tolerant = rtol != 0 || atol != 0;
        for (int i = 0; i < a.Length; i++)
            close[i] = a[i] == b[i] || (tolerant && WithinTolerance((float)a[i], (float)b[i], r, t));
        return close;
    }

    // |a − b| finite and at most atol + |rtol·b|; the products and sums are rounded to T as ATen's kernels round them.
    private static bool WithinTolerance<T>(T a, T b, T rtol, T atol) where T : IFloatingPointIeee754<T>
    {
        T actual = T.Abs(a - b);
        return T.IsFinite(actual) && actual <= atol + T.Abs(rtol * b);
    }
}
