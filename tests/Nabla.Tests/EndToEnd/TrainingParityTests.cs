using System.Text.Json;
using Nabla.NN;
using Nabla.Onnx;
using Nabla.Optim;
using Nabla.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.EndToEnd;

/// <summary>
/// Small real models trained in Nabla follow PyTorch's trajectory step for step. Each run is written line for line like
/// its twin in tests/goldens/gen_training.py: parameters and data both come from the seeded global generator, so only
/// the per-step losses and the final results are goldens.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class TrainingParityTests(ITestOutputHelper output)
{
    // Loss values are float32 results; a relative 1e-5 is a few ulps of float32 accumulated over the run.
    private const double LossRtol = 1e-5;
    private const double StateRtol = 1e-5;
    private const double StateAtol = 1e-6;

    private static readonly JsonElement s_golden = Goldens.Load("training");

    [Fact]
    public void MlpWithDropoutAndSgdStepLrFollowsPyTorch()
    {
        var run = TrainMlp();
        var golden = s_golden.GetProperty("mlp");
        AssertLosses(golden.GetProperty("losses"), run.Losses, "mlp");
        AssertState(golden.GetProperty("state"), run.Model, "mlp");
        AssertOutputs(golden.GetProperty("eval_logits"), run.EvalLogits, "mlp eval logits");
        Assert.Equal(golden.GetProperty("accuracy").GetDouble(), run.Accuracy);
    }

    [Fact]
    public void CnnWithBatchNormAndAdamCosineFollowsPyTorch()
    {
        var run = TrainCnn();
        var golden = s_golden.GetProperty("cnn");
        AssertLosses(golden.GetProperty("losses"), run.Losses, "cnn");
        // The state dict holds running_mean, running_var and num_batches_tracked (int64, compared exactly).
        AssertState(golden.GetProperty("state"), run.Model, "cnn");
        Assert.Equal(10L, run.Model.StateDict()["1.num_batches_tracked"].Item<long>());
        AssertOutputs(golden.GetProperty("eval_outputs"), run.EvalOutputs, "cnn eval outputs");
    }

    /// <summary>
    /// With a conv bias before the training-mode BatchNorm, the bias's true gradient is exactly zero and the computed one is
    /// rounding noise that Adam blows up to lr-sized steps of random sign, so its trajectory is not comparable (see
    /// gen_training.py). The losses, which the bias cannot change, still follow PyTorch, and the noise stays noise.
    /// </summary>
    [Fact]
    public void CnnWithConvBiasBeforeBatchNormFollowsPyTorchLossesAndGetsOnlyNoiseGradientsForTheBias()
    {
        var run = TrainCnn(convBias: true);
        AssertLosses(s_golden.GetProperty("cnn_conv_bias").GetProperty("losses"), run.Losses, "cnn (conv bias)");
        Assert.True(run.MaxConvBiasGrad < 1e-6, $"conv bias gradient {run.MaxConvBiasGrad:E2} is not rounding noise");
    }

    [Fact]
    public void SequenceModelWithAdamWAndGradClippingFollowsPyTorch()
    {
        var run = TrainSeq();
        var golden = s_golden.GetProperty("seq");
        AssertLosses(golden.GetProperty("losses"), run.Losses, "seq");
        AssertLosses(golden.GetProperty("grad_norms"), run.GradNorms, "seq grad norm");
        AssertState(golden.GetProperty("state"), run.Model, "seq");
        // padding_idx: row 0 starts at zero and never receives a gradient.
        Assert.All(run.Model.StateDict()["embed.weight"][0].ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void TrainedCnnExportedWithDynamicBatchRunsInOnnxRuntimeLikeNabla()
    {
        var model = TrainCnn().Model;
        model.Eval();
        Torch.ManualSeed(3);
        var example = Torch.Randn(2, 1, 12, 12);
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, example, stream, inputNames: ["images"],
            dynamicAxes: new() { ["images"] = new() { [0] = "batch" } });
        var bytes = stream.ToArray();
        foreach (long batch in new long[] { 1, 7 })
        {
            var x = Torch.Randn(batch, 1, 12, 12);
            Tensor expected;
            using (Torch.NoGrad()) expected = model.Call(x);
            var actual = OrtRunner.Run(bytes, x);
            Assert.Single(actual);
            TensorAssert.Close(expected, actual[0], rtol: 1e-5, atol: 1e-5, context: $"trained cnn at batch {batch}");
            output.WriteLine($"onnx batch {batch}: max rel diff {MaxRelDiff(expected, actual[0]):E2}");
        }
    }

    [Fact]
    public void StateDictLoadedIntoAFreshModelReproducesOutputsExactly()
    {
        var trained = TrainCnn().Model;
        trained.Eval();
        Torch.ManualSeed(99);
        var fresh = CnnModel();
        fresh.LoadStateDict(trained.StateDict());
        fresh.Eval();
        var x = Torch.Randn(5, 1, 12, 12);
        using (Torch.NoGrad())
            TensorAssert.Equal(trained.Call(x), fresh.Call(x));
        Assert.Equal(10L, fresh.StateDict()["1.num_batches_tracked"].Item<long>());
    }

    [Fact]
    public void LoadStateDictWithARenamedKeyThrowsNamingBothKeys()
    {
        var model = CnnModel();
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in model.StateDict()) state[k == "0.weight" ? "0.kernel" : k] = v;
        var e = Assert.Throws<StateDictException>(() => model.LoadStateDict(state));
        Assert.Equal(["0.weight"], e.MissingKeys);
        Assert.Equal(["0.kernel"], e.UnexpectedKeys);
        Assert.Contains("Missing key(s) in state_dict: \"0.weight\"", e.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"0.kernel\"", e.Message);
    }

    [Fact]
    public void LoadStateDictWithAWrongShapeThrowsNamingTheKeyAndBothShapesAndWritesNothing()
    {
        var model = CnnModel();
        var before = model.StateDict()["5.bias"].Clone();
        var state = model.StateDict();
        state["5.bias"] = Torch.Zeros(3);
        state["5.weight"] = Torch.Zeros(3, 99);
        var e = Assert.Throws<StateDictException>(() => model.LoadStateDict(state));
        Assert.Equal(
            "size mismatch for 5.weight: copying a param with shape torch.Size([3, 99]) from checkpoint, the shape in current model is torch.Size([3, 100]).",
            Assert.Single(e.ShapeMismatches));
        Assert.Contains("5.weight", e.Message);
        TensorAssert.Equal(before, model.StateDict()["5.bias"]);
    }

    // ---- the runs, line for line with gen_training.py ----

    private sealed record MlpRun(Module Model, double[] Losses, Tensor EvalLogits, double Accuracy);

    private static MlpRun TrainMlp()
    {
        Torch.ManualSeed(0);
        var model = new Sequential(new Linear(20, 64), new ReLU(), new Dropout(0.1), new Linear(64, 3));
        var x = Torch.Randn(96, 20);
        var y = Torch.Randint(0, 3, [96]);
        var opt = new SGD(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 1e-4);
        var sched = new StepLR(opt, stepSize: 10, gamma: 0.5);
        var lossFn = new CrossEntropyLoss();
        model.Train();
        var losses = new double[30];
        for (int step = 0; step < 30; step++)
        {
            var idx = Torch.Randperm(96)[..16];
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(x[idx]), y[idx]);
            loss.Backward();
            opt.Step();
            sched.Step();
            losses[step] = loss.Item<float>();
        }
        model.Eval();
        Tensor logits;
        using (Torch.NoGrad()) logits = model.Call(x);
        double accuracy = logits.Argmax(1).Eq(y).To(DType.Float32).Mean().Item<float>();
        return new MlpRun(model, losses, logits, accuracy);
    }

    private static Sequential CnnModel(bool convBias = false)
        => new(new Conv2d(1, 4, 3, bias: convBias), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 5 * 5, 3));

    private sealed record CnnRun(Module Model, double[] Losses, Tensor EvalOutputs, double MaxConvBiasGrad);

    private static CnnRun TrainCnn(bool convBias = false)
    {
        Torch.ManualSeed(1);
        var model = CnnModel(convBias);
        var x = Torch.Randn(32, 1, 12, 12);
        var y = Torch.Randint(0, 3, [32]);
        var opt = new Adam(model.Parameters(), lr: 0.01);
        var sched = new CosineAnnealingLR(opt, tMax: 10);
        var lossFn = new CrossEntropyLoss();
        model.Train();
        var losses = new double[10];
        double maxBiasGrad = 0;
        for (int step = 0; step < 10; step++)
        {
            var idx = Torch.Randperm(32)[..8];
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(x[idx]), y[idx]);
            loss.Backward();
            if (model[0].GetParameter("bias")?.Grad is { } biasGrad) maxBiasGrad = Math.Max(maxBiasGrad, biasGrad.Abs().Max().Item<float>());
            opt.Step();
            sched.Step();
            losses[step] = loss.Item<float>();
        }
        model.Eval();
        Tensor outputs;
        using (Torch.NoGrad()) outputs = model.Call(x);
        return new CnnRun(model, losses, outputs, maxBiasGrad);
    }

    private sealed class SeqNet : Module
    {
        public Embedding embed = new(12, 8, paddingIdx: 0);
        public LayerNorm norm = new(8);
        public GELU gelu = new();
        public Linear fc = new(8, 2);

        public override Tensor Forward(Tensor tokens) => fc.Call(gelu.Call(norm.Call(embed.Call(tokens))).Mean(1));
    }

    private sealed record SeqRun(Module Model, double[] Losses, double[] GradNorms);

    private static SeqRun TrainSeq()
    {
        Torch.ManualSeed(2);
        var model = new SeqNet();
        var tokens = Torch.Randint(0, 12, [16, 6]);
        var y = Torch.Randint(0, 2, [16]);
        var opt = new AdamW(model.Parameters(), lr: 0.05, weightDecay: 0.01);
        var lossFn = new CrossEntropyLoss();
        var losses = new double[10];
        var norms = new double[10];
        for (int step = 0; step < 10; step++)
        {
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(tokens), y);
            loss.Backward();
            norms[step] = Utils.ClipGradNorm_(model.Parameters(), 0.1).Item<float>();
            opt.Step();
            losses[step] = loss.Item<float>();
        }
        return new SeqRun(model, losses, norms);
    }

    // ---- comparisons ----

    private void AssertLosses(JsonElement expected, double[] actual, string what)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(e.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double rel = Math.Abs(actual[i] - e[i]) / Math.Abs(e[i]);
            worst = Math.Max(worst, rel);
            Assert.True(rel <= LossRtol, $"{what} step {i}: {actual[i]:R} vs PyTorch {e[i]:R} (relative difference {rel:E2})");
        }
        output.WriteLine($"{what}: max relative difference of {e.Length} values {worst:E2}");
    }

    private void AssertState(JsonElement expected, Module model, string what)
    {
        var actual = model.StateDict();
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), actual.Keys);
        double worst = 0;
        foreach (var p in expected.EnumerateObject())
        {
            var e = Goldens.Tensor(p.Value);
            TensorAssert.Close(e, actual[p.Name], StateRtol, StateAtol, $"{what} {p.Name}");
            if (e.DType == DType.Float32) worst = Math.Max(worst, MaxRelDiff(e, actual[p.Name]));
        }
        output.WriteLine($"{what} final state: max relative difference {worst:E2}");
    }

    private void AssertOutputs(JsonElement expected, Tensor actual, string what)
    {
        var e = Goldens.Tensor(expected);
        TensorAssert.Close(e, actual, StateRtol, StateAtol, what);
        output.WriteLine($"{what}: max relative difference {MaxRelDiff(e, actual):E2}");
    }

    private static double MaxRelDiff(Tensor expected, Tensor actual)
    {
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double worst = 0;
        for (int i = 0; i < e.Length; i++)
            if (e[i] != a[i]) worst = Math.Max(worst, Math.Abs(a[i] - e[i]) / Math.Max(Math.Abs(e[i]), 1e-30));
        return worst;
    }
}
