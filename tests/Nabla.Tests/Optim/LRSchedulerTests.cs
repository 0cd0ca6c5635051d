using System.Text.Json;
using Nabla.Optim;
using Xunit;

namespace Nabla.Tests.Optim;

/// <summary>Learning-rate schedules against PyTorch 1.13 (goldens/optim.json, "schedulers" and "plateau").</summary>
public class LRSchedulerTests
{
    /// <summary>The optimizer gen_optim.py schedules: two groups with lr 0.1 and 0.05 (SGD with momentum 0.9, or Adam).</summary>
    private static Optimizer MakeOptimizer(string kind)
    {
        ParamGroup[] groups = [new([Torch.Zeros(2).RequiresGrad_()]), new([Torch.Zeros(2).RequiresGrad_()]) { Lr = 0.05 }];
        return kind == "adam" ? new Adam(groups, lr: 0.1) : new SGD(groups, lr: 0.1, momentum: 0.9);
    }

    /// <summary>Every scheduler config, by the Python expression that built it in gen_optim.py.</summary>
    private static readonly Dictionary<string, Func<Optimizer, LRScheduler>> Configs = new()
    {
        ["StepLR(step_size=3, gamma=0.5)"] = o => new StepLR(o, stepSize: 3, gamma: 0.5),
        ["MultiStepLR(milestones=[2, 5, 5, 11], gamma=0.3)"] = o => new MultiStepLR(o, milestones: [2, 5, 5, 11], gamma: 0.3),
        ["ExponentialLR(gamma=0.9)"] = o => new ExponentialLR(o, gamma: 0.9),
        ["CosineAnnealingLR(T_max=7, eta_min=0.001)"] = o => new CosineAnnealingLR(o, tMax: 7, etaMin: 0.001),
        ["CosineAnnealingLR(T_max=20)"] = o => new CosineAnnealingLR(o, tMax: 20),
        ["CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.01)"] = o => new CosineAnnealingWarmRestarts(o, t0: 3, tMult: 2, etaMin: 0.01),
        ["CosineAnnealingWarmRestarts(T_0=4)"] = o => new CosineAnnealingWarmRestarts(o, t0: 4),
        ["LinearLR()"] = o => new LinearLR(o),
        ["LinearLR(start_factor=0.1, end_factor=0.9, total_iters=12)"] = o => new LinearLR(o, startFactor: 0.1, endFactor: 0.9, totalIters: 12),
        ["LambdaLR([0.95 ** e, 1 / (e + 1)])"] = o => new LambdaLR(o, [e => Math.Pow(0.95, e), e => 1.0 / (e + 1)]),
        ["LambdaLR(0.9 ** e)"] = o => new LambdaLR(o, e => Math.Pow(0.9, e)),
        ["OneCycleLR(max_lr=[1.0, 0.5], total_steps=21)"] = o => new OneCycleLR(o, maxLr: [1.0, 0.5], totalSteps: 21),
        ["OneCycleLR(max_lr=0.8, total_steps=21, anneal_strategy='linear', three_phase=True)"] =
            o => new OneCycleLR(o, maxLr: 0.8, totalSteps: 21, annealStrategy: "linear", threePhase: true),
        ["OneCycleLR(max_lr=0.8, epochs=3, steps_per_epoch=7, pct_start=0.4, div_factor=10.0, final_div_factor=100.0, cycle_momentum=False)"] =
            o => new OneCycleLR(o, maxLr: 0.8, epochs: 3, stepsPerEpoch: 7, pctStart: 0.4, divFactor: 10.0, finalDivFactor: 100.0, cycleMomentum: false),
        ["SequentialLR([LinearLR(start_factor=0.1, total_iters=4), ExponentialLR(gamma=0.9)], milestones=[5])"] =
            o => new SequentialLR(o, [new LinearLR(o, startFactor: 0.1, totalIters: 4), new ExponentialLR(o, gamma: 0.9)], milestones: [5]),
        ["SequentialLR([StepLR(step_size=2, gamma=0.5), MultiStepLR(milestones=[0, 3], gamma=0.5), CosineAnnealingLR(T_max=5, eta_min=0.01)], milestones=[4, 9])"] =
            o => new SequentialLR(o, [new StepLR(o, stepSize: 2, gamma: 0.5), new MultiStepLR(o, milestones: [0, 3], gamma: 0.5),
                new CosineAnnealingLR(o, tMax: 5, etaMin: 0.01)], milestones: [4, 9]),
        ["ConstantLR(factor=0.5, total_iters=4)"] = o => new ConstantLR(o, factor: 0.5, totalIters: 4),
        ["MultiplicativeLR(0.95)"] = o => new MultiplicativeLR(o, _ => 0.95),
        ["PolynomialLR(total_iters=12, power=2.0)"] = o => new PolynomialLR(o, totalIters: 12, power: 2.0),
        ["ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])"] =
            o => new ChainedScheduler([new ConstantLR(o, factor: 0.1, totalIters: 2), new ExponentialLR(o, gamma: 0.9)]),
        ["SequentialLR([ConstantLR(factor=0.5, total_iters=3), PolynomialLR(total_iters=10)], milestones=[6])"] =
            o => new SequentialLR(o, [new ConstantLR(o, factor: 0.5, totalIters: 3), new PolynomialLR(o, totalIters: 10)], milestones: [6]),
    };

