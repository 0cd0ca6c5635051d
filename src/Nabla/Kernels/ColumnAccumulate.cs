using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>acc[j] += (double)row[j]: float32 columns widened to double, lane for lane the scalar sum.</summary>
internal static class ColumnAccumulate
{
    public static void Add(Span<double> acc, ReadOnlySpan<float> row)
    {
        if (acc.Length < row.Length) throw new ArgumentException("accumulator shorter than the row");
        ref double a = ref MemoryMarshal.GetReference(acc);
        ref float r = ref MemoryMarshal.GetReference(row);
        int j = 0;
        if (Avx.IsSupported)
        {
            for (; j <= row.Length - 4; j += 4)
                Avx.Add(Vector256.LoadUnsafe(ref a, (nuint)j), Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref r, (nuint)j)))
                    .StoreUnsafe(ref a, (nuint)j);
        }
        for (; j <= row.Length - 8; j += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)j));
            (Vector256.LoadUnsafe(ref a, (nuint)j) + lo).StoreUnsafe(ref a, (nuint)j);
            (Vector256.LoadUnsafe(ref a, (nuint)(j + 4)) + hi).StoreUnsafe(ref a, (nuint)(j + 4));
        }
        for (; j < row.Length; j++) acc[j] += row[j];
    }
}
