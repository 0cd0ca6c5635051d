using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

/// <summary>The parallel split (by batch, by columns, by rows) computes every element exactly as one thread does.</summary>
[Collection(ThreadCountCollection.Name)]
public class GemmThreadingTests
{
    [Theory]
    [InlineData(1, 64, 784, 256)] // tall-skinny Linear: split by columns
    [InlineData(1, 1000, 300, 20)] // split by rows
    [InlineData(3, 40, 200, 50)] // odd batch: split inside each matrix
    [InlineData(8, 30, 100, 30)] // split by batch
    [InlineData(1, 1, 3000, 500)] // vector path
    [InlineData(1, 1, 784, 256)] // batch-1 Linear: weight rows split between threads
    public void ResultsDoNotDependOnTheThreadCount(int batch, int m, int k, int n)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            var one = Product(batch, m, k, n, threads: 1);
            var two = Product(batch, m, k, n, threads: 2);
            Assert.Equal(one.C.Array, two.C.Array);
            GemmReference.Check(two.A, two.B, two.C, null, batch, m, k, n, $"{batch}x{m}x{k}x{n} on 2 threads");
        }
        finally
        {
            Torch.SetNumThreads(saved);
        }
    }

    private static (MatrixBatch<float> A, MatrixBatch<float> B, MatrixBatch<float> C) Product(int batch, int m, int k, int n, int threads)
    {
        var rng = new System.Random(batch + m + k + n);
        var a = GemmReference.RandomMatrices<float>(rng, batch, m, k, "contiguous");
        var b = GemmReference.RandomMatrices<float>(rng, batch, k, n, "transposed");
        var c = GemmReference.Output(batch, m, n, float.NaN);
        Torch.SetNumThreads(threads);
        Gemm.Batched(a, b, c, batch, m, k, n);
        return (a, b, c);
    }
}
