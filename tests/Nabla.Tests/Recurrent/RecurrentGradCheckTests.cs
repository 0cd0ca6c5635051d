using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>
/// Analytic gradients of the recurrences against central finite differences in float64 (<c>torch.autograd.gradcheck</c>), for the
/// input, the initial states and every weight: the stack the layers run, multi-layer and bidirectional, and a cell's step.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class RecurrentGradCheckTests
{
    private static Tensor R(params long[] shape) => (Torch.Randn(shape, DType.Float64) * 0.5).RequiresGrad_();

    // Weights of each layer and direction: W_ih, W_hh, b_ih, b_hh[, W_hr].
    private static Tensor[] Weights(RecurrentKind kind, int layers, int dirs, long input, long hidden, long proj)
    {
        long gates = kind.Gates() * hidden, real = proj > 0 ? proj : hidden;
        var all = new List<Tensor>();
        for (int l = 0; l < layers; l++)
            for (int d = 0; d < dirs; d++)
            {
                all.AddRange([R(gates, l == 0 ? input : real * dirs), R(gates, real), R(gates), R(gates)]);
                if (proj > 0) all.Add(R(proj, hidden));
            }
        return [.. all];
    }

    private static void CheckStack(RecurrentKind kind, int layers, bool bidirectional, long proj = 0)
    {
        int dirs = bidirectional ? 2 : 1;
        long input = 3, hidden = 3, batch = 2, steps = 3, real = proj > 0 ? proj : hidden;
        bool lstm = kind == RecurrentKind.Lstm;
        int per = proj > 0 ? 5 : 4;
        Tensor[] states = lstm ? [R(layers * dirs, batch, real), R(layers * dirs, batch, hidden)] : [R(layers * dirs, batch, real)];
        Tensor[] inputs = [R(steps, batch, input), .. states, .. Weights(kind, layers, dirs, input, hidden, proj)];
        int first = 1 + states.Length;
        Assert.True(Nabla.Autograd.GradCheck.Check(t =>
        {
            var weights = Enumerable.Range(0, layers * dirs).Select(k =>
            {
                int at = first + k * per;
                return new DirectionWeights(t[at], t[at + 1], t[at + 2], t[at + 3], proj > 0 ? t[at + 4] : null);
            }).ToArray();
            var (output, h, c) = RecurrentStack.Run(kind, t[0], t[1], lstm ? t[2] : null, weights, layers, bidirectional, 0, training: false);
            return c is null ? [output, h] : [output, h, c];
        }, inputs, atol: 1e-6, rtol: 1e-4));
    }

    [Fact]
    public void LstmTwoLayersBidirectional()
    {
        Torch.ManualSeed(11);
        CheckStack(RecurrentKind.Lstm, 2, bidirectional: true);
    }

    [Fact]
    public void LstmWithProjection()
    {
        Torch.ManualSeed(12);
        CheckStack(RecurrentKind.Lstm, 2, bidirectional: true, proj: 2);
    }

    [Fact]
    public void GruTwoLayersBidirectional()
    {
        Torch.ManualSeed(13);
        CheckStack(RecurrentKind.Gru, 2, bidirectional: true);
    }

    [Fact]
    public void RnnTanhAndRelu()
    {
        Torch.ManualSeed(14);
        CheckStack(RecurrentKind.RnnTanh, 2, bidirectional: false);
        CheckStack(RecurrentKind.RnnRelu, 1, bidirectional: true);
    }

    [Fact]
    public void CellsThroughTheModules()
    {
        Torch.ManualSeed(15);
        var lstm = new LSTMCell(3, 4, dtype: DType.Float64);
        var gru = new GRUCell(3, 4, dtype: DType.Float64);
        // The modules' weights are fixed; the input and the states are checked.
        Assert.True(Nabla.Autograd.GradCheck.Check(t =>
        {
            var (h, c) = lstm.Forward(t[0], (t[1], t[2]));
            return [h, c, gru.Forward(t[0], t[1])];
        }, [R(2, 3), R(2, 4), R(2, 4)], atol: 1e-6, rtol: 1e-4));
    }
}
