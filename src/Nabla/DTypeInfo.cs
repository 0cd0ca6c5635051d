namespace Nabla;

/// <summary>Facts about each <see cref="DType"/>: size, category, PyTorch name and type promotion.</summary>
public static class DTypeInfo
{
    /// <summary>PyTorch's name of the dtype, e.g. <c>torch.float32</c>.</summary>
    public static string TorchName(this DType dtype) => "torch." + dtype.ToString().ToLowerInvariant();

    /// <summary>True for Float32, Float64, Float16 and BFloat16 (<c>dtype.is_floating_point</c>).</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;

    /// <summary>True for the 16-bit floats, whose arithmetic computes in float32 and rounds back.</summary>
    internal static bool IsHalf(this DType dtype) => dtype is DType.Float16 or DType.BFloat16;

    /// <summary>True for the 8- and 16-bit integers, whose arithmetic computes in int32 and wraps back.</summary>
    internal static bool IsSmallInt(this DType dtype) => dtype is DType.UInt8 or DType.Int8 or DType.Int16;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Float16 or DType.BFloat16 or DType.Int16 => 2,
        _ => 1,
    };

    // bool < integral < floating, as in c10's type promotion categories.
    internal static int Category(DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.Int32 or DType.Int64 or DType.UInt8 or DType.Int8 or DType.Int16 => 1,
        _ => 2,
    };

    /// <summary><c>torch.promote_types</c>: the smallest dtype both convert to without losing category.</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        int ca = Category(a), cb = Category(b);
        if (ca != cb) return ca > cb ? a : b;
        // Neither 16-bit float holds the other, nor does either 8-bit integer: c10 goes one size up.
        if (a.IsHalf() && b.IsHalf()) return DType.Float32;
        if (a is DType.UInt8 or DType.Int8 && b is DType.UInt8 or DType.Int8) return DType.Int16;
        return a.ElementSize() >= b.ElementSize() ? a : b;
    }

    internal static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        DType.Float16 => typeof(Half),
        DType.BFloat16 => typeof(BFloat16),
        DType.UInt8 => typeof(byte),
        DType.Int8 => typeof(sbyte),
        DType.Int16 => typeof(short),
        _ => typeof(bool),
    };

    internal static DType FromClr(Type t) =>
        t == typeof(float) ? DType.Float32 :
        t == typeof(double) ? DType.Float64 :
        t == typeof(long) ? DType.Int64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(bool) ? DType.Bool :
        t == typeof(Half) ? DType.Float16 :
        t == typeof(BFloat16) ? DType.BFloat16 :
        t == typeof(byte) ? DType.UInt8 :
        t == typeof(sbyte) ? DType.Int8 :
        t == typeof(short) ? DType.Int16 :
        throw new ArgumentException($"No tensor dtype for the .NET type {t.Name}; use float, double, long, int, bool, Half, BFloat16, byte, sbyte or short.");
}
