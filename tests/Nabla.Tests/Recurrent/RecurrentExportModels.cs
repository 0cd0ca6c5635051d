using Nabla.NN;

namespace Nabla.Tests.Recurrent;

/// <summary>
/// Every recurrent module in one model for the shared ONNX Runtime checks: a bidirectional two-layer batch-first LSTM, a GRU
/// on its output from given initial states, a relu RNN, and the three cells on the first step.
/// </summary>
internal sealed class EveryRecurrentLayer : Module
{
    public LSTM lstm = new(4, 5, numLayers: 2, batchFirst: true, bidirectional: true);
    public GRU gru = new(10, 3);
    public RNN rnn = new(3, 4, nonlinearity: "relu", bidirectional: true, batchFirst: true);
    public LSTMCell lstmCell = new(4, 3);
    public GRUCell gruCell = new(4, 3);
    public RNNCell rnnCell = new(4, 3, nonlinearity: "relu");

    /// <summary>x [batch, seq, 4] and h0 [1, seq, 3] for the GRU, which reads the LSTM's output sequence-first (its batch is seq).</summary>
    public static Tensor[] ExampleInputs() => [Torch.Randn(2, 5, 4), Torch.Randn(1, 5, 3)];

    public Tensor[] Outputs(Tensor[] xs)
    {
        var (o1, (h1, c1)) = lstm.Forward(xs[0]);
        var (o2, h2) = gru.Forward(o1, xs[1]);
        var (o3, h3) = rnn.Forward(o2.Transpose(0, 1));
        var first = xs[0].Select(1, 0);
        var (hc, cc) = lstmCell.Forward(first);
        var hg = gruCell.Forward(first, hc);
        var hr = rnnCell.Forward(first);
        return [o1, h1, c1, o2, h2, o3, h3, hc, cc, hg, hr];
    }
}
