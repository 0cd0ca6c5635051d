using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Sorts each row of a contiguous [outer, n] block, writing values and source indices. Ties keep index
/// order (stable) and NaN counts as larger than every number, as PyTorch's CPU sort does.
/// </summary>
internal static class SortRows
{
    public static void Sort<T>(ReadOnlySpan<T> src, int n, int k, bool descending, Span<T> values, Span<long> indices) where T : INumber<T>
    {
        int rows = n == 0 ? 0 : src.Length / n;
        var order = new int[n];
        var keys = new T[n];
        for (int o = 0; o < rows; o++)
        {
            src.Slice(o * n, n).CopyTo(keys);
            for (int i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, new Comparer<T>(keys, descending));
            for (int i = 0; i < k; i++)
            {
                values[o * k + i] = keys[order[i]];
                indices[o * k + i] = order[i];
            }
        }
    }

    private readonly struct Comparer<T>(T[] keys, bool descending) : IComparer<int> where T : INumber<T>
    {
        public int Compare(int a, int b)
        {
            T x = keys[a], y = keys[b];
            int c = Ascending(x, y);
            if (descending) c = -c;
            return c != 0 ? c : a.CompareTo(b);
        }

        private static int Ascending(T x, T y)
        {
            bool nx = T.IsNaN(x), ny = T.IsNaN(y);
            if (nx || ny) return nx == ny ? 0 : nx ? 1 : -1;
            return x < y ? -1 : x > y ? 1 : 0;
        }
    }
}
