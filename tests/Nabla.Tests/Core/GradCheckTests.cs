using Nabla.NN;
using Nabla.Tests.Autograd;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// Every differentiable golden op case (goldens/core.json, inputs made float64) passes a finite-difference
/// gradient check; ties and bounds, where the derivative is not defined, are left to the PyTorch parity tests.
/// </summary>
public class GradCheckTests
{
    public static TheoryData<string> Cases() => OpCases.Names(c => OpCases.HasGrads(c) && c.GetProperty("gradcheck").GetBoolean()
        && OpCases.Op(c) != "to_f32");

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientMatchesFiniteDifferences(string name)
    {
        var c = OpCases.Get(name);
        var (leaves, _) = OpCases.Inputs(c, floatAs: DType.Float64);
        var views = c.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("view")).ToArray();
        Nabla.Autograd.GradCheck.Check(x => OpCases.Run(c, x.Select((t, i) => OpCases.ApplyView(t, views[i])).ToArray())[0], leaves);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SecondDerivativeMatchesFiniteDifferences(string name)
    {
        var c = OpCases.Get(name);
        var (leaves, _) = OpCases.Inputs(c, floatAs: DType.Float64);
        var views = c.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("view")).ToArray();
        Nabla.Autograd.GradGradCheck.Check(x => OpCases.Run(c, x.Select((t, i) => OpCases.ApplyView(t, views[i])).ToArray()), leaves);
    }

    [Fact]
    public void LinearModuleGradients()
    {
        var lin = new Linear(3, 2, dtype: DType.Float64);
        var x = Torch.Randn([4, 3], dtype: DType.Float64);
        Nabla.Autograd.GradCheck.Check(p => Functional.Linear(x, p[0], p[1]).Tanh().Sum(), [lin.Weight.Detach().RequiresGrad_(), lin.Bias!.Detach().RequiresGrad_()]);
    }

    [Fact]
    public void CompositeExpressionGradients()
    {
        var a = Torch.Randn([3, 4], dtype: DType.Float64, requiresGrad: true);
        var b = Torch.Randn([4], dtype: DType.Float64, requiresGrad: true);
        Nabla.Autograd.GradCheck.Check(x =>
        {
            var h = (x[0] * x[1] + 1.0).Sigmoid();
            var s = h[.., 1..].Sum(dim: [1], keepdim: true);
            return Functional.MseLoss(h.Matmul(x[1]).Unsqueeze(1), s) + h.Max() * 0.5;
        }, [a, b]);
    }

    [Fact]
    public void CheckerRejectsAWrongGradient()
    {
        // Detach hides part of the function from autograd, so the analytic Jacobian misses terms the numeric one has.
        var x = Torch.Randn([3], dtype: DType.Float64, requiresGrad: true);
        Assert.ThrowsAny<Exception>(() => Nabla.Autograd.GradCheck.Check(t => t[0].Detach() * t[0].Detach().Sum() + t[0], [x]));
    }
}
