using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>acc[j] += (double)row[j]: float32 columns widened to double, lane for lane the scalar sum.</summary>
internal static class ColumnAccumulate
{
    public static void Add(Span<double> acc, ReadOnlySpan<float> row)
    {
        int j = 0;
        for (; j <= row.Length - 8; j += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Create(row.Slice(j, 8)));
            (Vector256.Create<double>(acc.Slice(j, 4)) + lo).CopyTo(acc.Slice(j));
            (Vector256.Create<double>(acc.Slice(j + 4, 4)) + hi).CopyTo(acc.Slice(j + 4));
        }
        for (; j < row.Length; j++) acc[j] += row[j];
    }
}
