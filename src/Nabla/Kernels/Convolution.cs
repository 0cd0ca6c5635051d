using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Grouped 2-D convolution as im2col + GEMM. Everything is phrased with an "image" side, unrolled by im2col
/// ([batch, groups·imageChannels, height, width]), a "matrix" side ([batch, groups·rows, outH·outW]) and a
/// weight of [groups, rows, imageChannels·kh·kw]. A convolution's input is the image and its output the matrix;
/// a transposed convolution swaps them, so the same three products serve both, forward and backward:
/// <list type="bullet">
/// <item><see cref="ImageToMatrix"/>: matrix = W @ im2col(image) (conv forward, conv-transpose input grad)</item>
/// <item><see cref="MatrixToImage"/>: image = col2im(Wᵀ @ matrix) (conv input grad, conv-transpose forward)</item>
/// <item><see cref="WeightGrad"/>: dW = Σₙ matrix @ im2col(image)ᵀ (the weight grad of both)</item>
/// </list>
/// Work is spread over the batch; scratch comes from the shared array pool.
/// </summary>
internal static class Convolution
{
    /// <summary>The sizes of one convolution seen from its image and matrix sides.</summary>
    internal readonly record struct Layout(int Batch, int Groups, int ImageChannels, int Rows, Window2d Window)
    {
        /// <summary>im2col rows per group: imageChannels·kh·kw.</summary>
        public int K => ImageChannels * Window.KernelSize;

        public int ImagePerSample => Groups * ImageChannels * Window.Plane;

        public int MatrixPerSample => Groups * Rows * Window.OutPlane;

        public int WeightPerGroup => Rows * K;
    }

    // Below this many multiply-adds a single thread is faster than the scheduling.
    private const long ParallelWork = 1 << 15;

    public static void ImageToMatrix<T>(T[] image, T[] weight, T[] matrix, Layout l) where T : unmanaged, INumber<T>
    {
        if (l.Window.InsidePlane && Gemm.TakesIndexed<T>(l.Rows, l.K, l.Window.OutPlane))
        {
            ImageToMatrixInPlace(image, weight, matrix, l);
            return;
        }
        ForEachSample(l, n =>
        {
            int k = l.K, cols = l.Window.OutPlane;
            var col = ArrayPool<T>.Shared.Rent(k * cols);
            for (int g = 0; g < l.Groups; g++)
            {
                var img = image.AsSpan(n * l.ImagePerSample + g * l.ImageChannels * l.Window.Plane, l.ImageChannels * l.Window.Plane);
                Im2Col.Unfold<T>(img, l.ImageChannels, l.Window, col);
                var dst = matrix.AsSpan(n * l.MatrixPerSample + g * l.Rows * cols, l.Rows * cols);
                Gemm.Multiply<T>(weight.AsSpan(g * l.WeightPerGroup, l.WeightPerGroup), col.AsSpan(0, k * cols), dst, l.Rows, k, cols, false);
            }
            ArrayPool<T>.Shared.Return(col);
        });
    }

