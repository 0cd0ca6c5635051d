// The user code of the autograd issue, written outside the library's namespaces exactly as a user writes it:
// `using Nabla.Autograd;` then `Autograd.Grad(...)`, `Autograd.Functional.Jacobian(...)`, `Autograd.DetectAnomaly()`.
using Nabla;
using Nabla.Autograd;
using Nabla.NN;
using Xunit;

namespace AutogradUserCode;

public class UserCodeSnippet
{
    [Fact]
    public void GradAsTheIssueWritesIt()
    {
        var x = Torch.Randn([3], DType.Float64).RequiresGrad_();
        var w = Torch.Randn([3], DType.Float64).RequiresGrad_();
        var v = Torch.Randn([3], DType.Float64);
        var loss = (x * x * w).Sum();
        Tensor?[] g = Autograd.Grad(outputs: [loss], inputs: [x, w], gradOutputs: null, retainGraph: null, createGraph: true, allowUnused: false);
        var (gx, gw) = (g[0]!, g[1]!);
        var hvp = Autograd.Grad([(gx * v).Sum()], [x])[0];
        // d2/dx2 of sum(x^2 w) is diag(2w).
        Assert.Equal((v * w * 2.0).Detach().ToArray<double>(), hvp!.ToArray<double>());
        Assert.Equal((x * x).Detach().ToArray<double>(), gw.Detach().ToArray<double>());
    }

    public sealed class Exp : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) { var r = inputs[0].Exp(); ctx.SaveForBackward(r); return r; }
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.SavedTensors[0]];
    }

    [Fact]
    public void TheRestOfTheIssueCompilesAndRuns()
    {
        Torch.ManualSeed(0);
        var critic = new Sequential(new Conv2d(1, 2, 3, padding: 1), new LeakyReLU(0.2), new AvgPool2d(2), new Flatten(), new Linear(8, 1));
        var (real, fake, alpha) = (Torch.Randn(2, 1, 4, 4), Torch.Randn(2, 1, 4, 4), Torch.Rand(2, 1, 1, 1));
        var xhat = (alpha * real + (1 - alpha) * fake).RequiresGrad_();
        var gp = Autograd.Grad([critic.Forward(xhat).Sum()], [xhat], createGraph: true)[0]!;
        var penalty = (gp.Flatten(1).Norm(dim: 1) - 1).Pow(2).Mean();
        penalty.Backward();
        Assert.NotNull(critic.Parameters().First().Grad);

        var x = Torch.Randn([3], DType.Float64).RequiresGrad_();
        var y = Function.Apply<Exp>(x);
        Assert.Equal("ExpBackward", y.GradFn!.Name);
        var h = x.RegisterHook(grad => grad * 2);
        h.Remove();
        var linear = new Linear(3, 2);
        linear.RegisterFullBackwardHook((module, gradInput, gradOutput) => null);
        using (Torch.InferenceMode()) Assert.False((x * 2).RequiresGrad);
        Torch.SetGradEnabled(false);
        Assert.False(Torch.IsGradEnabled());
        Torch.SetGradEnabled(true);
        var loss = y.Sum();
        using (Autograd.DetectAnomaly()) { loss.Backward(); }
        Func<Tensor, Tensor> f = t => t.Pow(3).Sum();
        var v = Torch.Ones([3], DType.Float64);
        var j = Autograd.Functional.Jacobian(f, x); var hs = Autograd.Functional.Hessian(f, x);
        var (fx, vjp) = Autograd.Functional.Vjp(f, x, Torch.Ones([], DType.Float64));
        Assert.Equal(hs.Matmul(v).ToArray<double>(), Autograd.Functional.Hvp(f, x, v).Hvp.ToArray<double>());
        Assert.Equal(j.ToArray<double>(), vjp.ToArray<double>());
        var block = new Sequential(new Linear(3, 3, dtype: DType.Float64), new Tanh());
        var o = Checkpoint.Run(block.Forward, x.Unsqueeze(0));
        o.Sum().Backward();
        Assert.NotNull(block.Parameters().First().Grad);
    }
}
