using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>Forward hooks as PyTorch runs them: pre-hooks may replace the inputs, hooks may replace the output, handles remove them.</summary>
public class ModuleHookTests
{
    private sealed class Double : Module
    {
        public override Tensor Forward(Tensor x) => x * 2.0;
    }

    [Fact]
    public void PreHookReplacesInputsAndHookReplacesOutput()
    {
        var m = new Double();
        var seen = new List<string>();
        using var pre = m.RegisterForwardPreHook((_, inputs) => { seen.Add("pre"); return [inputs[0] + 1.0]; });
        using var post = m.RegisterForwardHook((_, inputs, output) => { seen.Add($"post {inputs[0].Item<float>()}"); return output - 1.0; });
        // (3 + 1) * 2 - 1 = 7; the hook sees the inputs the pre-hook returned.
        Assert.Equal(7f, m.Call(Torch.Tensor(3f)).Item<float>());
        Assert.Equal(["pre", "post 4"], seen);
    }

    [Fact]
    public void HookReturningNullKeepsTheValueAndForwardSkipsHooks()
    {
        var m = new Double();
        int calls = 0;
        m.RegisterForwardHook((_, _, _) => { calls++; return null; });
        Assert.Equal(6f, m.Call(Torch.Tensor(3f)).Item<float>());
        Assert.Equal(6f, m.Forward(Torch.Tensor(3f)).Item<float>());
        Assert.Equal(1, calls);
    }

    [Fact]
    public void RemovedHooksNoLongerRun()
    {
        var m = new Double();
        var handle = m.RegisterForwardPreHook((_, inputs) => [inputs[0] * 0.0]);
        Assert.Equal(0f, m.Call(Torch.Tensor(3f)).Item<float>());
        handle.Remove();
        handle.Remove();
        Assert.Equal(6f, m.Call(Torch.Tensor(3f)).Item<float>());
    }

    [Fact]
    public void ChildHooksRunWhenTheParentCallsTheChild()
    {
        var inner = new Double();
        var outer = new Sequential(inner, new Double());
        int innerCalls = 0;
        inner.RegisterForwardHook((_, _, _) => { innerCalls++; return null; });
        Assert.Equal(12f, outer.Call(Torch.Tensor(3f)).Item<float>());
        Assert.Equal(1, innerCalls);
    }
}

/// <summary>The graph a user can walk from <c>grad_fn</c>, as PyTorch shows it.</summary>
public class GraphWalkTests
{
    [Fact]
    public void NextFunctionsLeadToTheInputsNodes()
    {
        var x = Torch.Randn([2], requiresGrad: true);
        var y = Torch.Randn(2);
        var z = Torch.Randn([2], requiresGrad: true);
        var r = x * y + z;
        // add(mul(x, y), z): the Add node points at Mul's node and at z's AccumulateGrad; Mul at x's and at nothing for y.
        Assert.Equal("AddBackward0", r.GradFn!.Name);
        Assert.Equal(["MulBackward0", "AccumulateGrad"], r.GradFn.NextFunctions.Select(n => n?.Name));
        var mul = r.GradFn.NextFunctions[0]!;
        Assert.Equal(["AccumulateGrad", null], mul.NextFunctions.Select(n => n?.Name));
        Assert.Same(z, ((Nabla.Autograd.AccumulateGrad)r.GradFn.NextFunctions[1]!).Variable);
    }
}