    // When no window reads padding, the product's B panels are packed straight from the image (tap p of window j at
    // image[tap offset p + window offset j]): no im2col matrix is written.
    private static unsafe void ImageToMatrixInPlace<T>(T[] image, T[] weight, T[] matrix, Layout l) where T : unmanaged, INumber<T>
    {
        var w = l.Window;
        int k = l.K, cols = w.OutPlane;
        var offsets = ArrayPool<int>.Shared.Rent(k + cols);
        for (int c = 0, p = 0; c < l.ImageChannels; c++)
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++) offsets[p++] = c * w.Plane + ki * w.DilationH * w.Width + kj * w.DilationW;
        for (int oh = 0, j = k; oh < w.OutH; oh++)
            for (int ow = 0; ow < w.OutW; ow++) offsets[j++] = oh * w.StrideH * w.Width + ow * w.StrideW;
        fixed (T* pImage = image)
        fixed (int* pOffsets = offsets)
        {
            nint imageAddress = (nint)pImage, offsetsAddress = (nint)pOffsets;
            ForEachSample(l, n =>
            {
                for (int g = 0; g < l.Groups; g++)
                {
                    T* img = (T*)imageAddress + n * l.ImagePerSample + g * l.ImageChannels * w.Plane;
                    var dst = matrix.AsSpan(n * l.MatrixPerSample + g * l.Rows * cols, l.Rows * cols);
                    Gemm.MultiplyIndexed<T>(weight.AsSpan(g * l.WeightPerGroup, l.WeightPerGroup), img, (int*)offsetsAddress, (int*)offsetsAddress + k, dst, l.Rows, k, cols);
                }
            });
        }
        ArrayPool<int>.Shared.Return(offsets);
    }

    public static void MatrixToImage<T>(T[] matrix, T[] weight, T[] image, Layout l) where T : unmanaged, INumber<T>
        => ForEachSample(l, n =>
        {
            int k = l.K, cols = l.Window.OutPlane;
            var col = ArrayPool<T>.Shared.Rent(k * cols);
            for (int g = 0; g < l.Groups; g++)
            {
                var src = matrix.AsSpan(n * l.MatrixPerSample + g * l.Rows * cols, l.Rows * cols);
                Gemm.MultiplyTransposedA<T>(weight.AsSpan(g * l.WeightPerGroup, l.WeightPerGroup), src, col.AsSpan(0, k * cols), l.Rows, k, cols, false);
                var img = image.AsSpan(n * l.ImagePerSample + g * l.ImageChannels * l.Window.Plane, l.ImageChannels * l.Window.Plane);
                Im2Col.Fold<T>(col.AsSpan(0, k * cols), l.ImageChannels, l.Window, img);
            }
            ArrayPool<T>.Shared.Return(col);
        });

    /// <summary>dW = Σₙ matrix[n] @ im2col(image[n])ᵀ, summed in a fixed order (chunks of the batch, then chunk by chunk) so results do not depend on the thread count.</summary>
    public static void WeightGrad<T>(T[] image, T[] matrix, T[] weightGrad, Layout l) where T : unmanaged, INumber<T>
    {
        int weightSize = l.Groups * l.WeightPerGroup;
        if (l.Batch == 0)
        {
            weightGrad.AsSpan(0, weightSize).Clear();
            return;
        }
        int chunks = Math.Min(l.Batch, 16);
        int perChunk = (l.Batch + chunks - 1) / chunks;
        chunks = (l.Batch + perChunk - 1) / perChunk;
        var partials = new T[chunks][];
        void Chunk(int c)
        {
            var acc = c == 0 ? weightGrad : ArrayPool<T>.Shared.Rent(weightSize);
            acc.AsSpan(0, weightSize).Clear();
            int k = l.K, cols = l.Window.OutPlane;
            var col = ArrayPool<T>.Shared.Rent(k * cols);
            for (int n = c * perChunk; n < Math.Min(l.Batch, (c + 1) * perChunk); n++)
                for (int g = 0; g < l.Groups; g++)
                {
                    var img = image.AsSpan(n * l.ImagePerSample + g * l.ImageChannels * l.Window.Plane, l.ImageChannels * l.Window.Plane);
                    Im2Col.Unfold<T>(img, l.ImageChannels, l.Window, col);
                    var src = matrix.AsSpan(n * l.MatrixPerSample + g * l.Rows * cols, l.Rows * cols);
                    Gemm.MultiplyTransposedB<T>(src, col.AsSpan(0, k * cols), acc.AsSpan(g * l.WeightPerGroup, l.WeightPerGroup), l.Rows, cols, k, true);
                }
            ArrayPool<T>.Shared.Return(col);
            partials[c] = acc;
        }
        if (Work(l) < ParallelWork || chunks == 1) for (int c = 0; c < chunks; c++) Chunk(c);
        else Parallelism.For(chunks, Chunk);
        var total = weightGrad.AsSpan(0, weightSize);
        for (int c = 1; c < chunks; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(total, partials[c].AsSpan(0, weightSize), total);
            ArrayPool<T>.Shared.Return(partials[c]);
        }
    }

    /// <summary>data[n, c, :] += bias[c] over a [batch, channels, plane] block.</summary>
    public static void AddChannelBias<T>(Span<T> data, int batch, int channels, int plane, ReadOnlySpan<T> bias) where T : unmanaged, INumber<T>
    {
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                System.Numerics.Tensors.TensorPrimitives.Add(data.Slice((n * channels + c) * plane, plane), bias[c], data.Slice((n * channels + c) * plane, plane));
    }

    private static long Work(Layout l) => (long)l.Batch * l.Groups * l.Rows * l.K * l.Window.OutPlane;

    private static void ForEachSample(Layout l, Action<int> body)
    {
        if (Work(l) < ParallelWork || l.Batch == 1 || Parallelism.Threads == 1)
            for (int n = 0; n < l.Batch; n++) body(n);
        else
            Parallelism.For(l.Batch, body);
    }
}
