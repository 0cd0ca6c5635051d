using Xunit;

namespace Nabla.Tests.Memory;

/// <summary>
/// An op on a small tensor with no graph to record allocates its result and nothing else: no closure for a backward it
/// does not record, no strides of its own when its input's are row-major.
/// </summary>
public class SmallOpAllocationTests
{
    public static TheoryData<string> Ops => new()
    {
        "add", "sub", "rsub", "mul", "div", "add alpha",
        "neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "log1p", "expm1", "rsqrt", "erf", "round",
    };

    private static Tensor Run(string op, Tensor x, Tensor y) => op switch
    {
        "neg" => x.Neg(),
        "abs" => x.Abs(),
        "exp" => x.Exp(),
        "log" => y.Log(),
        "sqrt" => y.Sqrt(),
        "sin" => x.Sin(),
        "cos" => x.Cos(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "relu" => x.Relu(),
        "log1p" => y.Log1p(),
        "expm1" => x.Expm1(),
        "rsqrt" => y.Rsqrt(),
        "erf" => x.Erf(),
        "round" => x.Round(),
        "add" => x.Add(y),
        "sub" => x.Sub(y),
        "rsub" => x.Rsub(y),
        "mul" => x.Mul(y),
        "div" => x.Div(y),
        _ => x.Add(y, alpha: 1),
    };

    private static long BytesPerCall(Func<Tensor> call)
    {
        for (int i = 0; i < 50; i++) call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) call();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void AnOpWithoutAGraphAllocatesWhatItsResultIs(string op)
    {
        var x = Torch.Tensor(new float[] { 1.5f, -2, 3 });
        var y = Torch.Tensor(new float[] { 0.5f, 4, 1 });
        long result = BytesPerCall(() => Tensor.EmptyLike(x, DType.Float32));
        long perOp = BytesPerCall(() => Run(op, x, y));
        Assert.Equal(result, perOp);
    }

    [Fact]
    public void AnOpRecordingAGraphStillGetsItsBackward()
    {
        var x = Torch.Tensor(new float[] { 1.5f, -2, 3 }).RequiresGrad_();
        var y = Torch.Tensor(new float[] { 0.5f, 4, -1 }).RequiresGrad_();
        x.Add(y, alpha: 2).Sub(x).Mul(y).Div(y).Rsub(x).Sum().Backward();
        // r = x - (((x + 2y) - x) * y / y) = x - 2y, so dr/dx = 1 and dr/dy = -2.
        Assert.Equal(new float[] { 1, 1, 1 }, x.Grad!.ToArray<float>());
        Assert.Equal(new float[] { -2, -2, -2 }, y.Grad!.ToArray<float>());
    }

    [Fact]
    public void UnaryOpsAndViewsStillRecordTheirBackward()
    {
        var x = Torch.Tensor(new float[] { 0.5f, -1, 2, 0.25f }).RequiresGrad_();
        var r = x.Exp().Tanh().Sigmoid().Relu().Neg().View(2, 2).T().Unsqueeze(0).Squeeze(0).Reshape(-1);
        r.Sum().Backward();
        // d/dx of -relu(sigmoid(tanh(e^x))): sigmoid' · tanh' · e^x, negated (all inputs keep relu's argument positive).
        var e = x.Detach().Exp();
        var t = e.Tanh();
        var s = t.Sigmoid();
        var expected = -(s * (1.0 - s)) * (1.0 - t * t) * e;
        Assert.Equal(expected.ToArray<float>(), x.Grad!.ToArray<float>());
    }

    [Fact]
    public void ResultsOfOneShapeShareTheirStridesAndTheyAreRowMajor()
    {
        var x = Torch.Ones(2, 3, 4);
        var a = x + x;
        var b = a * x;
        Assert.Same(a._strides, b._strides);
        Assert.Equal(new long[] { 12, 4, 1 }, b.Strides);
        var c = Torch.Ones(4, 3) + Torch.Ones(4, 3);
        Assert.Equal(new long[] { 3, 1 }, c.Strides);
        Assert.Equal(new long[] { 12, 4, 1 }, (b - x).Strides);
        // A user's copy of the strides is theirs: writing it changes no tensor.
        var strides = b.Strides;
        strides[0] = 99;
        Assert.Equal(new long[] { 12, 4, 1 }, a.Strides);
    }
}
