using Nabla.Tracing;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share (<c>torch.nn.RNNBase</c>): the parameters
/// <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (and <c>weight_hr_l{k}</c> with a
/// projection), with <c>_reverse</c> for the second direction, in PyTorch's order, each drawn from
/// U(−1/√hidden, 1/√hidden) in that order; the checks and messages of PyTorch's forward; its repr.
/// <see cref="Module.Call"/> runs the hooks and returns the output sequence; the typed <c>Forward</c> of each layer also
/// returns the final states.
/// </summary>
public abstract class RNNBase : Module
{
    private readonly RecurrentKind _kind;
    private readonly string[][] _names;

    /// <summary>Features of each input step (<c>input_size</c>).</summary>
    public long InputSize { get; }

    /// <summary>Features of the hidden state (<c>hidden_size</c>).</summary>
    public long HiddenSize { get; }

    /// <summary>Stacked layers (<c>num_layers</c>).</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases <c>bias_ih</c> and <c>bias_hh</c>.</summary>
    public bool Bias { get; }

    /// <summary>Whether inputs and outputs are [batch, seq, feature] rather than [seq, batch, feature].</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout probability on the outputs of every layer but the last, in training.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs backwards in time, its output concatenated to the forward one.</summary>
    public bool Bidirectional { get; }

    /// <summary>Size of the LSTM's projected hidden state (<c>proj_size</c>); 0 for none.</summary>
    public long ProjSize { get; }

    private protected RNNBase(RecurrentKind kind, long inputSize, long hiddenSize, int numLayers, bool bias, bool batchFirst,
        double dropout, bool bidirectional, long projSize, DType dtype)
    {
        if (double.IsNaN(dropout) || dropout < 0 || dropout > 1)
            throw new ArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        if (projSize < 0) throw new ArgumentException("proj_size should be a positive integer or zero to disable projections");
        if (projSize > 0 && projSize >= hiddenSize) throw new ArgumentException("proj_size has to be smaller than hidden_size");
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        ProjSize = projSize;

        long gateSize = kind.Gates() * hiddenSize;
        long realHidden = projSize > 0 ? projSize : hiddenSize;
        int dirs = bidirectional ? 2 : 1;
        _names = new string[numLayers * dirs][];
        for (int layer = 0; layer < numLayers; layer++)
            for (int direction = 0; direction < dirs; direction++)
            {
                long layerInput = layer == 0 ? inputSize : realHidden * dirs;
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                var shapes = new List<(string, long[])> { ("weight_ih" + suffix, [gateSize, layerInput]), ("weight_hh" + suffix, [gateSize, realHidden]) };
                if (bias) shapes.AddRange([("bias_ih" + suffix, [gateSize]), ("bias_hh" + suffix, [gateSize])]);
                if (projSize > 0) shapes.Add(("weight_hr" + suffix, [projSize, hiddenSize]));
                foreach (var (name, shape) in shapes) RegisterParameter(name, new Parameter(Torch.Empty(shape, dtype)));
                _names[layer * dirs + direction] = [.. shapes.Select(s => s.Item1)];
            }
        ResetParameters();
    }

