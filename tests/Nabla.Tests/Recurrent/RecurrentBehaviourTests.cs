using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>PyTorch's argument checks and messages, hooks through Call, and dtype conversion of the recurrent modules.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class RecurrentBehaviourTests
{
    private static string Message(Action a) => Assert.ThrowsAny<ArgumentException>(a).Message;

    [Fact]
    public void TheIssuesUserCodeRunsWithItsShapes()
    {
        Torch.ManualSeed(1);
        var x = Torch.Randn(3, 5, 8);
        var lstm = new LSTM(inputSize: 8, hiddenSize: 16, numLayers: 2, bias: true, batchFirst: true, dropout: 0.0, bidirectional: true, projSize: 0);
        Assert.Equal("LSTM(8, 16, num_layers=2, batch_first=True, bidirectional=True)", lstm.ToString());
        var (output, (hn, cn)) = lstm.Forward(x);
        Assert.Equal([3L, 5, 32], output.Shape);
        Assert.Equal([4L, 3, 16], hn.Shape);
        Assert.Equal([4L, 3, 16], cn.Shape);
        var (again, _) = lstm.Forward(x, (hn, cn));
        Assert.Equal(output.Shape, again.Shape);
        var gru = new GRU(inputSize: 8, hiddenSize: 16, numLayers: 1, batchFirst: true);
        var h0 = Torch.Randn(1, 3, 16);
        var (out2, h2) = gru.Forward(x, h0);
        Assert.Equal([3L, 5, 16], out2.Shape);
        Assert.Equal([1L, 3, 16], h2.Shape);
        var rnn = new RNN(8, 16, nonlinearity: "relu");
        var (out3, h3) = rnn.Forward(x);
        Assert.Equal([3L, 5, 16], out3.Shape);
        Assert.Equal([1L, 5, 16], h3.Shape);
        var x0 = Torch.Randn(3, 8);
        var cell = new LSTMCell(8, 16);
        var (hc, cc) = cell.Forward(x0, (Torch.Zeros(3, 16), Torch.Zeros(3, 16)));
        TensorAssert.Equal(hc, cell.Forward(x0).H);
        Assert.Equal([3L, 16], cc.Shape);
        var probs = Torch.Rand(2, 6);
        var idx = Torch.Multinomial(probs, numSamples: 1, replacement: false);
        Assert.Equal([2L, 1], idx.Shape);
        Assert.Equal(DType.Int64, idx.DType);
        var b = Torch.Bernoulli(probs);
        Assert.Equal(probs.Shape, b.Shape);
    }

    [Fact]
    public void ConstructorChecksArePyTorchs()
    {
        Assert.Equal("dropout should be a number in range [0, 1] representing the probability of an element being zeroed", Message(() => new LSTM(2, 3, dropout: 1.5)));
        Assert.Equal("proj_size has to be smaller than hidden_size", Message(() => new LSTM(2, 3, projSize: 3)));
        Assert.Equal("proj_size should be a positive integer or zero to disable projections", Message(() => new LSTM(2, 3, projSize: -1)));
        Assert.Equal("Unknown nonlinearity 'gelu'", Message(() => new RNN(2, 3, nonlinearity: "gelu")));
    }

    [Fact]
    public void ForwardChecksArePyTorchs()
    {
        var lstm = new LSTM(4, 5, numLayers: 2);
        Assert.Equal("input.size(-1) must be equal to input_size. Expected 4, got 3", Message(() => lstm.Forward(Torch.Randn(6, 2, 3))));
        Assert.Equal("input must have 3 dimensions, got 5", Message(() => lstm.Forward(Torch.Randn(1, 6, 2, 4))));
        Assert.Equal("Expected hidden[0] size (2, 2, 5), got [1, 2, 5]", Message(() => lstm.Forward(Torch.Randn(6, 2, 4), (Torch.Randn(1, 2, 5), Torch.Randn(2, 2, 5)))));
        Assert.Equal("Expected hidden[1] size (2, 2, 5), got [2, 2, 4]", Message(() => lstm.Forward(Torch.Randn(6, 2, 4), (Torch.Randn(2, 2, 5), Torch.Randn(2, 2, 4)))));
        Assert.Equal("For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors",
            Message(() => lstm.Forward(Torch.Randn(6, 2, 4), (Torch.Randn(2, 5), Torch.Randn(2, 2, 5)))));
        var gru = new GRU(4, 5, bidirectional: true);
        Assert.Equal("Expected hidden size (2, 3, 5), got [1, 3, 5]", Message(() => gru.Forward(Torch.Randn(6, 3, 4), Torch.Randn(1, 3, 5))));
        Assert.Equal("For unbatched 2-D input, hx should also be 2-D but got 3-D tensor", Message(() => gru.Forward(Torch.Randn(6, 4), Torch.Randn(2, 1, 5))));
        var cell = new GRUCell(4, 5);
        Assert.Equal("GRUCell: Expected input to be 1-D or 2-D but received 3-D tensor", Message(() => cell.Forward(Torch.Randn(1, 2, 4))));
        Assert.Equal("input has inconsistent input_size: got 3 expected 4", Message(() => cell.Forward(Torch.Randn(2, 3))));
        Assert.Equal("Input batch size 2 doesn't match hidden batch size 3", Message(() => cell.Forward(Torch.Randn(2, 4), Torch.Randn(3, 5))));
    }

    [Fact]
    public void CallRunsHooksAndReturnsTheOutputSequence()
    {
        Torch.ManualSeed(5);
        var gru = new GRU(3, 4, batchFirst: true);
        var x = Torch.Randn(2, 5, 3);
        Tensor? seen = null;
        using var hook = gru.RegisterForwardHook((m, inputs, output) => { seen = output; return null; });
        var output = gru.Call(x);
        Assert.Same(output, seen);
        TensorAssert.Equal(gru.Forward(x).Output, output);
        Assert.Equal([2L, 5, 4], output.Shape);
        var lstm = new LSTM(3, 4);
        var (h0, c0) = (Torch.Randn(1, 5, 4), Torch.Randn(1, 5, 4));
        TensorAssert.Equal(lstm.Forward(x, (h0, c0)).Output, lstm.Call(x, h0, c0));
    }

    [Fact]
    public void DoubleConvertsTheWeightsTheForwardReads()
    {
        Torch.ManualSeed(6);
        var lstm = new LSTM(3, 4, bidirectional: true);
        lstm.Double();
        var (output, (h, c)) = lstm.Forward(Torch.Randn([5, 2, 3], DType.Float64));
        Assert.Equal(DType.Float64, output.DType);
        Assert.Equal([2L, 2, 4], h.Shape);
        Assert.Equal([2L, 2, 4], c.Shape);
        Assert.Equal(8, lstm.AllWeights.Sum(w => w.Count));
    }
}
