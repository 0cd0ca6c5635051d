using Nabla.Memory;
using Nabla.NN;
using Nabla.Optim;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Memory;

/// <summary>
/// The pool recycles only what no user code can reach: tensors a user keeps — outputs of earlier steps, activations
/// captured by a hook, a gradient read before ZeroGrad, a view of a disposed tensor — keep their values however many
/// later steps reuse memory. Each step forces a collection, so the pool reclaims and hands out arrays as eagerly as it can.
/// </summary>
public class BufferReuseTests
{
    private sealed class Mlp : Module
    {
        public Linear fc1 = new(196, 96);
        public ReLU act = new();
        public Linear fc2 = new(96, 10);

        public override Tensor Forward(Tensor x) => fc2.Call(act.Call(fc1.Call(x)));
    }

    private static (Mlp Model, SGD Opt, Tensor X, Tensor Y) Setup()
    {
        var g = new Generator().ManualSeed(7);
        var model = new Mlp();
        var x = Torch.Randn([64, 196], generator: g);
        var y = Torch.Randint(0, 10, [64], generator: g);
        return (model, new SGD(model.Parameters(), lr: 0.05, momentum: 0.9), x, y);
    }

    private static Tensor Step(Mlp model, Optimizer opt, Tensor x, Tensor y)
    {
        opt.ZeroGrad();
        var output = model.Call(x);
        F.CrossEntropy(output, y).Backward();
        opt.Step();
        GC.Collect();
        return output;
    }

    private static void AssertUnchanged(List<(Tensor Kept, float[] Values)> kept)
    {
        foreach (var (t, values) in kept) Assert.Equal(values, t.ToArray<float>());
    }

    [Fact]
    public void OutputsOfEarlierStepsNeverChange()
    {
        var (model, opt, x, y) = Setup();
        var kept = new List<(Tensor, float[])>();
        for (int step = 0; step < 60; step++)
        {
            var output = Step(model, opt, x, y);
            if (step % 5 == 0) kept.Add((output, output.ToArray<float>()));
        }
        AssertUnchanged(kept);
        // Training moved the outputs: the kept ones are snapshots of different steps, not one shared buffer.
        Assert.NotEqual(kept[0].Item2, kept[^1].Item2);
    }

    [Fact]
    public void ActivationsCapturedByAForwardHookNeverChange()
    {
        var (model, opt, x, y) = Setup();
        var kept = new List<(Tensor, float[])>();
        using var hook = model.act.RegisterForwardHook((_, _, output) => { kept.Add((output, output.ToArray<float>())); return null; });
        for (int step = 0; step < 40; step++) Step(model, opt, x, y);
        Assert.Equal(40, kept.Count);
        AssertUnchanged(kept);
    }

    [Fact]
    public void GradientReadBeforeZeroGradNeverChanges()
    {
        var (model, opt, x, y) = Setup();
        var kept = new List<(Tensor, float[])>();
        for (int step = 0; step < 40; step++)
        {
            Step(model, opt, x, y);
            var grad = model.fc1.Weight.Grad!;
            kept.Add((grad, grad.ToArray<float>()));
        }
        AssertUnchanged(kept);
    }

    [Fact]
    public void GradientNoUserCodeReadIsRecycledByZeroGrad()
    {
        var (model, opt, x, y) = Setup();
        Step(model, opt, x, y);
        var storage = model.fc1.Weight._grad!._storage;
        long returned = BufferPool.Returned;
        opt.ZeroGrad();
        Assert.True(BufferPool.Returned > returned);
        Assert.Equal(0, storage.Length); // the dropped gradient's storage gave its array back
    }

    [Fact]
    public void ViewOfADisposedTensorKeepsItsValues()
    {
        var (model, opt, x, y) = Setup();
        var t = Torch.Randn([64, 96], generator: new Generator().ManualSeed(3));
        var view = t[1..];
        var values = view.ToArray<float>();
        t.Dispose();
        for (int step = 0; step < 20; step++) Step(model, opt, x, y);
        Assert.Equal(values, view.ToArray<float>());
    }

    [Fact]
    public void DisposedTensorThrowsNamingShapeAndDtype()
    {
        var t = Torch.Zeros([3, 5], dtype: DType.Float64);
        t.Dispose();
        t.Dispose(); // twice is harmless
        Assert.True(t.IsDisposed);
        var e = Assert.Throws<ObjectDisposedException>(() => t + 1.0);
        Assert.Contains("[3, 5]", e.Message);
        Assert.Contains("torch.float64", e.Message);
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<double>());
        Assert.Throws<ObjectDisposedException>(() => t.Sum());
        Assert.Throws<ObjectDisposedException>(() => t.ToString());
        Assert.Throws<ObjectDisposedException>(() => t.View(15));
    }

    [Fact]
    public void DisposeHandsTheArrayToTheNextTensorOfThatSize()
    {
        // An odd size no other test uses, so no concurrent test takes the freed array first.
        var t = Torch.Empty([997, 13]);
        var array = t._storage.Data;
        t.Dispose();
        var next = Torch.Empty([997, 13]);
        Assert.Same(array, next._storage.Data);
    }

    [Fact]
    public void BackwardThroughADisposedSavedTensorFailsInsteadOfReadingReusedMemory()
    {
        var g = new Generator().ManualSeed(11);
        var x = Torch.Randn([120, 70], generator: g);
        var w = Torch.Randn([120, 70], generator: g).RequiresGrad_();
        var loss = (x * w).Sum();
        x.Dispose(); // dw = x: backward needs it
        _ = Torch.Randn([120, 70], generator: g) * 2.0; // takes x's array
        var e = Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.Contains("[120, 70]", e.Message);
    }

    [Fact]
    public void CallersGradientIsNotRecycledByBackward()
    {
        var w = Torch.Ones([80, 64]).RequiresGrad_();
        var gradient = Torch.Full([80, 64], 0.5);
        (w * 3.0).Backward(gradient);
        for (int i = 0; i < 5; i++) _ = Torch.Randn(80, 64) + 1.0;
        Assert.All(gradient.ToArray<float>(), v => Assert.Equal(0.5f, v));
        Assert.All(w.Grad!.ToArray<float>(), v => Assert.Equal(1.5f, v));
    }

    [Fact]
    public void GradientsOfSharedInputsAccumulateCorrectlyWhenRecycled()
    {
        // x feeds three branches; its gradient is summed in the engine's buffer, in place when nothing else holds it.
        var x = Torch.Full([64, 64], 2.0).RequiresGrad_();
        var y = (x * 3.0) + (x * x) + x.Exp().Log();
        y.Sum().Backward();
        // d/dx (3x + x² + x) = 3 + 2x + 1 = 8 at x = 2
        Assert.All(x.Grad!.ToArray<float>(), v => Assert.Equal(8f, v, 5));
    }

    [Fact]
    public void ConcurrentInferenceOnASharedModelMatchesSerial()
    {
        var (model, _, x, _) = Setup();
        model.Eval();
        float[] serial;
        using (Torch.NoGrad()) serial = model.Call(x).ToArray<float>();
        var results = new float[4][];
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            using (Torch.NoGrad())
                for (int k = 0; k < 30; k++)
                {
                    results[i] = model.Call(x).ToArray<float>();
                    if (k % 7 == 0) GC.Collect();
                    Assert.Equal(serial, results[i]);
                }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(results, r => Assert.Equal(serial, r));
    }
}
