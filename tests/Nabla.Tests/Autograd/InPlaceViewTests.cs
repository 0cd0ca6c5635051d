using System.Text.Json;
using Nabla.Autograd;
using Xunit;
using AG = Nabla.Autograd.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>
/// In-place ops through views of tensors that require grad, against goldens/inplace_views.json (tests/goldens/gen_inplace_views.py,
/// PyTorch 1.13 in float64): the root base's history becomes CopySlices, every view whose storage changed reads its gradient
/// through AsStridedBackward0, and values, grad_fn names and gradients agree within 1e-5 relative.
/// </summary>
public class InPlaceViewTests
{
    private const double Rtol = 1e-5, Atol = 1e-9;

    private static JsonElement Golden => Goldens.Load("inplace_views");

    private static Tensor T(JsonElement e) => Goldens.Tensor(e);

    private static void Close(JsonElement expected, Tensor actual, string what) => TensorAssert.Close(T(expected), actual, Rtol, Atol, what);

    // The C# side of gen_inplace_views.py's CASES: the output and the tensors whose grad_fn the golden names.
    private static readonly Dictionary<string, Func<Tensor[], (Tensor Output, Dictionary<string, Tensor> Named)>> s_cases = new()
    {
        ["select_mul"] = x =>
        {
            var y = x[0] * 1.0;
            var (v, w) = (y[0], y[1]);
            v.Mul_(2.0);
            return (y, new() { ["base"] = y, ["view"] = v, ["other_view"] = w });
        },
        ["column_add_tensor"] = x =>
        {
            var y = x[0] * 1.0;
            var v = y[.., 1];
            v.Add_(x[1]);
            return (y, new() { ["base"] = y, ["view"] = v });
        },
        ["t_add_scalar"] = x =>
        {
            var y = x[0] * 1.0;
            var t = y.T();
            t.Add_(1.0);
            return (y, new() { ["base"] = y, ["view"] = t });
        },
        ["diagonal_zero"] = x =>
        {
            var y = x[0] * 1.0;
            var d = y.Diagonal();
            d.Zero_();
            return (y, new() { ["base"] = y, ["view"] = d });
        },
        ["narrow_mul_tensor"] = x =>
        {
            var y = x[0] * 1.0;
            var n = y.Narrow(1, 1, 2);
            n.Mul_(x[1]);
            return (y, new() { ["base"] = y, ["view"] = n });
        },
        ["setitem_copy"] = x =>
        {
            var y = x[0] * 1.0;
            y[0] = x[1];
            return (y, new() { ["base"] = y });
        },
        ["nested_view_div"] = x =>
        {
            var y = x[0] * 1.0;
            var tail = y[1..];
            var s = tail[0];
            s.Div_(3.0);
            return (y, new() { ["base"] = y, ["outer_view"] = tail, ["view"] = s });
        },
        ["inplace_on_base_then_old_view"] = x =>
        {
            var y = x[0] * 1.0;
            var t = y.T();
            y.Mul_(3.0);
            return (t * t, new() { ["base"] = y, ["old_view"] = t });
        },
        ["zeros_base_add"] = x =>
        {
            var z = Torch.Zeros([3, 2], DType.Float64);
            var rest = z[1..];
            var head = z.Narrow(0, 0, 1);
            head.Add_(x[0]);
            return (z * rest.Sum(), new() { ["base"] = z, ["view"] = head, ["other_view"] = rest });
        },
        ["view_of_view_mul"] = x =>
        {
            var y = x[0] * 1.0;
            var flat = y.View(12);
            var s = flat[2..8];
            s.Mul_(x[1]);
            return (y, new() { ["base"] = y, ["outer_view"] = flat, ["view"] = s });
        },
        ["clamp_pow_relu_on_selects"] = x =>
        {
            var y = x[0] * 1.0;
            y[1].Clamp_(-0.5, 0.5);
            y[2].Pow_(2);
            y[.., 0].Relu_();
            return (y, new() { ["base"] = y });
        },
        ["masked_fill_on_view"] = x =>
        {
            var y = x[0] * 1.0;
            var r = y[0];
            r.MaskedFill_(r > 0.0, 0.0);
            return (y, new() { ["base"] = y, ["view"] = r });
        },
        ["unsqueeze_select_sub"] = x =>
        {
            var y = x[0] * 1.0;
            var u = y.Unsqueeze(0)[0, 1];
            u.Sub_(x[1], alpha: 2);
            return (y, new() { ["base"] = y, ["view"] = u });
        },
        ["transpose_lerp"] = x =>
        {
            var y = x[0] * 1.0;
            var v = y.Transpose(0, 2)[1];
            v.Lerp_(x[1], 0.7);
            return (y, new() { ["base"] = y, ["view"] = v });
        },
        ["view_used_after_its_write"] = x =>
        {
            var y = x[0] * 1.0;
            var v = y[0];
            v.Mul_(2.0);
            return (v * y[1], new() { ["base"] = y, ["view"] = v });
        },
    };

