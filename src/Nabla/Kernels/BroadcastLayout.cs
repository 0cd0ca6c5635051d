namespace Nabla.Kernels;

/// <summary>Merges the dimensions of a two-input broadcast that both inputs (and the contiguous output) walk alike.</summary>
internal static class BroadcastLayout
{
    /// <summary>
    /// Writes the merged shape, then strides of a, then strides of b (each <c>dims</c> long) into <paramref name="layout"/>
    /// and returns dims (at least 1). Size-1 dimensions are dropped; adjacent dimensions merge when, for both inputs,
    /// the outer stride equals the inner stride times the inner size.
    /// </summary>
    public static int Coalesce(long[] shape, long[] stridesA, long[] stridesB, Span<long> layout)
    {
        int rank = shape.Length;
        Span<long> s = stackalloc long[Math.Max(rank, 1)], ta = stackalloc long[s.Length], tb = stackalloc long[s.Length];
        int dims = 0;
        // Built innermost first, then reversed.
        for (int i = rank - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (dims > 0 && stridesA[i] == ta[dims - 1] * s[dims - 1] && stridesB[i] == tb[dims - 1] * s[dims - 1])
            {
                s[dims - 1] *= shape[i];
                continue;
            }
            s[dims] = shape[i];
            ta[dims] = stridesA[i];
            tb[dims] = stridesB[i];
            dims++;
        }
        if (dims == 0) { s[0] = 1; ta[0] = 0; tb[0] = 0; dims = 1; }
        for (int k = 0; k < dims; k++)
        {
            layout[k] = s[dims - 1 - k];
            layout[dims + k] = ta[dims - 1 - k];
            layout[2 * dims + k] = tb[dims - 1 - k];
        }
        return dims;
    }
}
