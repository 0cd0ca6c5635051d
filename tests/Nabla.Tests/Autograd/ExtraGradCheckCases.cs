using Xunit;

namespace Nabla.Tests.Autograd;

/// <summary>
/// Differentiable ops whose golden cases cannot be gradchecked as they stand (inputs on the jumps of floor, ties in a
/// stable sort, float32 casts) or that no golden case calls: gradcheck and gradgradcheck at points where they are smooth.
/// </summary>
public class ExtraGradCheckCases
{
    // Inputs away from integers and halves, distinct, so every op here is differentiable at them.
    private static Tensor Smooth() => Torch.Tensor(new double[,] { { 0.31, -1.27, 2.64 }, { -0.82, 1.13, 0.45 } }, DType.Float64).RequiresGrad_();

    private static readonly NN.Linear s_hooked = Hooked();
    private static readonly NN.LSTMCell s_lstm = new(3, 3, dtype: DType.Float64);
    private static readonly NN.GRUCell s_gru = new(3, 3, dtype: DType.Float64);

    private static NN.Linear Hooked()
    {
        Torch.ManualSeed(3);
        var linear = new NN.Linear(3, 2, dtype: DType.Float64);
        linear.RegisterFullBackwardHook((module, gradInput, gradOutput) => null);
        return linear;
    }

    public static readonly Dictionary<string, Func<Tensor[], Tensor[]>> Cases = new()
    {
        ["floor"] = x => [x[0].Floor() + x[0]],
        ["ceil"] = x => [x[0].Ceil() * x[0]],
        ["round"] = x => [x[0].Round() - x[0].Exp()],
        ["rsub_tensor"] = x => [x[0].Sin().Rsub(x[0] * x[0], alpha: 2)],
        ["sort_stable"] = x => [x[0].Pow(3).Sort(1, stable: true).Values],
        ["norm_all"] = x => [x[0].Norm() * x[0]],
        ["norm_dim"] = x => [x[0].Norm(dim: 1).Exp(), x[0].Norm(dim: 0, keepdim: true)],
        ["norm_p3"] = x => [x[0].Norm(p: 3, dim: 1)],
        ["module_with_full_backward_hook"] = x => [s_hooked.Call(x[0]).Tanh()],
        ["checkpoint"] = x => [Checkpoint.Run(t => (t.Sin() * t).Tanh(), x[0] * 2.0)],
        ["lstm_cell"] = x => s_lstm.Forward(x[0].Reshape(2, 3), (x[0].Reshape(2, 3).Tanh(), x[0].Reshape(2, 3).Sin())) is var (h, c) ? [h, c] : [],
        ["gru_cell"] = x => [s_gru.Forward(x[0].Reshape(2, 3), x[0].Reshape(2, 3).Cos())],
        ["to_float32_and_back"] = x => [x[0].To(DType.Float32).To(DType.Float64) * 3.0],
        ["inplace_through_views"] = x =>
        {
            // Writes through views rebase y's history (CopySlices); t, taken before them, reads through AsStridedBackward0.
            var y = x[0] * 1.0;
            var t = y.T();
            y[0].Mul_(x[0][1]);
            y.T()[1].Lerp_(x[0][.., 2].Sin(), 0.7);
            y.Diagonal(1).Div_(3.0);
            // The op nodes inside CopySlices are not on the walk of next functions: lerp_ once more on a whole tensor.
            var u = (x[0] * 0.5).Lerp_(x[0].Cos(), 0.3);
            return [y.Tanh(), t * t, x[0].Diagonal(-1, 1, 0).Exp(), u];
        },
        ["random_fills_with_fixed_values"] = x =>
        {
            // Spreads of zero make the fills deterministic; the overwritten values get no gradient.
            var (y, z, w, v) = (x[0] * 1.0, x[0] * 2.0, x[0] * 3.0, x[0] * 4.0);
            y[0].Normal_(mean: 0.5, std: 0);
            y[1].Uniform_(0.25, 0.25);
            z.Bernoulli_(1.0);
            w.Bernoulli_(Torch.OnesLike(x[0]));
            v.Normal_(mean: -0.5, std: 0);
            return [y * x[0], z * x[0], w.Sin() * x[0], v.Uniform_(0.75, 0.75) * x[0]];
        },
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    public static Tensor[] Inputs() => [Smooth()];

    [Theory]
    [MemberData(nameof(Names))]
    public void FirstAndSecondDerivativesMatchFiniteDifferences(string name)
    {
        // The float32 round trip rounds at 1e-7: wider steps and tolerance there.
        bool coarse = name.Contains("float32", StringComparison.Ordinal);
        double eps = coarse ? 1e-2 : 1e-6, atol = coarse ? 1e-2 : 1e-5;
        Assert.True(Nabla.Autograd.GradCheck.Check(Cases[name], Inputs(), eps: eps, atol: atol, rtol: 1e-3));
        Assert.True(Nabla.Autograd.GradGradCheck.Check(Cases[name], Inputs(), eps: eps, atol: atol, rtol: 1e-3));
    }
}
