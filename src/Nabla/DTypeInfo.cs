namespace Nabla;

/// <summary>Facts about each <see cref="DType"/>: size, category, PyTorch name and type promotion.</summary>
public static class DTypeInfo
{
    /// <summary>PyTorch's name of the dtype, e.g. <c>torch.float32</c>.</summary>
    public static string TorchName(this DType dtype) => "torch." + dtype.ToString().ToLowerInvariant();

    /// <summary>True for Float32 and Float64 (<c>dtype.is_floating_point</c>).</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        _ => 1,
    };

    // bool < integral < floating, as in c10's type promotion categories.
    internal static int Category(DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.Int32 or DType.Int64 => 1,
        _ => 2,
    };

    /// <summary><c>torch.promote_types</c>: the smallest dtype both convert to without losing category.</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        int ca = Category(a), cb = Category(b);
        if (ca != cb) return ca > cb ? a : b;
        return a.ElementSize() >= b.ElementSize() ? a : b;
    }

    internal static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        _ => typeof(bool),
    };

    internal static DType FromClr(Type t) =>
        t == typeof(float) ? DType.Float32 :
        t == typeof(double) ? DType.Float64 :
        t == typeof(long) ? DType.Int64 :
        t == typeof(int) ? DType.Int32 :
        t == typeof(bool) ? DType.Bool :
        throw new ArgumentException($"No tensor dtype for the .NET type {t.Name}; use float, double, long, int or bool.");
}