    public static TheoryData<string> Cases() => new(Golden.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Fact]
    public void EveryGoldenCaseHasAnEvaluation()
        => Assert.Equal(Golden.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order(), s_cases.Keys.Order());

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesGradFnsAndGradientsMatchPyTorch(string name)
    {
        var c = Golden.GetProperty("cases").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        var leaves = c.GetProperty("leaves").EnumerateArray().Select(e => T(e).RequiresGrad_()).ToArray();
        var (output, named) = s_cases[name](leaves);
        Close(c.GetProperty("output"), output, $"{name} output");
        foreach (var p in c.GetProperty("grad_fns").EnumerateObject())
        {
            Assert.True(p.Value.GetString() == named[p.Name].GradFn?.Name, $"{name}: grad_fn of {p.Name} is {named[p.Name].GradFn?.Name}, PyTorch {p.Value}");
            Assert.Equal(c.GetProperty("requires_grad").GetProperty(p.Name).GetBoolean(), named[p.Name].RequiresGrad);
        }
        (output * T(c.GetProperty("weight"))).Sum().Backward();
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < leaves.Length; i++) Close(grads[i], leaves[i].Grad!, $"{name} grad of leaf {i}");
    }

    [Fact]
    public void HessianVectorProductThroughAnInPlaceWriteOnAViewMatchesPyTorch()
    {
        var h = Golden.GetProperty("hvp");
        var x = T(h.GetProperty("x")).RequiresGrad_();
        var y = x * 1.0;
        y[0].Mul_(x[1]);
        y[.., 2].Pow_(2);
        var f = y.Sin().Sum();
        Close(h.GetProperty("value"), f, "value");
        var g = AG.Grad([f], [x], createGraph: true)[0]!;
        Close(h.GetProperty("grad"), g, "gradient");
        var hv = AG.Grad([(g * T(h.GetProperty("vector"))).Sum()], [x])[0]!;
        Close(h.GetProperty("hvp"), hv, "Hessian-vector product");
    }

    [Fact]
    public void CopySlicesLinksTheViewToTheBaseAndKeepsTheOpsOtherEdges()
    {
        // PyTorch: v.grad_fn.next_functions == ((CopySlices, 0),); y.grad_fn.next_functions == ((MulBackward0, 0), (None, 0)).
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var y = x * 1.0;
        var v = y[0];
        v.Mul_(2.0);
        Assert.Same(y.GradFn, Assert.Single(v.GradFn!.NextFunctions));
        Assert.Equal(["MulBackward0", null], y.GradFn!.NextFunctions.Select(n => n?.Name));
        Assert.Equal(1, v.Version);
        Assert.Equal(1, y.Version);
    }

    [Fact]
    public void AZeroBaseWrittenWithATensorThatRequiresGradGetsHistory()
    {
        var a = Torch.Randn([1], DType.Float64, requiresGrad: true);
        var z = Torch.Zeros([3], DType.Float64);
        z.Narrow(0, 0, 1).Add_(a);
        Assert.Equal("CopySlices", z.GradFn?.Name);
        Assert.True(z.RequiresGrad);
        Assert.False(z.IsLeaf);
        (z * Torch.Tensor(new[] { 5.0, 6.0, 7.0 })).Sum().Backward();
        Assert.Equal([5.0], a.Grad!.ToArray<double>());
    }

    [Fact]
    public void EveryViewOfABaseWrittenInPlaceReadsThroughAsStrided()
    {
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var y = x * 1.0;
        var t = y.T();
        Assert.Equal("TBackward0", t.GradFn?.Name);
        y.Mul_(3.0);
        Assert.Equal("AsStridedBackward0", t.GradFn?.Name);
        Assert.Same(y.GradFn, Assert.Single(t.GradFn!.NextFunctions));
        // Writes with grad recording off change values, not history: the view's node still points at the base's.
        var v = y[0];
        using (Torch.NoGrad()) v.Mul_(2.0);
        Assert.Equal("AsStridedBackward0", v.GradFn?.Name);
        Assert.Equal("MulBackward0", y.GradFn?.Name);
    }

    [Fact]
    public void ARetainedGradFollowsTheNewHistoryOfAnInPlaceOpButNotOfAWriteThroughAView()
    {
        // PyTorch 1.13: y.retain_grad(); y.mul_(2) keeps the gradient of the new y (ones); through y[0] it stays on the old node.
        var x = Torch.Randn([2, 3], DType.Float64, requiresGrad: true);
        var y = x * 1.0;
        y.RetainGrad();
        y.Mul_(2.0);
        y.Sum().Backward();
        Assert.Equal(Enumerable.Repeat(1.0, 6), y.Grad!.ToArray<double>());
        y = x * 1.0;
        y.RetainGrad();
        y[0].Mul_(2.0);
        (y * 3.0).Sum().Backward();
        Assert.Equal([6.0, 6.0, 6.0, 3.0, 3.0, 3.0], y.Grad!.ToArray<double>());
    }

    [Fact]
    public void InPlaceFunctionsOfViewsPassGradCheck()
    {
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([4], DType.Float64, requiresGrad: true);
        Assert.True(GradCheck.Check(xs =>
        {
            var y = xs[0] * 1.0;
            y[1].Mul_(xs[1]);
            y.T()[2].Addcmul_(xs[1].Narrow(0, 0, 3), xs[1].Narrow(0, 1, 3), 0.5);
            y.Diagonal(1).Div_(xs[1].Narrow(0, 1, 3).Exp());
            return y.Tanh();
        }, [x, b]));
        Assert.True(GradCheck.Check(xs =>
        {
            var z = Torch.Zeros([2, 3], DType.Float64);
            z[0] = xs[0].Narrow(1, 0, 3)[1];
            z[1, 1..].Copy_(xs[1].Narrow(0, 0, 2) * 2.0);
            z.Narrow(1, 0, 2).Mul_(xs[0][0, 0..2]);
            return z.Sin();
        }, [x, b]));
    }

    [Fact]
    public void InPlaceFunctionsOfViewsPassGradGradCheck()
    {
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([3], DType.Float64, requiresGrad: true);
        Assert.True(GradGradCheck.Check(xs =>
        {
            var y = xs[0] * 1.0;
            y[.., 1].Mul_(xs[1]);
            y.Narrow(0, 1, 2).Pow_(2);
            y.T()[3].Lerp_(xs[1].Sin(), 0.25);
            return y.Sin();
        }, [x, b]));
    }

    [Fact]
    public void CopySlicesRefusesASecondBackwardWithoutRetainGraph()
    {
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var y = x * 1.0;
        y[0].Add_(1.0);
        y.Sum().Backward();
        Assert.StartsWith("Trying to backward through the graph a second time",
            Assert.Throws<InvalidOperationException>(() => y.Sum().Backward()).Message);
    }

    [Fact]
    public void ASavedTensorModifiedThroughAViewIsStillRefused()
    {
        // exp saves its result; writing a row of it through a view bumps the shared version counter.
        var x = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        var y = x.Exp();
        y[0].Mul_(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.float64 [3, 4]], which is saved by ExpBackward0, is at version 1; expected version 0 instead.", e.Message);
    }
}
