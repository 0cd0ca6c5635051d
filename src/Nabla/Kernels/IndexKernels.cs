using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Gathers and scatters by precomputed storage offsets (advanced indexing, gather, scatter).</summary>
internal static class IndexKernels
{
    public static void Take<T>(T[] src, long[] offsets, Span<T> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = src[offsets[i]];
    }

    public static void Put<T>(T[] dst, long[] offsets, ReadOnlySpan<T> values, bool accumulate) where T : struct
    {
        if (!accumulate)
        {
            for (int i = 0; i < offsets.Length; i++) dst[offsets[i]] = values[i];
            return;
        }
        Accumulate(dst, offsets, values);
    }

    private static void Accumulate<T>(T[] dst, long[] offsets, ReadOnlySpan<T> values) where T : struct
    {
        switch (dst)
        {
            case float[] f: Add(f, offsets, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values)); break;
            case double[] d: Add(d, offsets, System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(values)); break;
            case long[] l: Add(l, offsets, System.Runtime.InteropServices.MemoryMarshal.Cast<T, long>(values)); break;
            case int[] n: Add(n, offsets, System.Runtime.InteropServices.MemoryMarshal.Cast<T, int>(values)); break;
            default: throw new ArgumentException("accumulate is not supported for bool tensors");
        }
    }

    private static void Add<T>(T[] dst, long[] offsets, ReadOnlySpan<T> values) where T : INumber<T>
    {
        for (int i = 0; i < offsets.Length; i++) dst[offsets[i]] += values[i];
    }
}
