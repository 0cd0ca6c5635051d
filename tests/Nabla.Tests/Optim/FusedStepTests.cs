using Nabla.Optim;
using Nabla.Optim.Fused;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.Optim;

/// <summary>
/// The fused one-pass steps against the tensor-op rules they replace: bit-identical parameters and state on every
/// optimizer config of the parity goldens (and a few more combinations), float32 and float64, over odd sizes.
/// </summary>
public class FusedStepTests(ITestOutputHelper output)
{
    private const int Steps = 20;
    private static readonly long[][] Shapes = [[1], [7], [33], [40, 25]];  // 1, 7, 33 and 1000 elements: every tail length class

    /// <summary>Combinations the goldens leave out, so every option branch of every rule runs.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Optimizer>> Extra = new()
    {
        ["SGD(momentum=0.9, dampening=0.5, weight_decay=0.1)"] = ps => new SGD(ps, lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1),
        ["SGD(momentum=0.9, nesterov=True, maximize=True)"] = ps => new SGD(ps, lr: 0.1, momentum: 0.9, nesterov: true, maximize: true),
        ["SGD(weight_decay=0.1, maximize=True)"] = ps => new SGD(ps, lr: 0.1, weightDecay: 0.1, maximize: true),
        ["Adam(amsgrad=True, maximize=True)"] = ps => new Adam(ps, lr: 0.01, amsgrad: true, maximize: true),
        ["AdamW(amsgrad=True, maximize=True, weight_decay=0)"] = ps => new AdamW(ps, lr: 0.01, amsgrad: true, maximize: true, weightDecay: 0),
        ["RMSprop(momentum=0.9)"] = ps => new RMSprop(ps, momentum: 0.9),
        ["RMSprop(centered=True, weight_decay=0.1)"] = ps => new RMSprop(ps, centered: true, weightDecay: 0.1),
        ["Adadelta(weight_decay=0.1, maximize=True)"] = ps => new Adadelta(ps, weightDecay: 0.1, maximize: true),
        ["Adamax(weight_decay=0.1, maximize=True)"] = ps => new Adamax(ps, weightDecay: 0.1, maximize: true),
        ["RAdam(betas=(0.5, 0.9), weight_decay=0.1)"] = ps => new RAdam(ps, betas: (0.5, 0.9), weightDecay: 0.1),
    };

    internal static Func<Tensor[], Optimizer> Config(string name) => OptimGoldens.Configs.TryGetValue(name, out var c) ? c : Extra[name];

