using Nabla.Tracing;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> share (<c>torch.nn.RNNCellBase</c>): the parameters
/// <c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c>, <c>bias_hh</c> drawn from U(−1/√hidden, 1/√hidden) in that order, the
/// checks of PyTorch's cell functions, one step of the recurrence on a batch [batch, input_size] or an unbatched [input_size]
/// input. <see cref="Module.Call"/> runs the hooks and returns the new hidden state.
/// </summary>
public abstract class RNNCellBase : Module
{
    private readonly RecurrentKind _kind;

    /// <summary>Input-to-hidden weights [gates·hidden_size, input_size] (state key <c>weight_ih</c>).</summary>
    [StateName("weight_ih")] public Parameter WeightIh;

    /// <summary>Hidden-to-hidden weights [gates·hidden_size, hidden_size] (state key <c>weight_hh</c>).</summary>
    [StateName("weight_hh")] public Parameter WeightHh;

    /// <summary>Input-to-hidden bias, or null without biases (state key <c>bias_ih</c>).</summary>
    [StateName("bias_ih")] public Parameter? BiasIh;

    /// <summary>Hidden-to-hidden bias, or null without biases (state key <c>bias_hh</c>).</summary>
    [StateName("bias_hh")] public Parameter? BiasHh;

    /// <summary>Features of the input (<c>input_size</c>).</summary>
    public long InputSize { get; }

    /// <summary>Features of the hidden state (<c>hidden_size</c>).</summary>
    public long HiddenSize { get; }

    /// <summary>Whether the cell has biases.</summary>
    public bool Bias { get; }

    private protected RNNCellBase(RecurrentKind kind, long inputSize, long hiddenSize, bool bias, DType dtype)
    {
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Bias = bias;
        long gates = kind.Gates() * hiddenSize;
        WeightIh = new Parameter(Torch.Empty([gates, inputSize], dtype));
        WeightHh = new Parameter(Torch.Empty([gates, hiddenSize], dtype));
        if (bias)
        {
            BiasIh = new Parameter(Torch.Empty([gates], dtype));
            BiasHh = new Parameter(Torch.Empty([gates], dtype));
        }
        ResetParameters();
    }

    /// <summary>Re-draws every parameter from U(−1/√hidden, 1/√hidden), in parameter order (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        double stdv = HiddenSize > 0 ? 1.0 / Math.Sqrt(HiddenSize) : 0;
        foreach (var p in Parameters()) Init.Uniform_(p, -stdv, stdv);
    }

    /// <summary>Runs one step on <c>inputs</c> = [input], [input, h] or, for LSTMCell, [input, h, c]; returns the new hidden state.</summary>
    public sealed override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        1 => Step(inputs[0], null, null).H,
        2 when _kind != RecurrentKind.Lstm => Step(inputs[0], inputs[1], null).H,
        3 when _kind == RecurrentKind.Lstm => Step(inputs[0], inputs[1], inputs[2]).H,
        _ => throw new ArgumentException($"{GetType().Name} takes the input and {(_kind == RecurrentKind.Lstm ? "optionally h and c" : "optionally h")}, got {inputs.Length} tensors"),
    };

    /// <summary>Same as <see cref="Forward(Tensor[])"/> with one input.</summary>
    public sealed override Tensor Forward(Tensor input) => Forward([input]);

    /// <summary>Same as <see cref="Forward(Tensor[])"/> with the input and h.</summary>
    public sealed override Tensor Forward(Tensor input, Tensor other) => Forward([input, other]);

    /// <summary>One step with PyTorch's checks; zero states where none are given; one traced op for ONNX export.</summary>
    private protected (Tensor H, Tensor? C) Step(Tensor input, Tensor? h, Tensor? c)
    {
        if (input.Dim is not (1 or 2))
            throw new ArgumentException($"{GetType().Name}: Expected input to be 1-D or 2-D but received {input.Dim}-D tensor");
        bool batched = input.Dim == 2;
        var weights = new DirectionWeights(WeightIh, WeightHh, BiasIh, BiasHh, null);
        Tensor hy;
        Tensor? cy;
        // The whole step is one traced op: the layout changes below are part of its lowering.
        using (Trace.Suspend())
        {
            var x = batched ? input : input.Unsqueeze(0);
            var hx = h is null ? Torch.Zeros([x.Size(0), HiddenSize], x.DType) : batched ? h : h.Unsqueeze(0);
            Tensor? cx = _kind != RecurrentKind.Lstm ? null : c is null ? Torch.Zeros([x.Size(0), HiddenSize], x.DType) : batched ? c : c.Unsqueeze(0);
            CheckInput(x);
            CheckHidden(x, hx, "");
            if (cx is not null) CheckHidden(x, cx, "[1]");
            (hy, cy) = RecurrentStack.Step(_kind, Functional.Linear(x, WeightIh, BiasIh), hx, cx, weights);
            if (!batched)
            {
                hy = hy.Squeeze(0);
                cy = cy?.Squeeze(0);
            }
        }
        if (Trace.Active)
        {
            Tensor[] inputs = [input, .. new[] { h, c }.OfType<Tensor>(), .. weights.All()];
            Trace.Record("rnn", inputs, cy is null ? [hy] : [hy, cy], RecurrentTrace.Attributes(_kind, HiddenSize, 1, false, false, Bias, 0, h is not null, c is not null, cell: true, 0, Training));
        }
        return (hy, cy);
    }

    private void CheckInput(Tensor x)
    {
        if (x.Size(1) != InputSize) throw new ArgumentException($"input has inconsistent input_size: got {x.Size(1)} expected {InputSize}");
    }

    private void CheckHidden(Tensor x, Tensor hx, string which)
    {
        if (hx.Dim != 2 || x.Size(0) != hx.Size(0))
            throw new ArgumentException($"Input batch size {x.Size(0)} doesn't match hidden{which} batch size {(hx.Dim > 0 ? hx.Size(0) : 0)}");
        if (hx.Size(1) != HiddenSize)
            throw new ArgumentException($"hidden{which} has inconsistent hidden_size: got {hx.Size(1)}, expected {HiddenSize}");
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{InputSize}, {HiddenSize}" + (Bias ? "" : ", bias=False");
}