    private static JsonElement Root => Goldens.Load("optim");

    public static IEnumerable<object[]> SchedulerNames() => Root.GetProperty("schedulers").EnumerateArray().Select(s => new object[] { s.GetProperty("name").GetString()! });

    public static IEnumerable<object[]> PlateauNames() => Root.GetProperty("plateau").GetProperty("runs").EnumerateArray().Select(s => new object[] { s.GetProperty("name").GetString()! });

    private static JsonElement Schedule(string name) => Root.GetProperty("schedulers").EnumerateArray().First(s => s.GetProperty("name").GetString() == name);

    private static double[] Row(JsonElement row) => row.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[] Momenta(Optimizer o) => o.ParamGroups.Select(g => g.ContainsKey("betas") ? g.GetPair("betas").Item1 : g.GetDouble("momentum")).ToArray();

    [Fact]
    public void EveryGoldenScheduleHasACSharpConfig()
    {
        var missing = SchedulerNames().Select(n => (string)n[0]).Where(n => !Configs.ContainsKey(n)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(SchedulerNames))]
    public void LearningRatesOver20EpochsEqualPyTorchs(string name)
    {
        var golden = Schedule(name);
        var optimizer = MakeOptimizer(golden.GetProperty("optimizer").GetString()!);
        var scheduler = Configs[name](optimizer);
        var lrs = golden.GetProperty("lrs").EnumerateArray().Select(Row).ToArray();
        var momenta = golden.GetProperty("momentum").EnumerateArray().Select(Row).ToArray();
        for (int epoch = 0; epoch < lrs.Length; epoch++)
        {
            if (epoch > 0)
            {
                optimizer.Step();
                scheduler.Step();
            }
            Assert.Equal(lrs[epoch], scheduler.GetLastLr());
            Assert.Equal(lrs[epoch], optimizer.ParamGroups.Select(g => g.Lr));
            Assert.Equal(momenta[epoch], Momenta(optimizer));
        }
    }

    [Theory]
    [InlineData("StepLR(step_size=3, gamma=0.5)")]
    [InlineData("CosineAnnealingLR(T_max=7, eta_min=0.001)")]
    [InlineData("ExponentialLR(gamma=0.9)")]
    public void StateDictHasPyTorchsKeys(string name)
    {
        var expected = Root.GetProperty("scheduler_state_keys").GetProperty(name).EnumerateArray().Select(k => k.GetString()!);
        var keys = Configs[name](MakeOptimizer("sgd")).StateDict().Keys.Order(StringComparer.Ordinal);
        Assert.Equal(expected, keys);
    }

    [Theory]
    [MemberData(nameof(SchedulerNames))]
    public void ResumingFromStateDictsContinuesTheSchedule(string name)
    {
        var golden = Schedule(name);
        string kind = golden.GetProperty("optimizer").GetString()!;
        var lrs = golden.GetProperty("lrs").EnumerateArray().Select(Row).ToArray();
        var optimizer = MakeOptimizer(kind);
        var scheduler = Configs[name](optimizer);
        const int cut = 7;
        for (int epoch = 1; epoch <= cut; epoch++) { optimizer.Step(); scheduler.Step(); }

        var optimizer2 = MakeOptimizer(kind);
        var scheduler2 = Configs[name](optimizer2);
        optimizer2.LoadStateDict(optimizer.StateDict());
        scheduler2.LoadStateDict(scheduler.StateDict());
        for (int epoch = cut + 1; epoch < lrs.Length; epoch++)
        {
            optimizer2.Step();
            scheduler2.Step();
            Assert.Equal(lrs[epoch], scheduler2.GetLastLr());
        }
    }

