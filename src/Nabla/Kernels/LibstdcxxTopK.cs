namespace Nabla.Kernels;

/// <summary>
/// The indices of the k largest keys of a row, in the order PyTorch 1.13's CPU <c>topk</c> leaves them, ties included: its
/// <c>topk_impl_loop</c> calls libstdc++'s <c>std::partial_sort</c> when k·64 ≤ n, else <c>std::nth_element</c> then
/// <c>std::sort</c> of the first k − 1, on (key, index) pairs compared by key alone (NaN first, then larger). Those algorithms are
/// not stable, so equal keys come out in an order only a copy of them reproduces; this is that copy (GCC's introselect,
/// introsort and heap routines).
/// </summary>
internal static class LibstdcxxTopK
{
    public static void Select(ReadOnlySpan<double> keys, int k, Span<long> indices)
    {
        int n = keys.Length;
        var q = new (double Key, long Index)[n];
        for (int j = 0; j < n; j++) q[j] = (keys[j], j);
        var s = new Sorter(q);
        if ((long)k * 64 <= n) s.PartialSort(0, k, n);
        else
        {
            s.NthElement(0, k - 1, n);
            s.Sort(0, k - 1);
        }
        for (int j = 0; j < k; j++) indices[j] = q[j].Index;
    }

    private readonly struct Sorter((double Key, long Index)[] a)
    {
        private static bool Before((double Key, long Index) x, (double Key, long Index) y)
            => (double.IsNaN(x.Key) && !double.IsNaN(y.Key)) || x.Key > y.Key;

        private bool Less(int i, int j) => Before(a[i], a[j]);

        private void Swap(int i, int j) => (a[i], a[j]) = (a[j], a[i]);

        private static int Lg(int n) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);

        public void NthElement(int first, int nth, int last)
        {
            if (first == last || nth == last) return;
            int depth = Lg(last - first) * 2;
            while (last - first > 3)
            {
                if (depth == 0)
                {
                    HeapSelect(first, nth + 1, last);
                    Swap(first, nth);
                    return;
                }
                --depth;
                int cut = PartitionPivot(first, last);
                if (cut <= nth) first = cut;
                else last = cut;
            }
            InsertionSort(first, last);
        }

        public void Sort(int first, int last)
        {
            if (first == last) return;
            IntrosortLoop(first, last, Lg(last - first) * 2);
            if (last - first > 16)
            {
                InsertionSort(first, first + 16);
                for (int i = first + 16; i < last; i++) UnguardedLinearInsert(i);
            }
            else InsertionSort(first, last);
        }

        public void PartialSort(int first, int middle, int last)
        {
            HeapSelect(first, middle, last);
            while (middle - first > 1)
            {
                --middle;
                PopHeap(first, middle, middle);
            }
        }

        private void IntrosortLoop(int first, int last, int depth)
        {
            while (last - first > 16)
            {
                if (depth == 0)
                {
                    PartialSort(first, last, last);
                    return;
                }
                --depth;
                int cut = PartitionPivot(first, last);
                IntrosortLoop(cut, last, depth);
                last = cut;
            }
        }

        private int PartitionPivot(int first, int last)
        {
            int mid = first + (last - first) / 2;
            MoveMedianToFirst(first, first + 1, mid, last - 1);
            return UnguardedPartition(first + 1, last, first);
        }

        private void MoveMedianToFirst(int result, int x, int y, int z)
        {
            if (Less(x, y))
            {
                if (Less(y, z)) Swap(result, y);
                else if (Less(x, z)) Swap(result, z);
                else Swap(result, x);
            }
            else if (Less(x, z)) Swap(result, x);
            else if (Less(y, z)) Swap(result, z);
            else Swap(result, y);
        }

        private int UnguardedPartition(int first, int last, int pivot)
        {
            while (true)
            {
                while (Less(first, pivot)) ++first;
                --last;
                while (Less(pivot, last)) --last;
                if (!(first < last)) return first;
                Swap(first, last);
                ++first;
            }
        }

        private void InsertionSort(int first, int last)
        {
            if (first == last) return;
            for (int i = first + 1; i < last; i++)
            {
                if (Less(i, first))
                {
                    var value = a[i];
                    Array.Copy(a, first, a, first + 1, i - first);
                    a[first] = value;
                }
                else UnguardedLinearInsert(i);
            }
        }

        private void UnguardedLinearInsert(int last)
        {
            var value = a[last];
            int next = last - 1;
            while (Before(value, a[next]))
            {
                a[last] = a[next];
                last = next;
                --next;
            }
            a[last] = value;
        }

        private void HeapSelect(int first, int middle, int last)
        {
            MakeHeap(first, middle);
            for (int i = middle; i < last; i++)
                if (Less(i, first)) PopHeap(first, middle, i);
        }

        private void MakeHeap(int first, int last)
        {
            int len = last - first;
            if (len < 2) return;
            for (int parent = (len - 2) / 2; ; parent--)
            {
                AdjustHeap(first, parent, len, a[first + parent]);
                if (parent == 0) return;
            }
        }

        private void PopHeap(int first, int last, int result)
        {
            var value = a[result];
            a[result] = a[first];
            AdjustHeap(first, 0, last - first, value);
        }

        private void AdjustHeap(int first, int hole, int len, (double Key, long Index) value)
        {
            int top = hole, child = hole;
            while (child < (len - 1) / 2)
            {
                child = 2 * (child + 1);
                if (Less(first + child, first + child - 1)) child--;
                a[first + hole] = a[first + child];
                hole = child;
            }
            if ((len & 1) == 0 && child == (len - 2) / 2)
            {
                child = 2 * (child + 1);
                a[first + hole] = a[first + child - 1];
                hole = child - 1;
            }
            int parent = (hole - 1) / 2;
            while (hole > top && Before(a[first + parent], value))
            {
                a[first + hole] = a[first + parent];
                hole = parent;
                parent = (hole - 1) / 2;
            }
            a[first + hole] = value;
        }
    }
}
