using System.Runtime.CompilerServices;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Tiny products (a 2x2 matmul) straight from the operands: below a few thousand multiply-adds, packing costs more than it saves.</summary>
internal static unsafe class GemmDirect
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, nint ldc, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T* ap = a.At(i, 0), bp = b.At(0, j);
                T sum = accumulate ? c[i * ldc + j] : T.Zero;
                for (int p = 0; p < k; p++) sum += ap[p * a.ColStride] * bp[p * b.RowStride];
                c[i * ldc + j] = sum;
            }
    }
}