    [Theory]
    [MemberData(nameof(PlateauNames))]
    public void ReduceLROnPlateauFollowsPyTorchOnAMetricSequence(string name)
    {
        var plateau = Root.GetProperty("plateau");
        var metrics = plateau.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()).ToArray();
        var expected = plateau.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("name").GetString() == name)
            .GetProperty("lrs").EnumerateArray().Select(Row).ToArray();
        var optimizer = MakeOptimizer("sgd");
        var scheduler = PlateauConfigs[name](optimizer);
        for (int i = 0; i < metrics.Length; i++)
        {
            scheduler.Step(metrics[i]);
            Assert.True(expected[i].SequenceEqual(optimizer.ParamGroups.Select(g => g.Lr)),
                $"{name}, epoch {i + 1}: [{string.Join(", ", optimizer.ParamGroups.Select(g => g.Lr))}] != [{string.Join(", ", expected[i])}]");
            Assert.Equal(expected[i], scheduler.GetLastLr());
        }
    }

    private static readonly Dictionary<string, Func<Optimizer, ReduceLROnPlateau>> PlateauConfigs = new()
    {
        ["ReduceLROnPlateau(patience=2)"] = o => new ReduceLROnPlateau(o, patience: 2),
        ["ReduceLROnPlateau(patience=1, threshold=0.01, threshold_mode='abs')"] = o => new ReduceLROnPlateau(o, patience: 1, threshold: 0.01, thresholdMode: "abs"),
        ["ReduceLROnPlateau(mode='max', factor=0.5, patience=1)"] = o => new ReduceLROnPlateau(o, mode: "max", factor: 0.5, patience: 1),
        ["ReduceLROnPlateau(mode='max', patience=0, threshold=0.05, threshold_mode='abs')"] =
            o => new ReduceLROnPlateau(o, mode: "max", patience: 0, threshold: 0.05, thresholdMode: "abs"),
        ["ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2, min_lr=[0.02, 0.001])"] =
            o => new ReduceLROnPlateau(o, minLr: [0.02, 0.001], factor: 0.5, patience: 1, cooldown: 2),
        ["ReduceLROnPlateau(factor=0.5, patience=0, min_lr=0.01, eps=0.01)"] = o => new ReduceLROnPlateau(o, factor: 0.5, patience: 0, minLr: 0.01, eps: 0.01),
    };

    [Fact]
    public void ReduceLROnPlateauIsAnLRSchedulerThatNeedsTheMetric()
    {
        LRScheduler scheduler = new ReduceLROnPlateau(MakeOptimizer("sgd"));
        Assert.Equal([0.1, 0.05], scheduler.GetLastLr());
        var e = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Contains("Step(metric)", e.Message);
    }

    [Fact]
    public void InvalidSchedulerArgumentsThrowPyTorchsMessages()
    {
        var o = MakeOptimizer("sgd");
        Assert.Equal("Factor should be < 1.0.", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(o, factor: 1.0)).Message);
        Assert.Equal("mode avg is unknown!", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(o, mode: "avg")).Message);
        Assert.Equal("Starting multiplicative factor expected to be between 0 and 1.", Assert.Throws<ArgumentException>(() => new LinearLR(o, startFactor: 2)).Message);
        Assert.Equal("Expected positive integer T_0, but got 0", Assert.Throws<ArgumentException>(() => new CosineAnnealingWarmRestarts(o, t0: 0)).Message);
        Assert.Equal("Expected 2 lr_lambdas, but got 1", Assert.Throws<ArgumentException>(() => new LambdaLR(o, [e => 1.0])).Message);
        Assert.Equal("You must define either total_steps OR (epochs AND steps_per_epoch)", Assert.Throws<ArgumentException>(() => new OneCycleLR(o, maxLr: 1.0)).Message);
        Assert.Contains("one more than the number of milestone", Assert.Throws<ArgumentException>(() => new SequentialLR(o, [new StepLR(o, 2)], [3])).Message);
    }

    [Fact]
    public void OneCycleLRThrowsWhenSteppedPastTotalSteps()
    {
        var o = MakeOptimizer("sgd");
        var s = new OneCycleLR(o, maxLr: 1.0, totalSteps: 3);
        s.Step(); s.Step(); s.Step();
        var e = Assert.Throws<InvalidOperationException>(s.Step);
        Assert.Equal("Tried to step 5 times. The specified number of total steps is 3", e.Message);
    }

    [Fact]
    public void ResumingWithLastEpochNeedsInitialLrInEveryGroup()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => new StepLR(MakeOptimizer("sgd"), stepSize: 2, lastEpoch: 4));
        Assert.Equal("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer", e.Message);
    }
}
