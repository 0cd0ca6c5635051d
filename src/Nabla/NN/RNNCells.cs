namespace Nabla.NN;

/// <summary>One step of an Elman network (<c>torch.nn.RNNCell</c>): <c>h' = tanh(W_ih x + b_ih + W_hh h + b_hh)</c>, or relu.</summary>
public class RNNCell : RNNCellBase
{
    /// <summary>The activation: "tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>Creates the cell (<c>nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', dtype=None)</c>).</summary>
    public RNNCell(long inputSize, long hiddenSize, bool bias = true, string nonlinearity = "tanh", DType dtype = DType.Float32)
        : base(RNN.KindOf(nonlinearity), inputSize, hiddenSize, bias, dtype) => Nonlinearity = nonlinearity;

    /// <summary>The new hidden state from <paramref name="input"/> [batch, input_size] (or [input_size]) and <paramref name="hx"/> (zeros when null).</summary>
    public new Tensor Forward(Tensor input, Tensor? hx = null) => Step(input, hx, null).H;

    /// <inheritdoc/>
    public override string ExtraRepr() => base.ExtraRepr() + (Nonlinearity != "tanh" ? $", nonlinearity={Nonlinearity}" : "");
}

/// <summary>One step of a long short-term memory network (<c>torch.nn.LSTMCell</c>), gates i, f, g, o as in <see cref="LSTM"/>.</summary>
public class LSTMCell : RNNCellBase
{
    /// <summary>Creates the cell (<c>nn.LSTMCell(input_size, hidden_size, bias=True, dtype=None)</c>).</summary>
    public LSTMCell(long inputSize, long hiddenSize, bool bias = true, DType dtype = DType.Float32)
        : base(RecurrentKind.Lstm, inputSize, hiddenSize, bias, dtype)
    {
    }

    /// <summary>The new (h, c) from <paramref name="input"/> [batch, input_size] (or [input_size]) and <paramref name="hx"/> = (h, c) (zeros when null).</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? hx = null)
    {
        var (h, c) = Step(input, hx?.H, hx?.C);
        return (h, c!);
    }
}

/// <summary>One step of a gated recurrent unit network (<c>torch.nn.GRUCell</c>), gates r, z, n as in <see cref="GRU"/>.</summary>
public class GRUCell : RNNCellBase
{
    /// <summary>Creates the cell (<c>nn.GRUCell(input_size, hidden_size, bias=True, dtype=None)</c>).</summary>
    public GRUCell(long inputSize, long hiddenSize, bool bias = true, DType dtype = DType.Float32)
        : base(RecurrentKind.Gru, inputSize, hiddenSize, bias, dtype)
    {
    }

    /// <summary>The new hidden state from <paramref name="input"/> [batch, input_size] (or [input_size]) and <paramref name="hx"/> (zeros when null).</summary>
    public new Tensor Forward(Tensor input, Tensor? hx = null) => Step(input, hx, null).H;
}
