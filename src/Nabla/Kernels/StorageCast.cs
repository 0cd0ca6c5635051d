namespace Nabla.Kernels;

/// <summary>
/// Conversions to and from the storage dtypes (float16, bfloat16, uint8, int8, int16), as c10's <c>static_cast</c>s:
/// every value goes through float32 on its way to a 16-bit float (int64 and float64 included, as <c>c10::Half(float)</c>
/// does), rounded to nearest even; integers wrap to the narrower width; floats truncate toward zero first.
/// </summary>
internal static class StorageCast
{
    public static bool Involves(DType dtype) => dtype.IsHalf() || dtype.IsSmallInt();

    public static void Convert(Tensor src, Tensor dst)
    {
        int n = (int)src.Numel();
        if (src.DType.IsFloatingPoint())
        {
            var wide = new double[n];
            Widen(src, wide);
            Narrow(wide, dst);
        }
        else
        {
            var wide = new long[n];
            Widen(src, wide);
            Narrow(wide, dst);
        }
    }

    private static void Widen(Tensor src, Span<double> d)
    {
        switch (src.DType)
        {
            case DType.Float32: { var s = src.Span<float>(); for (int i = 0; i < d.Length; i++) d[i] = s[i]; break; }
            case DType.Float64: src.Span<double>().CopyTo(d); break;
            case DType.Float16: { var s = src.Span<Half>(); for (int i = 0; i < d.Length; i++) d[i] = (double)s[i]; break; }
            default: { var s = src.Span<BFloat16>(); for (int i = 0; i < d.Length; i++) d[i] = (float)s[i]; break; }
        }
    }

    private static void Widen(Tensor src, Span<long> d)
    {
        switch (src.DType)
        {
            case DType.Int64: src.Span<long>().CopyTo(d); break;
            case DType.Int32: { var s = src.Span<int>(); for (int i = 0; i < d.Length; i++) d[i] = s[i]; break; }
            case DType.Int16: { var s = src.Span<short>(); for (int i = 0; i < d.Length; i++) d[i] = s[i]; break; }
            case DType.Int8: { var s = src.Span<sbyte>(); for (int i = 0; i < d.Length; i++) d[i] = s[i]; break; }
            case DType.UInt8: { var s = src.Span<byte>(); for (int i = 0; i < d.Length; i++) d[i] = s[i]; break; }
            default: { var s = src.Span<bool>(); for (int i = 0; i < d.Length; i++) d[i] = s[i] ? 1 : 0; break; }
        }
    }

    private static void Narrow(ReadOnlySpan<double> s, Tensor dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: { var d = dst.MutableSpan<float>(); for (int i = 0; i < s.Length; i++) d[i] = (float)s[i]; break; }
            case DType.Float64: s.CopyTo(dst.MutableSpan<double>()); break;
            case DType.Float16: { var d = dst.MutableSpan<Half>(); for (int i = 0; i < s.Length; i++) d[i] = (Half)(float)s[i]; break; }
            case DType.BFloat16: { var d = dst.MutableSpan<BFloat16>(); for (int i = 0; i < s.Length; i++) d[i] = (BFloat16)(float)s[i]; break; }
            case DType.Bool: { var d = dst.MutableSpan<bool>(); for (int i = 0; i < s.Length; i++) d[i] = s[i] != 0; break; }
            default:
                {
                    // Float to integer truncates toward zero, then wraps to the width; NaN and values beyond int64 give
                    // int64's minimum (what x86's cvttsd2si gives for C++'s cast).
                    var wide = new long[s.Length];
                    for (int i = 0; i < s.Length; i++) wide[i] = s[i] is >= -9.2233720368547758E18 and < 9.2233720368547758E18 ? (long)s[i] : long.MinValue;
                    Narrow(wide, dst);
                    break;
                }
        }
    }

    private static void Narrow(ReadOnlySpan<long> s, Tensor dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: { var d = dst.MutableSpan<float>(); for (int i = 0; i < s.Length; i++) d[i] = s[i]; break; }
            case DType.Float64: { var d = dst.MutableSpan<double>(); for (int i = 0; i < s.Length; i++) d[i] = s[i]; break; }
            case DType.Float16: { var d = dst.MutableSpan<Half>(); for (int i = 0; i < s.Length; i++) d[i] = (Half)(float)s[i]; break; }
            case DType.BFloat16: { var d = dst.MutableSpan<BFloat16>(); for (int i = 0; i < s.Length; i++) d[i] = (BFloat16)(float)s[i]; break; }
            case DType.Int64: s.CopyTo(dst.MutableSpan<long>()); break;
            case DType.Int32: { var d = dst.MutableSpan<int>(); for (int i = 0; i < s.Length; i++) d[i] = unchecked((int)s[i]); break; }
            case DType.Int16: { var d = dst.MutableSpan<short>(); for (int i = 0; i < s.Length; i++) d[i] = unchecked((short)s[i]); break; }
            case DType.Int8: { var d = dst.MutableSpan<sbyte>(); for (int i = 0; i < s.Length; i++) d[i] = unchecked((sbyte)s[i]); break; }
            case DType.UInt8: { var d = dst.MutableSpan<byte>(); for (int i = 0; i < s.Length; i++) d[i] = unchecked((byte)s[i]); break; }
            default: { var d = dst.MutableSpan<bool>(); for (int i = 0; i < s.Length; i++) d[i] = s[i] != 0; break; }
        }
    }
}
