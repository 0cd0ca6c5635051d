using System.Numerics;
using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

/// <summary>The GEMM against a naive double-precision product: every path (direct, vector, packed), layout and lane width.</summary>
public class GemmTests
{
    private static readonly int[] Sizes = [1, 2, 7, 31, 65, 127];

    public static TheoryData<int, int, int> SmallShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in Sizes)
            foreach (int k in Sizes)
                foreach (int n in Sizes) data.Add(m, k, n);
        return data;
    }

    // One dimension past 1000 (several k blocks, a column block edge), the others odd.
    public static TheoryData<int, int, int> LargeShapes() => new()
    {
        { 1031, 31, 7 }, { 7, 1031, 65 }, { 65, 31, 1100 }, { 1, 1025, 1 }, { 1030, 2, 1 }, { 1, 700, 1031 }, { 130, 600, 70 }, { 64, 784, 256 },
    };

    [Theory]
    [MemberData(nameof(SmallShapes))]
    public void SmallShapesMatchReferenceOnEveryLaneWidth(int m, int k, int n)
    {
        foreach (var isa in Enum.GetValues<Gemm.Isa>())
        {
            Check<float>(m, k, n, "contiguous", "transposed", isa);
            Check<double>(m, k, n, "transposed", "contiguous", isa);
        }
    }

    [Theory]
    [MemberData(nameof(LargeShapes))]
    public void LargeShapesMatchReference(int m, int k, int n)
    {
        foreach (var (la, lb) in new[] { ("contiguous", "contiguous"), ("transposed", "transposed"), ("strided", "contiguous") })
        {
            Check<float>(m, k, n, la, lb, Gemm.CurrentIsa);
            Check<double>(m, k, n, lb, la, Gemm.CurrentIsa);
        }
        Check<float>(m, k, n, "contiguous", "transposed", Gemm.Isa.Scalar);
    }

    [Theory]
    [InlineData("contiguous", "contiguous")]
    [InlineData("transposed", "contiguous")]
    [InlineData("contiguous", "transposed")]
    [InlineData("transposed", "transposed")]
    [InlineData("strided", "strided")]
    public void TransposedAndStridedOperandsAreReadInPlace(string layoutA, string layoutB)
    {
        foreach (var (m, k, n) in new[] { (37, 300, 45), (1, 40, 30), (30, 40, 1), (3, 3, 3) })
        {
            Check<float>(m, k, n, layoutA, layoutB, Gemm.CurrentIsa);
            Check<double>(m, k, n, layoutA, layoutB, Gemm.CurrentIsa);
        }
    }

    // PyTorch's reference CPU GEMM rounds each product and adds in k order; every lane width and every k block split
    // must give exactly that sum, so parity goldens hold to the bit and results do not depend on the machine.
    [Theory]
    [InlineData(40, 700, 33)]
    [InlineData(13, 257, 70)]
    [InlineData(5, 6, 7)]
    public void EveryLaneWidthSumsInKOrderLikeThePyTorchReference(int m, int k, int n)
    {
        var rng = new System.Random(m + k + n);
        var a = GemmReference.RandomMatrices<float>(rng, 1, m, k, "transposed");
        var b = GemmReference.RandomMatrices<float>(rng, 1, k, n, "transposed");
        foreach (var isa in Enum.GetValues<Gemm.Isa>())
        {
            var c = GemmReference.Output(1, m, n, float.NaN);
            try
            {
                Gemm.CurrentIsa = isa;
                Gemm.Batched(a, b, c, 1, m, k, n);
            }
            finally
            {
                Gemm.ResetIsa();
            }
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++) sum += (float)GemmReference.At(a, 0, i, p) * (float)GemmReference.At(b, 0, p, j);
                    Assert.Equal(sum, c.Array[c.Offset + i * n + j]);
                }
        }
    }

    [Fact]
    public void AccumulateAddsTheProductToC()
    {
        foreach (var (m, k, n) in new[] { (40, 700, 33), (1, 50, 40), (3, 4, 5) })
        {
            Check<float>(m, k, n, "contiguous", "contiguous", Gemm.CurrentIsa, accumulate: true);
            Check<double>(m, k, n, "transposed", "contiguous", Gemm.CurrentIsa, accumulate: true);
        }
    }

    // A row vector times a transposed weight (batch-1 Linear) runs four weight rows at a time with two accumulators
    // each: every row count mod 4, every k below, at and above the 16-float step, with and without accumulation.
    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(784)]
    public void RowVectorTimesTransposedMatrixMatchesReference(int k)
    {
        for (int n = 1; n <= 9; n++)
        {
            Check<float>(1, k, n, "contiguous", "transposed", Gemm.CurrentIsa);
            Check<float>(1, k, n, "contiguous", "transposed", Gemm.CurrentIsa, accumulate: true);
        }
    }

    [Fact]
    public void EmptyInnerDimensionZeroesCOrLeavesIt()
    {
        var rng = new System.Random(5);
        var a = GemmReference.RandomMatrices<float>(rng, 1, 9, 0, "contiguous");
        var b = GemmReference.RandomMatrices<float>(rng, 1, 0, 11, "contiguous");
        var c = GemmReference.Output(1, 9, 11, 7f);
        Gemm.Batched(a, b, c, 1, 9, 0, 11);
        Assert.All(c.Array.AsSpan(1, 99).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(7f, c.Array[0]);
        Assert.Equal(7f, c.Array[^1]);
        var kept = GemmReference.Output(1, 9, 11, 7f);
        Gemm.Batched(a, b, kept, 1, 9, 0, 11, accumulate: true);
        Assert.All(kept.Array, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void BatchedProductsBroadcastAZeroBatchStride()
    {
        var rng = new System.Random(11);
        foreach (var (batch, m, k, n) in new[] { (3, 20, 300, 40), (5, 2, 3, 2), (4, 1, 64, 50), (2, 130, 40, 9) })
        {
            var a = GemmReference.RandomMatrices<float>(rng, batch, m, k, "contiguous");
            var b = GemmReference.RandomMatrices<float>(rng, batch, k, n, "transposed", broadcast: true);
            var c = GemmReference.Output(batch, m, n, float.NaN);
            Gemm.Batched(a, b, c, batch, m, k, n);
            GemmReference.Check(a, b, c, null, batch, m, k, n, $"batch {batch} of {m}x{k}x{n}");
        }
    }

    [Fact]
    public void IntegerProductsAreExact()
    {
        Check<long>(70, 90, 50, "contiguous", "transposed", Gemm.CurrentIsa);
        Check<int>(9, 200, 1, "transposed", "contiguous", Gemm.CurrentIsa);
    }

    [Theory]
    [InlineData(40, 300, 37)] // packed
    [InlineData(1, 300, 37)] // vector
    [InlineData(3, 4, 5)] // direct
    public void EpilogueEqualsBiasThenReluAfterTheProduct(int m, int k, int n)
    {
        var rng = new System.Random(3);
        var a = GemmReference.RandomMatrices<float>(rng, 1, m, k, "contiguous");
        var b = GemmReference.RandomMatrices<float>(rng, 1, k, n, "transposed");
        var bias = GemmReference.RandomMatrices<float>(rng, 1, 1, n, "contiguous");
        var plain = GemmReference.Output(1, m, n, 0f);
        var fused = GemmReference.Output(1, m, n, 0f);
        Gemm.Batched(a, b, plain, 1, m, k, n);
        Gemm.Batched(a, b, fused, 1, m, k, n, bias: bias.Array, biasOffset: bias.Offset, relu: true);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float v = plain.Array[1 + i * n + j] + bias.Array[bias.Offset + j];
                Assert.Equal(v < 0 ? 0 : v, fused.Array[1 + i * n + j]);
            }
    }

    [Fact]
    public void SpanProductsMatchReference()
    {
        var rng = new System.Random(8);
        foreach (var (m, k, n) in new[] { (20, 75, 33), (2, 3, 4), (64, 9, 200) })
        {
            float[] a = Fill(rng, m * k), b = Fill(rng, k * n), at = Fill(rng, k * m), bt = Fill(rng, n * k);
            foreach (bool accumulate in new[] { false, true })
            {
                float[] c0 = Fill(rng, m * n), c = c0.ToArray();
                Gemm.Multiply<float>(a, b, c, m, k, n, accumulate);
                GemmReference.Check(Matrix(a, k, 1), Matrix(b, n, 1), Matrix(c, n, 1), accumulate ? c0 : null, 1, m, k, n, "A @ B");
                c = c0.ToArray();
                Gemm.MultiplyTransposedA<float>(at, b, c, k, m, n, accumulate);
                GemmReference.Check(Matrix(at, 1, m), Matrix(b, n, 1), Matrix(c, n, 1), accumulate ? c0 : null, 1, m, k, n, "Aᵀ @ B");
                c = c0.ToArray();
                Gemm.MultiplyTransposedB<float>(a, bt, c, m, k, n, accumulate);
                GemmReference.Check(Matrix(a, k, 1), Matrix(bt, 1, k), Matrix(c, n, 1), accumulate ? c0 : null, 1, m, k, n, "A @ Bᵀ");
            }
        }

        static float[] Fill(System.Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        static MatrixBatch<float> Matrix(float[] data, long rowStride, long colStride) => new(data, 0, 0, rowStride, colStride);
    }

    private static void Check<T>(int m, int k, int n, string layoutA, string layoutB, Gemm.Isa isa, bool accumulate = false)
        where T : unmanaged, INumber<T>
    {
        var rng = new System.Random(m * 10007 + k * 101 + n);
        var a = GemmReference.RandomMatrices<T>(rng, 1, m, k, layoutA);
        var b = GemmReference.RandomMatrices<T>(rng, 1, k, n, layoutB);
        var c = GemmReference.RandomMatrices<T>(rng, 1, m, n, "contiguous", offset: 2);
        var c0 = c.Array.ToArray();
        try
        {
            Gemm.CurrentIsa = isa;
            Gemm.Batched(a, b, c, 1, m, k, n, accumulate);
        }
        finally
        {
            Gemm.ResetIsa();
        }
        GemmReference.Check(a, b, c, accumulate ? c0 : null, 1, m, k, n, $"{typeof(T).Name} {m}x{k}x{n} A {layoutA} B {layoutB} {isa}");
        Assert.Equal(c0[0], c.Array[0]);
        Assert.Equal(c0[^1], c.Array[^1]);
    }
}
