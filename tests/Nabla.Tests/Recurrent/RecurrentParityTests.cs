using System.Text.Json;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>
/// Every module case of gen_rnn.py: built after Torch.ManualSeed like PyTorch, it must have PyTorch's init (bit for bit), repr and
/// state keys, forward outputs and final states, and gradients of sum(out_i * w_i) for the input, the initial state and each parameter.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class RecurrentParityTests
{
    // One line per case of gen_rnn.py, same names and constructor arguments.
    private static readonly Dictionary<string, Func<Module>> Cases = new()
    {
        ["lstm_basic"] = () => new LSTM(4, 5),
        ["lstm_2layer_bidir_batch_first_state"] = () => new LSTM(4, 5, numLayers: 2, batchFirst: true, bidirectional: true),
        ["lstm_2layer_bidir"] = () => new LSTM(4, 5, numLayers: 2, bidirectional: true),
        ["lstm_proj_2layer_state"] = () => new LSTM(4, 6, numLayers: 2, projSize: 3),
        ["lstm_proj_bidir"] = () => new LSTM(4, 6, bidirectional: true, projSize: 3, batchFirst: true),
        ["lstm_unbatched_state"] = () => new LSTM(4, 5, numLayers: 2),
        ["lstm_unbatched_bidir"] = () => new LSTM(3, 4, bidirectional: true, batchFirst: true),
        ["lstm_no_bias"] = () => new LSTM(4, 5, bias: false),
        ["lstm_dropout_train"] = () => new LSTM(4, 5, numLayers: 3, dropout: 0.4),
        ["lstm_float64_bidir_state"] = () => new LSTM(3, 4, numLayers: 2, bidirectional: true, dtype: DType.Float64),
        ["gru_basic"] = () => new GRU(4, 5),
        ["gru_2layer_bidir_batch_first_state"] = () => new GRU(4, 5, numLayers: 2, batchFirst: true, bidirectional: true),
        ["gru_2layer_bidir"] = () => new GRU(4, 5, numLayers: 2, bidirectional: true),
        ["gru_unbatched_state"] = () => new GRU(4, 5),
        ["gru_no_bias_dropout_train"] = () => new GRU(4, 5, numLayers: 2, bias: false, dropout: 0.5),
        ["gru_float64_bidir_state"] = () => new GRU(3, 4, numLayers: 2, bidirectional: true, dtype: DType.Float64),
        ["rnn_tanh_basic"] = () => new RNN(4, 5),
        ["rnn_relu_2layer_bidir_state"] = () => new RNN(4, 5, numLayers: 2, nonlinearity: "relu", bidirectional: true),
        ["rnn_batch_first_no_bias"] = () => new RNN(4, 5, bias: false, batchFirst: true),
        ["rnn_unbatched_state"] = () => new RNN(4, 5, numLayers: 2),
        ["rnn_float64_relu"] = () => new RNN(3, 4, nonlinearity: "relu", dtype: DType.Float64),
        ["lstm_cell_state"] = () => new LSTMCell(4, 5),
        ["lstm_cell_zero_state"] = () => new LSTMCell(4, 5),
        ["lstm_cell_unbatched_no_bias"] = () => new LSTMCell(4, 5, bias: false),
        ["gru_cell_state"] = () => new GRUCell(4, 5),
        ["gru_cell_zero_state"] = () => new GRUCell(4, 5),
        ["gru_cell_unbatched"] = () => new GRUCell(4, 5),
        ["rnn_cell_tanh_state"] = () => new RNNCell(4, 5),
        ["rnn_cell_relu_zero_state"] = () => new RNNCell(4, 5, nonlinearity: "relu"),
        ["rnn_cell_unbatched_no_bias"] = () => new RNNCell(4, 5, bias: false),
        ["lstm_cell_float64"] = () => new LSTMCell(3, 4, dtype: DType.Float64),
    };

    /// <summary>The module's typed Forward, its results flattened as the script flattens them: output, h[, c] or h[, c].</summary>
    internal static Tensor[] Invoke(Module module, Tensor x, Tensor[] state) => module switch
    {
        LSTM m when state.Length == 0 => Flat(m.Forward(x)),
        LSTM m => Flat(m.Forward(x, (state[0], state[1]))),
        GRU m => Flat(state.Length == 0 ? m.Forward(x) : m.Forward(x, state[0])),
        RNN m => Flat(state.Length == 0 ? m.Forward(x) : m.Forward(x, state[0])),
        LSTMCell m => Flat2(state.Length == 0 ? m.Forward(x) : m.Forward(x, (state[0], state[1]))),
        GRUCell m => [state.Length == 0 ? m.Forward(x) : m.Forward(x, state[0])],
        RNNCell m => [state.Length == 0 ? m.Forward(x) : m.Forward(x, state[0])],
        _ => throw new ArgumentException(module.GetType().Name),
    };

    private static Tensor[] Flat((Tensor Output, (Tensor H, Tensor C) State) r) => [r.Output, r.State.H, r.State.C];

    private static Tensor[] Flat((Tensor Output, Tensor H) r) => [r.Output, r.H];

    private static Tensor[] Flat2((Tensor H, Tensor C) r) => [r.H, r.C];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var p in Goldens.Load("rnn").GetProperty("modules").EnumerateObject()) data.Add(p.Name);
        return data;
    }

    private static JsonElement Case(string name) => Goldens.Load("rnn").GetProperty("modules").GetProperty(name);

    private static Tensor[] Tensors(JsonElement golden, string property) => [.. golden.GetProperty(property).EnumerateArray().Select(Goldens.Tensor)];

    // float32 within 1e-5 relative; the atol covers elements near zero that are sums of products added in another order.
    private const double Rtol = 1e-5, Atol = 1e-6;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void InitAfterManualSeedIsPyTorchsBitForBit(string name)
    {
        var golden = Case(name);
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var state = Cases[name]().StateDict();
        foreach (var p in golden.GetProperty("init").EnumerateObject())
            TensorAssert.Equal(Goldens.Tensor(p.Value), state[p.Name], $"{name}.{p.Name}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReprAndStateKeysArePyTorchs(string name)
    {
        var golden = Case(name);
        var module = Cases[name]();
        Assert.Equal(golden.GetProperty("repr").GetString(), module.ToString());
        Assert.Equal(golden.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()!), module.StateDict().Keys);
        Assert.Equal(golden.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()!), module.NamedParameters().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var golden = Case(name);
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var module = Cases[name]();
        module.Train(golden.GetProperty("training").GetBoolean());
        var expectedInput = Goldens.Tensor(golden.GetProperty("input"));
        var dtype = expectedInput.DType;
        var x = Torch.Randn(expectedInput.Shape, dtype, requiresGrad: true);
        TensorAssert.Equal(expectedInput, x, $"{name}: input drawn after init");
        var state = Tensors(golden, "state").Select(s => Torch.Randn(s.Shape, dtype, requiresGrad: true)).ToArray();
        foreach (var (expected, actual) in Tensors(golden, "state").Zip(state)) TensorAssert.Equal(expected, actual, $"{name}: state drawn after input");

        var outputs = Invoke(module, x, state);
        var expectedOutputs = Tensors(golden, "outputs");
        Assert.Equal(expectedOutputs.Length, outputs.Length);
        for (int i = 0; i < outputs.Length; i++) TensorAssert.Close(expectedOutputs[i], outputs[i], Rtol, Atol, $"{name}: output {i}");

        var weights = outputs.Select(o => Torch.Randn(o.Shape, dtype)).ToArray();
        foreach (var (expected, actual) in Tensors(golden, "weights").Zip(weights)) TensorAssert.Equal(expected, actual, $"{name}: loss weights");
        outputs.Zip(weights, (o, w) => (o * w).Sum()).Aggregate((a, b) => a + b).Backward();

        TensorAssert.Close(Goldens.Tensor(golden.GetProperty("grad_input")), x.Grad!, Rtol, Atol, $"{name}: input grad");
        foreach (var (expected, s) in Tensors(golden, "grad_state").Zip(state)) TensorAssert.Close(expected, s.Grad!, Rtol, Atol, $"{name}: state grad");
        var parameters = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var g in golden.GetProperty("grads").EnumerateObject())
            TensorAssert.Close(Goldens.Tensor(g.Value), parameters[g.Name].Grad!, Rtol, Atol, $"{name}: {g.Name} grad");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PyTorchStateDictLoadsStrictlyAndGivesPyTorchsOutputs(string name)
    {
        var golden = Case(name);
        if (golden.GetProperty("training").GetBoolean()) return; // dropout draws depend on the seed, not on the weights
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64() + 7919);
        var module = Cases[name]();
        var stateDict = golden.GetProperty("init").EnumerateObject().ToDictionary(p => p.Name, p => Goldens.Tensor(p.Value));
        var result = module.LoadStateDict(stateDict, strict: true);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Tensor[] outputs;
        using (Torch.NoGrad()) outputs = Invoke(module, Goldens.Tensor(golden.GetProperty("input")), Tensors(golden, "state"));
        var expected = Tensors(golden, "outputs");
        for (int i = 0; i < outputs.Length; i++) TensorAssert.Close(expected[i], outputs[i], Rtol, Atol, $"{name}: output {i} after loading");
    }

    [Fact]
    public void EveryCSharpCaseHasAGoldenAndBack()
    {
        var names = Goldens.Load("rnn").GetProperty("modules").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(names.Order(), Cases.Keys.Order());
    }
}