    public static IEnumerable<object[]> Cases() =>
        from name in OptimGoldens.Configs.Keys.Concat(Extra.Keys)
        from dtype in new[] { DType.Float32, DType.Float64 }
        select new object[] { name, dtype };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedStepIsBitIdenticalToTheTensorOpRule(string name, DType dtype)
    {
        var generator = new Generator().ManualSeed(1234);
        var initial = Shapes.Select(s => Torch.Randn(s, dtype, generator: generator)).ToArray();
        var fusedParams = initial.Select(t => t.Clone().RequiresGrad_()).ToArray();
        var referenceParams = initial.Select(t => t.Clone().RequiresGrad_()).ToArray();
        var fused = Config(name)(fusedParams);
        var reference = Config(name)(referenceParams);
        long fusedBytes = 0;
        for (int k = 0; k < Steps; k++)
        {
            var grads = Shapes.Select(s => Gradient(s, dtype, generator)).ToArray();
            for (int i = 0; i < grads.Length; i++)
            {
                fusedParams[i].Grad = grads[i].Clone();
                referenceParams[i].Grad = grads[i].Clone();
            }
            // The pool's bookkeeping for what the reference steps left (a collection, free lists growing) is done first, so
            // that only the step itself is counted; the first step creates the state, which is not counted either.
            Nabla.Memory.BufferPool.SafePoint(stepBoundary: true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            fused.Step();
            if (k > 0) fusedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            FusedStep.ReferenceOnly = true;
            try { reference.Step(); }
            finally { FusedStep.ReferenceOnly = false; }
            for (int i = 0; i < grads.Length; i++)
            {
                string where = $"{name} {dtype} param {i} step {k + 1}";
                AssertBitIdentical(referenceParams[i], fusedParams[i], where);
                AssertSameState(reference.State[referenceParams[i]], fused.State[fusedParams[i]], where);
            }
        }
        // Proof that the fused path ran: the tensor-op rule allocates kilobytes per parameter and step.
        Assert.True(fusedBytes < 2048L * (Steps - 1), $"{name} {dtype}: fused steps 2 to {Steps} allocated {fusedBytes} bytes");
    }

    [Fact]
    public void NonContiguousGradientsTakeTheTensorOpRuleAndStillMatch()
    {
        var fusedParam = Torch.Randn([5, 3], DType.Float32, generator: new Generator().ManualSeed(7)).RequiresGrad_();
        var referenceParam = fusedParam.Detach().Clone().RequiresGrad_();
        var adam = new Adam([fusedParam], lr: 0.1);
        var referenceAdam = new Adam([referenceParam], lr: 0.1);
        var grad = Torch.Randn([3, 5], DType.Float32, generator: new Generator().ManualSeed(8)).T();  // a transposed, non-contiguous view
        for (int k = 0; k < 3; k++)
        {
            fusedParam.Grad = grad;
            referenceParam.Grad = grad.Contiguous();
            adam.Step();
            FusedStep.ReferenceOnly = true;
            try { referenceAdam.Step(); }
            finally { FusedStep.ReferenceOnly = false; }
        }
        AssertBitIdentical(referenceParam, fusedParam, "Adam with a non-contiguous gradient");
    }

    [Theory]
    [InlineData("SGD(momentum=0.9)")]
    [InlineData("Adam()")]
    public void AStepOnA256x784ParameterAllocatesAlmostNothing(string name)
    {
        const int N = 100;
        var w = Torch.Randn([256, 784], DType.Float32, generator: new Generator().ManualSeed(3)).RequiresGrad_();
        w.Grad = Torch.Randn([256, 784], DType.Float32, generator: new Generator().ManualSeed(4));
        Optimizer opt = name == "Adam()" ? new Adam([w], lr: 1e-3) : new SGD([w], lr: 0.01, momentum: 0.9);
        opt.Step();  // creates the state
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long fused = AllocatedBytes(opt, N);
        double fusedMs = clock.Elapsed.TotalMilliseconds / N;
        FusedStep.ReferenceOnly = true;
        long tensorOps;
        clock.Restart();
        try { tensorOps = AllocatedBytes(opt, N); }
        finally { FusedStep.ReferenceOnly = false; }
        double tensorOpsMs = clock.Elapsed.TotalMilliseconds / N;
        // Times are for information only (shared machines are noisy); the bound is on bytes.
        output.WriteLine($"{name}: fused {fused / N} B and {fusedMs:F3} ms per step; tensor ops {tensorOps / N} B and {tensorOpsMs:F3} ms per step");
        Assert.True(fused < 1024L * N, $"{name}: {fused / N} bytes per step");
    }

    [Fact]
    public void ZeroGradWithoutSetToNoneZeroesTheSameTensorInPlace()
    {
        var w = Torch.Randn([4, 3], DType.Float32, generator: new Generator().ManualSeed(5)).RequiresGrad_();
        var sgd = new SGD([w], lr: 0.1);
        (w * w).Sum().Backward();
        var grad = w.Grad!;
        int version = grad.Version;
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, w.Grad);
        Assert.True(grad.Version > version);
        TensorAssert.Equal(Torch.Zeros(4, 3), grad);
    }

    [Fact]
    public void ZeroGradWithoutSetToNoneDetachesAGradientThatHasHistory()
    {
        var w = Torch.Tensor(new[] { 1f, 2f }).RequiresGrad_();
        var sgd = new SGD([w], lr: 0.1);
        (w * w * w).Sum().Backward(createGraph: true);  // the gradient 3w² records its own graph
        var grad = w.Grad!;
        Assert.NotNull(grad.GradFn);
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, w.Grad);
        Assert.Null(grad.GradFn);
        Assert.False(grad.RequiresGrad);
        TensorAssert.Equal(Torch.Zeros(2), grad);
    }

    private static long AllocatedBytes(Optimizer opt, int steps)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < steps; k++) opt.Step();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // Normal values with exact zeros of both signs mixed in, so sign handling (maximize, -0) is exercised.
    internal static Tensor Gradient(long[] shape, DType dtype, Generator generator)
    {
        var values = Torch.Randn(shape, dtype, generator: generator).ToArray<double>();
        if (values.Length > 3) (values[1], values[3]) = (0.0, -0.0);
        return Tensor.FromArray(values, shape).To(dtype);
    }

    internal static void AssertSameState(Dictionary<string, object?> expected, Dictionary<string, object?> actual, string where)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
            if (value is Tensor t) AssertBitIdentical(t, (Tensor)actual[key]!, $"{where} state {key}");
            else Assert.Equal(value, actual[key]);
    }

    internal static void AssertBitIdentical(Tensor expected, Tensor actual, string where)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        long[] e = Bits(expected), a = Bits(actual);
        for (int i = 0; i < e.Length; i++)
            if (e[i] != a[i]) Assert.Fail($"{where}: element {i} differs ({expected.Reshape(-1)[i].Item<double>():R} vs {actual.Reshape(-1)[i].Item<double>():R})");
    }

    private static long[] Bits(Tensor t) => t.DType == DType.Float32
        ? t.Detach().ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray()
        : t.Detach().ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();
}
