using Nabla.Tracing;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.FunctionalParity;

/// <summary>What an ONNX export sees: each activation, einsum and split is one traced op with its attributes.</summary>
public class TraceRecordTests
{
    private static List<TracedOp> Traced(Func<Tensor> run)
    {
        using var session = Trace.Begin();
        run();
        return session.Ops;
    }

    public static TheoryData<string, string> SingleOps() => new()
    {
        { "softmax", "softmax" },
        { "log_softmax", "log_softmax" },
        { "gelu", "gelu" },
        { "gelu_tanh", "gelu" },
        { "leaky_relu", "leaky_relu" },
        { "elu", "elu" },
        { "silu", "silu" },
        { "relu", "relu" },
        { "einsum", "einsum" },
        { "logsumexp", "logsumexp" },
        { "var", "var" },
        { "cumsum", "cumsum" },
        { "pad", "pad" },
        { "nll_loss", "nll_loss" },
        { "smooth_l1_loss", "smooth_l1_loss" },
        { "bce_with_logits", "binary_cross_entropy_with_logits" },
    };

    private static Tensor Run(string name)
    {
        var x = Torch.Randn(3, 4);
        return name switch
        {
            "softmax" => F.Softmax(x, 1),
            "log_softmax" => F.LogSoftmax(x, 0),
            "gelu" => F.Gelu(x),
            "gelu_tanh" => F.Gelu(x, "tanh"),
            "leaky_relu" => F.LeakyRelu(x, 0.2),
            "elu" => F.Elu(x),
            "silu" => F.Silu(x),
            "relu" => F.Relu(x),
            "einsum" => Torch.Einsum("ij,kj->ik", x, x),
            "logsumexp" => x.Logsumexp(1),
            "var" => x.Var(0),
            "cumsum" => x.Cumsum(1),
            "pad" => F.Pad(x, [1, 1], mode: "reflect"),
            "nll_loss" => F.NllLoss(x, Torch.Tensor(new long[] { 0, 1, 2 })),
            "smooth_l1_loss" => F.SmoothL1Loss(x, x.Detach()),
            "bce_with_logits" => F.BinaryCrossEntropyWithLogits(x, Torch.Rand(3, 4)),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(SingleOps))]
    public void IsOneTracedOp(string name, string kind)
    {
        var ops = Traced(() => Run(name));
        Assert.Equal([kind], ops.Select(o => o.Kind));
    }

    [Fact]
    public void SoftmaxRecordsItsDimAndGeluItsApproximation()
    {
        Assert.Equal(1L, Traced(() => F.Softmax(Torch.Randn(2, 3), -1))[0].Attributes["dim"]);
        Assert.Equal("tanh", Traced(() => F.Gelu(Torch.Randn(2, 3), "tanh"))[0].Attributes["approximate"]);
    }

    [Fact]
    public void SplitIsOneOpWithAnOutputPerPiece()
    {
        var ops = Traced(() => Torch.Randn(5, 2).Split(2)[0]);
        Assert.Single(ops);
        Assert.Equal(3, ops[0].Outputs.Length);
        Assert.Equal(new long[] { 2, 2, 1 }, ops[0].Attributes["sizes"]);
    }

    [Fact]
    public void CrossEntropyIsLogSoftmaxThenNllLoss()
        => Assert.Equal(["log_softmax", "nll_loss"], Traced(() => F.CrossEntropy(Torch.Randn(3, 4), Torch.Tensor(new long[] { 0, 1, 3 }))).Select(o => o.Kind));

    [Fact]
    public void SessionsTraceOnlyTheirOwnThreadAndEndOnceWhateverTheDisposals()
    {
        var x = Torch.Randn(2, 2);
        var session = Trace.Begin();
        Assert.True(Trace.Active);
        bool elsewhere = true;
        var other = new Thread(() =>
        {
            elsewhere = Trace.Active;
            _ = x + x;
        });
        other.Start();
        other.Join();
        Assert.False(elsewhere);
        _ = x * x;
        session.Dispose();
        session.Dispose();
        Assert.False(Trace.Active);
        Assert.Single(session.Ops);
        // A second session still traces: the first one's double disposal did not end it.
        using var outer = Trace.Begin();
        Trace.Begin().Dispose();
        _ = x - x;
        Assert.True(Trace.Active);
        Assert.Single(outer.Ops);
    }
}
