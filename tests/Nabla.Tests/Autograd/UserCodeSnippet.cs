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
}
