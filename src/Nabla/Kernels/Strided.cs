namespace Nabla.Kernels;

/// <summary>Copies between strided views and contiguous buffers, innermost dimension in a tight loop.</summary>
internal static class Strided
{
    /// <summary>Reads the view (src, offset, shape, strides) in logical order into <paramref name="dst"/>.</summary>
    public static void Gather<T>(T[] src, long offset, long[] shape, long[] strides, Span<T> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = src[offset]; return; }
        int inner = (int)shape[rank - 1];
        long innerStride = strides[rank - 1];
        var index = new long[rank];
        long pos = offset;
        for (int o = 0; o < dst.Length; o += inner)
        {
            var row = dst.Slice(o, inner);
            if (innerStride == 1) src.AsSpan((int)pos, inner).CopyTo(row);
            else if (innerStride == 0) row.Fill(src[pos]);
            else
            {
                long p = pos;
                for (int i = 0; i < inner; i++, p += innerStride) row[i] = src[p];
            }
            pos = Advance(index, shape, strides, pos);
        }
    }

    /// <summary>Writes <paramref name="src"/> (logical order) into the view (dst, offset, shape, strides).</summary>
    public static void Scatter<T>(ReadOnlySpan<T> src, T[] dst, long offset, long[] shape, long[] strides)
    {
        int rank = shape.Length;
        if (src.Length == 0) return;
        if (rank == 0) { dst[offset] = src[0]; return; }
        int inner = (int)shape[rank - 1];
        long innerStride = strides[rank - 1];
        var index = new long[rank];
        long pos = offset;
        for (int o = 0; o < src.Length; o += inner)
        {
            var row = src.Slice(o, inner);
            if (innerStride == 1) row.CopyTo(dst.AsSpan((int)pos, inner));
            else
            {
                long p = pos;
                for (int i = 0; i < inner; i++, p += innerStride) dst[p] = row[i];
            }
            pos = Advance(index, shape, strides, pos);
        }
    }

    /// <summary>Storage positions of every element of a view, in logical order.</summary>
    public static void Offsets(long offset, long[] shape, long[] strides, Span<long> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = offset; return; }
        int inner = (int)shape[rank - 1];
        long innerStride = strides[rank - 1];
        var index = new long[rank];
        long pos = offset;
        for (int o = 0; o < dst.Length; o += inner)
        {
            long p = pos;
            for (int i = 0; i < inner; i++, p += innerStride) dst[o + i] = p;
            pos = Advance(index, shape, strides, pos);
        }
    }

    // Steps the odometer over all dimensions but the last; returns the new row start.
    internal static long Advance(long[] index, long[] shape, long[] strides, long pos)
    {
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return pos + strides[d];
            pos -= strides[d] * (shape[d] - 1);
            index[d] = 0;
        }
        return pos;
    }
}
