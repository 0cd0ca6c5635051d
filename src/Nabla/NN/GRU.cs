namespace Nabla.NN;

/// <summary>
/// A multi-layer gated recurrent unit network (<c>torch.nn.GRU</c>): per step, gates in PyTorch's order r, z, n along the rows
/// of the weights, <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r (W_hn h + b_hn))</c>, <c>h' = (1 − z) n + z h</c>.
/// </summary>
public class GRU : RNNBase
{
    /// <summary>Creates the layer (<c>nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, dtype=None)</c>).</summary>
    public GRU(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0.0,
        bool bidirectional = false, DType dtype = DType.Float32)
        : base(RecurrentKind.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype)
    {
    }

    /// <summary>
    /// Runs the layer on <paramref name="input"/> ([seq, batch, input_size], batch-first, or unbatched [seq, input_size]) from
    /// <paramref name="hx"/> [num_layers·directions, batch, hidden_size] (zeros when null). Returns the last layer's output at every
    /// step and the final hidden state of every layer and direction.
    /// </summary>
    public new (Tensor Output, Tensor H) Forward(Tensor input, Tensor? hx = null)
    {
        var (output, h, _) = Run(input, hx, null);
        return (output, h);
    }
}
