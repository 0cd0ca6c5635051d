namespace Nabla.NN;

/// <summary>
/// A multi-layer long short-term memory network (<c>torch.nn.LSTM</c>): per step
/// <c>i, f, g, o = σ, σ, tanh, σ (W_ih x + b_ih + W_hh h + b_hh)</c> (gates in that order along the rows of the weights),
/// <c>c' = f c + i g</c>, <c>h' = o tanh(c')</c>, and with <c>projSize</c> &gt; 0 <c>h' = W_hr h'</c>.
/// </summary>
public class LSTM : RNNBase
{
    /// <summary>Creates the layer (<c>nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, dtype=None)</c>).</summary>
    public LSTM(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0.0,
        bool bidirectional = false, long projSize = 0, DType dtype = DType.Float32)
        : base(RecurrentKind.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize, dtype)
    {
    }

    /// <summary>
    /// Runs the layer on <paramref name="input"/> ([seq, batch, input_size], [batch, seq, input_size] when batch-first, or
    /// unbatched [seq, input_size]) from the states <paramref name="hx"/> = (h0, c0) of shape [num_layers·directions, batch,
    /// proj_size or hidden_size] and [num_layers·directions, batch, hidden_size] (without the batch axis when unbatched),
    /// zeros when null. Returns the last layer's output at every step and the final (h, c) of every layer and direction.
    /// </summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H0, Tensor C0)? hx = null)
    {
        var (output, h, c) = Run(input, hx?.H0, hx?.C0);
        return (output, (h, c!));
    }
}