    /// <summary>Re-draws every parameter from U(−1/√hidden, 1/√hidden), in parameter order (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        double stdv = HiddenSize > 0 ? 1.0 / Math.Sqrt(HiddenSize) : 0;
        foreach (var p in Parameters()) Init.Uniform_(p, -stdv, stdv);
    }

    /// <summary>The parameters of each layer and direction, in order (<c>all_weights</c>).</summary>
    public IReadOnlyList<IReadOnlyList<Parameter>> AllWeights
    {
        get
        {
            var own = OwnParameters().ToDictionary(p => p.Name, p => p.Value!);
            return [.. _names.Select(names => (IReadOnlyList<Parameter>)[.. names.Select(n => own[n])])];
        }
    }

    /// <summary>Runs the layer on <c>inputs</c> = [input], [input, h0] or, for LSTM, [input, h0, c0]; returns the output sequence.</summary>
    public sealed override Tensor Forward(Tensor[] inputs) => inputs.Length switch
    {
        1 => Run(inputs[0], null, null).Output,
        2 when _kind != RecurrentKind.Lstm => Run(inputs[0], inputs[1], null).Output,
        3 when _kind == RecurrentKind.Lstm => Run(inputs[0], inputs[1], inputs[2]).Output,
        _ => throw new ArgumentException($"{GetType().Name} takes the input and {(_kind == RecurrentKind.Lstm ? "optionally h0 and c0" : "optionally h0")}, got {inputs.Length} tensors"),
    };

    /// <summary>Same as <see cref="Forward(Tensor[])"/> with one input.</summary>
    public sealed override Tensor Forward(Tensor input) => Forward([input]);

    /// <summary>Same as <see cref="Forward(Tensor[])"/> with the input and h0.</summary>
    public sealed override Tensor Forward(Tensor input, Tensor other) => Forward([input, other]);

    /// <summary>Checks the arguments as PyTorch's forward does, runs the stack, and records one traced op for ONNX export.</summary>
    private protected (Tensor Output, Tensor H, Tensor? C) Run(Tensor input, Tensor? h0, Tensor? c0)
    {
        bool batched = input.Dim == 3;
        if (input.Dim != 2 && input.Dim != 3) throw new ArgumentException($"input must have 3 dimensions, got {input.Dim + 1}");
        if (input.Size(-1) != InputSize)
            throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {input.Size(-1)}");
        CheckStateDims(batched, h0, c0);
        var own = OwnParameters().ToDictionary(p => p.Name, p => p.Value!);
        var weights = _names.Select(names => Weights(names, own)).ToArray();
        Tensor output, hn;
        Tensor? cn;
        // The whole layer is one traced op: the layout changes below are part of its lowering.
        using (Trace.Suspend())
        {
            var x = batched ? (BatchFirst ? input.Transpose(0, 1).Contiguous() : input) : input.Unsqueeze(1);
            long batch = x.Size(1);
            int dirs = Bidirectional ? 2 : 1;
            long[] hShape = [NumLayers * dirs, batch, ProjSize > 0 ? ProjSize : HiddenSize];
            long[] cShape = [NumLayers * dirs, batch, HiddenSize];
            var h = h0 is null ? Torch.Zeros(hShape, x.DType) : batched ? h0 : h0.Unsqueeze(1);
            CheckStateSize(h, hShape, _kind == RecurrentKind.Lstm ? "Expected hidden[0] size {0}, got {1}" : "Expected hidden size {0}, got {1}");
            Tensor? c = null;
            if (_kind == RecurrentKind.Lstm)
            {
                c = c0 is null ? Torch.Zeros(cShape, x.DType) : batched ? c0 : c0.Unsqueeze(1);
                CheckStateSize(c, cShape, "Expected hidden[1] size {0}, got {1}");
            }
            (output, hn, cn) = RecurrentStack.Run(_kind, x, h, c, weights, NumLayers, Bidirectional, Dropout, Training);
            if (batched && BatchFirst) output = output.Transpose(0, 1);
            if (!batched)
            {
                output = output.Squeeze(1);
                hn = hn.Squeeze(1);
                cn = cn?.Squeeze(1);
            }
        }
        if (Trace.Active)
        {
            Tensor[] inputs = [input, .. new[] { h0, c0 }.OfType<Tensor>(), .. weights.SelectMany(w => w.All())];
            Trace.Record("rnn", inputs, cn is null ? [output, hn] : [output, hn, cn], RecurrentTrace.Attributes(_kind, HiddenSize, NumLayers, Bidirectional, BatchFirst, Bias, ProjSize, h0 is not null, c0 is not null, cell: false, Dropout, Training));
        }
        return (output, hn, cn);
    }

    private DirectionWeights Weights(string[] names, Dictionary<string, Parameter> own)
    {
        Parameter? Get(string prefix) => names.FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal)) is { } n ? own[n] : null;
        return new DirectionWeights(Get("weight_ih")!, Get("weight_hh")!, Get("bias_ih"), Get("bias_hh"), Get("weight_hr"));
    }

    private void CheckStateDims(bool batched, Tensor? h0, Tensor? c0)
    {
        if (h0 is null) return;
        int want = batched ? 3 : 2;
        string kind = batched ? "batched 3-D" : "unbatched 2-D";
        if (_kind == RecurrentKind.Lstm)
        {
            if (h0.Dim != want || c0!.Dim != want)
                throw new ArgumentException($"For {kind} input, hx and cx should also be {want}-D but got ({h0.Dim}-D, {c0!.Dim}-D) tensors");
        }
        else if (h0.Dim != want)
            throw new ArgumentException($"For {kind} input, hx should also be {want}-D but got {h0.Dim}-D tensor");
    }

    private static void CheckStateSize(Tensor state, long[] expected, string message)
    {
        if (!Shapes.SameShape(state._shape, expected))
            throw new ArgumentException(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, PythonRepr.Tuple(expected), Shapes.Format(state._shape)));
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        var s = $"{InputSize}, {HiddenSize}";
        if (ProjSize != 0) s += $", proj_size={ProjSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!Bias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += $", dropout={PythonRepr.Float(Dropout)}";
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }
}
