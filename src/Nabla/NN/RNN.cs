namespace Nabla.NN;

/// <summary>
/// A multi-layer Elman network (<c>torch.nn.RNN</c>): per step <c>h' = tanh(W_ih x + b_ih + W_hh h + b_hh)</c>, or relu with
/// <c>nonlinearity: "relu"</c>. As in PyTorch, the repr does not show the nonlinearity.
/// </summary>
public class RNN : RNNBase
{
    /// <summary>The activation: "tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>Creates the layer (<c>nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, dropout=0.0, bidirectional=False, dtype=None)</c>).</summary>
    public RNN(long inputSize, long hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
        double dropout = 0.0, bool bidirectional = false, DType dtype = DType.Float32)
        : base(KindOf(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype)
        => Nonlinearity = nonlinearity;

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

    internal static RecurrentKind KindOf(string nonlinearity) => nonlinearity switch
    {
        "tanh" => RecurrentKind.RnnTanh,
        "relu" => RecurrentKind.RnnRelu,
        _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'"),
    };
}
