using System.Numerics;

namespace Nabla.Kernels;

/// <summary>The embedding lookup's gradient: rows of the output gradient added into the rows they were read from.</summary>
internal static class EmbeddingKernels
{
    /// <summary>gradWeight[indices[i]] += gradOutput[i] in index order, skipping <paramref name="paddingIdx"/>; gradWeight is overwritten.</summary>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<long> indices, int dim, long paddingIdx, Span<T> gradWeight)
        where T : unmanaged, INumber<T>
    {
        gradWeight.Clear();
        for (int i = 0; i < indices.Length; i++)
        {
            long k = indices[i];
            if (k == paddingIdx) continue;
            System.Numerics.Tensors.TensorPrimitives.Add(gradWeight.Slice((int)k * dim, dim), gradOutput.Slice(i * dim, dim), gradWeight.Slice((int)k * dim, dim));
        }
    }
}
