using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// Each fast path of Elementwise.Binary/Unary against a per-element reference over the same broadcast strides:
// the results must be bit-identical, with one thread and with two.
[Collection(ThreadCountCollection.Name)]
public class ElementwiseKernelTests
{
    public static TheoryData<int> Sizes => new() { 0, 1, 7, 31, 1000, 100_003, 300_007 };

    // (shape of a, shape of b) pairs that hit each layout: contiguous, scalar either side, bias row, channel, outer product.
    private static IEnumerable<(long[] A, long[] B)> Layouts(int n)
    {
        yield return ([n], [n]);
        yield return ([n], []);
        yield return ([], [n]);
        yield return ([n], [1]);
        if (n >= 7)
        {
            long cols = 7, rows = n / 7;
            yield return ([rows, cols], [cols]);
            yield return ([cols], [rows, cols]);
            yield return ([rows, cols], [rows, 1]);
            yield return ([rows, 1], [1, cols]);
        }
        if (n >= 31)
        {
            long planes = n / 31;
            yield return ([2, 31, planes / 2 + 1, 1], [1, 31, 1, 1]);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BinaryFastPathsEqualPerElementReference(int n) => ThreadCountCollection.ForEachThreadCount(() =>
    {
        foreach (var (shapeA, shapeB) in Layouts(n))
        {
            CheckBinary<float, AddOp<float>>(shapeA, shapeB, (x, y) => x + y);
            CheckBinary<float, MulOp<float>>(shapeA, shapeB, (x, y) => x * y);
            CheckBinary<float, SubOp<float>>(shapeB, shapeA, (x, y) => x - y);
            CheckBinary<double, DivOp<double>>(shapeA, shapeB, (x, y) => x / y);
            CheckBinary<float, MaximumOp<float>>(shapeA, shapeB, MaximumOp<float>.Apply);
            CheckBinary<long, AddOp<long>>(shapeA, shapeB, (x, y) => x + y);
            CheckBinary<float, ReluGradOp<float>>(shapeA, shapeB, (x, y) => x <= 0 ? 0 : y);
        }
    });

    [Fact]
    public void NonContiguousInputsEqualPerElementReference() => ThreadCountCollection.ForEachThreadCount(() =>
    {
        foreach (var (rows, cols) in new[] { (1, 1), (7, 31), (300, 1001) })
        {
            var a = Values<float>(rows * cols, 3);
            var b = Values<float>(rows * cols, 4);
            long[] shape = [cols, rows], transposed = [1, cols];
            var d = new float[rows * cols];
            Elementwise.Binary<float, float, AddOp<float>>(a, 0, transposed, b, 0, transposed, shape, d);
            var expected = Reference(a, 0, transposed, b, 0, transposed, shape, (x, y) => x + y);
            AssertBits(expected, d);
            // Every other element of a longer buffer, from an offset.
            long[] stepped = [2];
            var e = new float[rows * cols / 2];
            Elementwise.Binary<float, float, MulOp<float>>(a, 1, stepped, b, 1, stepped, [e.Length], e);
            AssertBits(Reference(a, 1, stepped, b, 1, stepped, [e.Length], (x, y) => x * y), e);
        }
    });

    [Fact]
    public void ComparisonWritesBoolsThroughEveryLayout() => ThreadCountCollection.ForEachThreadCount(() =>
    {
        foreach (var (shapeA, shapeB) in Layouts(100_003))
        {
            var (a, sa, b, sb, shape) = Operands<float>(shapeA, shapeB);
            var d = new bool[Numel(shape)];
            Elementwise.Binary<float, bool, GtOp<float>>(a, 0, sa, b, 0, sb, shape, d);
            Assert.Equal(Reference(a, 0, sa, b, 0, sb, shape, (x, y) => x > y), d);
        }
    });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void UnaryFastPathsEqualScalarForms(int n) => ThreadCountCollection.ForEachThreadCount(() =>
    {
        CheckUnary<float, ReluOp<float>>(n);
        CheckUnary<double, ReluOp<double>>(n);
        CheckUnary<long, ReluOp<long>>(n);
        CheckUnary<float, NegOp<float>>(n);
        CheckUnary<float, AbsOp<float>>(n);
        CheckUnary<double, AbsOp<double>>(n);
        CheckUnary<float, SqrtOp<float>>(n);
        CheckUnary<double, SqrtOp<double>>(n);
        CheckUnary<float, ExpOp<float>>(n);
        CheckUnary<float, TanhOp<float>>(n);
    });

    [Fact]
    public void ReluKeepsNegativeZeroAndNaN()
    {
        float[] x = [-0.0f, float.NaN, -1, 2, 0, float.NegativeInfinity, -0.0f, 3, float.NaN];
        var d = new float[x.Length];
        Elementwise.Unary<float, float, ReluOp<float>>(x, d);
        float[] expected = [-0.0f, float.NaN, 0, 2, 0, 0, -0.0f, 3, float.NaN];
        AssertBits(expected, d);
    }

    [Fact]
    public void ReluBackwardPassesGradientWhereResultIsPositiveOrNaN()
    {
        var x = Torch.Tensor(new float[] { -1, 0, 2, float.NaN, -0.0f, 5 }).RequiresGrad_();
        var g = Torch.Tensor(new float[] { 1, 2, 3, 4, 5, 6 });
        x.Relu().Backward(g);
        AssertBits(new float[] { 0, 0, 3, 4, 0, 6 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void TinyBinaryKernelAllocatesNothing()
    {
        float[] a = [1], b = [2], d = new float[1];
        long[] strides = [1], shape = [1];
        Elementwise.Binary<float, float, AddOp<float>>(a, 0, strides, b, 0, strides, shape, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Elementwise.Binary<float, float, AddOp<float>>(a, 0, strides, b, 0, strides, shape, d);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void CheckBinary<T, TOp>(long[] shapeA, long[] shapeB, Func<T, T, T> reference)
        where T : unmanaged, INumber<T> where TOp : IBinaryOp<T, T>
    {
        var (a, sa, b, sb, shape) = Operands<T>(shapeA, shapeB);
        var d = new T[Numel(shape)];
        Elementwise.Binary<T, T, TOp>(a, 0, sa, b, 0, sb, shape, d);
        AssertBits(Reference(a, 0, sa, b, 0, sb, shape, reference), d);
    }

    private static void CheckUnary<T, TOp>(int n) where T : unmanaged, INumber<T> where TOp : IUnaryOp<T, T>
    {
        var x = Values<T>(n, 5);
        var d = new T[n];
        Elementwise.Unary<T, T, TOp>(x, d);
        AssertBits(x.Select(TOp.Apply).ToArray(), d);
    }

    private static (T[] A, long[] StridesA, T[] B, long[] StridesB, long[] Shape) Operands<T>(long[] shapeA, long[] shapeB) where T : INumber<T>
    {
        var shape = Shapes.Broadcast(shapeA, shapeB);
        var a = Torch.Zeros(shapeA);
        var b = Torch.Zeros(shapeB);
        return (Values<T>((int)Numel(shapeA), 1), Shapes.BroadcastStrides(a, shape), Values<T>((int)Numel(shapeB), 2), Shapes.BroadcastStrides(b, shape), shape);
    }

    // Mixed signs, zeros, -0.0 and (for floats) a NaN, reproducible per seed.
    private static T[] Values<T>(int n, int seed) where T : INumber<T>
    {
        var random = new System.Random(seed);
        var v = new T[n];
        for (int i = 0; i < n; i++)
        {
            int k = random.Next(20);
            v[i] = k == 0 ? T.Zero : k == 1 ? T.CreateTruncating(-0.0) : k == 2 && T.IsNaN(T.CreateTruncating(double.NaN)) ? T.CreateTruncating(double.NaN)
                : T.CreateTruncating((random.NextDouble() - 0.4) * 100);
        }
        return v;
    }

    private static TOut[] Reference<T, TOut>(T[] a, long offA, long[] sa, T[] b, long offB, long[] sb, long[] shape, Func<T, T, TOut> op)
    {
        var d = new TOut[Numel(shape)];
        var index = new long[shape.Length];
        for (int i = 0; i < d.Length; i++)
        {
            long rest = i, pa = offA, pb = offB;
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                index[k] = rest % shape[k];
                rest /= shape[k];
                pa += index[k] * sa[k];
                pb += index[k] * sb[k];
            }
            d[i] = op(a[pa], b[pb]);
        }
        return d;
    }

    private static long Numel(long[] shape) => shape.Aggregate(1L, (p, s) => p * s);

    private static void AssertBits<T>(T[] expected, T[] actual) where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())), $"results differ from the reference ({typeof(T).Name}, {expected.Length} elements)");
    }
}
