using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Dtype conversion with C++ semantics: float to integer truncates toward zero, anything to bool is "not zero".</summary>
internal static class Cast
{
    public static void Convert(Tensor src, Tensor dst)
    {
        if (StorageCast.Involves(src.DType) || StorageCast.Involves(dst.DType))
        {
            StorageCast.Convert(src, dst);
            return;
        }
        switch (src.DType)
        {
            case DType.Float32: From(src.Span<float>(), dst); break;
            case DType.Float64: From(src.Span<double>(), dst); break;
            case DType.Int64: From(src.Span<long>(), dst); break;
            case DType.Int32: From(src.Span<int>(), dst); break;
            default: FromBool(src.Span<bool>(), dst); break;
        }
    }

    private static void From<T>(ReadOnlySpan<T> s, Tensor dst) where T : unmanaged, INumber<T>
    {
        switch (dst.DType)
        {
            case DType.Float32: To(s, dst.MutableSpan<float>()); break;
            case DType.Float64: To(s, dst.MutableSpan<double>()); break;
            case DType.Int64: To(s, dst.MutableSpan<long>()); break;
            case DType.Int32: To(s, dst.MutableSpan<int>()); break;
            default:
                var d = dst.MutableSpan<bool>();
                for (int i = 0; i < s.Length; i++) d[i] = s[i] != T.Zero;
                break;
        }
    }

    private static void To<TFrom, TTo>(ReadOnlySpan<TFrom> s, Span<TTo> d) where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        for (int i = 0; i < s.Length; i++) d[i] = TTo.CreateTruncating(s[i]);
    }

    private static void FromBool(ReadOnlySpan<bool> s, Tensor dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: Fill(s, dst.MutableSpan<float>()); break;
            case DType.Float64: Fill(s, dst.MutableSpan<double>()); break;
            case DType.Int64: Fill(s, dst.MutableSpan<long>()); break;
            case DType.Int32: Fill(s, dst.MutableSpan<int>()); break;
            default: s.CopyTo(dst.MutableSpan<bool>()); break;
        }
    }

    private static void Fill<T>(ReadOnlySpan<bool> s, Span<T> d) where T : INumber<T>
    {
        for (int i = 0; i < s.Length; i++) d[i] = s[i] ? T.One : T.Zero;
    }
}
