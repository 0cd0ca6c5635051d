namespace Nabla.NN;

/// <summary>The recurrence of a layer or cell (PyTorch's <c>mode</c>: <c>RNN_TANH</c>, <c>RNN_RELU</c>, <c>LSTM</c>, <c>GRU</c>).</summary>
internal enum RecurrentKind
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}

internal static class RecurrentKindInfo
{
    /// <summary>Gates per hidden unit: rows of <c>weight_ih</c> are this many times the hidden size.</summary>
    public static int Gates(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>The name used in traced attributes and messages.</summary>
    public static string Name(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => "LSTM",
        RecurrentKind.Gru => "GRU",
        RecurrentKind.RnnTanh => "RNN_TANH",
        _ => "RNN_RELU",
    };
}

/// <summary>The weights of one layer in one direction, in PyTorch's parameter order; absent biases and projection are null.</summary>
internal sealed record DirectionWeights(Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh, Tensor? WeightHr)
{
    public IEnumerable<Tensor> All() => new[] { WeightIh, WeightHh, BiasIh, BiasHh, WeightHr }.OfType<Tensor>();
}
