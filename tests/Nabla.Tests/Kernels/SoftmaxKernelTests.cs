using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// Softmax rows split across threads give the bits of one thread, and each row equals the scalar formula.
[Collection(ThreadCountCollection.Name)]
public class SoftmaxKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 31)]
    [InlineData(300, 1000)]
    [InlineData(2, 100_003)]
    public void RowsEqualTheScalarFormulaWithAnyThreadCount(int rows, int n)
    {
        var random = new System.Random(rows + n);
        var x = Enumerable.Range(0, rows * n).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        foreach (var log in new[] { false, true })
        {
            var results = new List<float[]>();
            ThreadCountCollection.ForEachThreadCount(() =>
            {
                var y = new float[x.Length];
                ActivationKernels.Softmax<float>(x, n, log, y);
                results.Add(y);
            });
            Assert.Equal(results[0], results[1]);
            var row = x.AsSpan(0, n).ToArray();
            float max = row.Max();
            var e = row.Select(v => MathF.Exp(v - max)).ToArray();
            // The row sum's order is PyTorch's lane order; a scalar sum may differ in the last bit, so compare loosely here.
            float sum = (float)e.Sum(v => (double)v);
            for (int i = 0; i < n; i++)
                Assert.Equal(log ? row[i] - max - MathF.Log(sum) : e[i] * (1 / sum), results[0][i], 1e-4f);
        }
    }
}
