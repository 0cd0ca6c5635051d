using Nabla.NN;
using Nabla.Optim;
using Nabla.Serialization;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Serialization;

/// <summary>Files written by torch.save in PyTorch 1.13 load with exact values, shared storages and strides.</summary>
public class PyTorchCheckpointTests
{
    private static Sequential Mlp() => new(new Linear(4, 8), new ReLU(), new Linear(8, 3));

    private static void AssertState(IEnumerable<(string Key, Tensor Value)> expected, OrderedDictionary<string, Tensor> actual)
    {
        var e = expected.ToList();
        Assert.Equal(e.Select(x => x.Key), actual.Keys);
        foreach (var (k, v) in e) TensorAssert.Equal(v, actual[k], k);
    }

    [Fact]
    public void MlpStateDictLoadsWithExactValuesIntoTheSameModel()
    {
        var sd = Torch.Load(CheckpointFiles.Path("mlp.pt"));
        AssertState(CheckpointFiles.State(CheckpointFiles.Golden.GetProperty("mlp")), sd);
        var model = Mlp();
        model.LoadStateDict(sd);
        TensorAssert.Equal(sd["2.bias"], model.StateDict()["2.bias"]);
    }

    [Fact]
    public void CnnWithBatchNormAfterTrainingLoadsRunningStatsAndStepCount()
    {
        var path = CheckpointFiles.Path("cnn_bn.pt");
        var sd = Torch.Load(path);
        AssertState(CheckpointFiles.State(CheckpointFiles.Golden.GetProperty("cnn_bn")), sd);
        Assert.Equal(DType.Int64, sd["1.num_batches_tracked"].DType);
        Assert.Equal(0, sd["1.num_batches_tracked"].Dim);
        Assert.Equal(3L, sd["1.num_batches_tracked"].Item<long>());
        var cnn = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(64, 2));
        cnn.Load(path);
        TensorAssert.Equal(sd["1.running_var"], cnn.StateDict()["1.running_var"]);
    }

    [Fact]
    public void MixedDtypesKeepStridesOffsetsAndSharedStorages()
    {
        var sd = Torch.Load(CheckpointFiles.Path("mixed.pt"));
        var golden = CheckpointFiles.Golden.GetProperty("mixed");
        foreach (var p in golden.EnumerateObject())
        {
            var t = sd[p.Name];
            TensorAssert.Equal(Goldens.Tensor(p.Value), t, p.Name);
            Assert.Equal(p.Value.GetProperty("stride").EnumerateArray().Select(x => x.GetInt64()), t.Strides);
            Assert.Equal(p.Value.GetProperty("offset").GetInt64(), t.StorageOffset);
        }
        Assert.False(sd["transposed"].IsContiguous());
        Assert.Equal(0, sd["scalar"].Dim);
        foreach (var pair in CheckpointFiles.Golden.GetProperty("mixed_shared").EnumerateArray())
        {
            var (a, b) = (sd[pair[0].GetString()!], sd[pair[1].GetString()!]);
            Assert.Same(a._storage, b._storage);
        }
        // Views share storage as in PyTorch: writing through one shows in the other.
        sd["row"].Fill_(7);
        Assert.Equal(7f, sd["base"][1, 0].Item<float>());
        Assert.Equal(7f, sd["transposed"][0, 1].Item<float>());
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void ResumedTrainingContinuesAsPyTorchDoes(string run)
    {
        var golden = CheckpointFiles.Golden.GetProperty(run);
        var ckpt = Torch.LoadObject(CheckpointFiles.Path($"train_{run}.pt"));
        Assert.Equal(3L, ckpt["epoch"]);
        var model = Mlp();
        model.LoadStateDict(((CheckpointDict)ckpt["model"]!).AsStateDict());
        Optimizer optimizer = run == "sgd"
            ? new SGD(model.Parameters(), lr: 0.1, momentum: 0.9, weightDecay: 1e-3)
            : new Adam(model.Parameters(), lr: 0.01, betas: (0.8, 0.99));
        optimizer.LoadStateDict(OptimizerStateDict.From(ckpt["optimizer"]));
        var scheduler = new StepLR(optimizer, stepSize: 2, gamma: 0.5);
        scheduler.LoadStateDict((CheckpointDict)ckpt["scheduler"]!);

        var x = Goldens.Tensor(golden.GetProperty("x"));
        var y = Goldens.Tensor(golden.GetProperty("y"));
        var losses = golden.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var states = golden.GetProperty("states").EnumerateArray().ToArray();
        for (int step = 0; step < losses.Length; step++)
        {
            optimizer.ZeroGrad();
            var loss = F.MseLoss(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            scheduler.Step();
            Assert.Equal(losses[step], loss.Item<float>(), 6);
            AssertState(CheckpointFiles.State(states[step]), model.StateDict());
        }
        Assert.Equal(golden.GetProperty("lrs").EnumerateArray().Select(v => v.GetDouble()), scheduler.GetLastLr());
    }

    [Theory]
    [InlineData("legacy.pt", "legacy (pre-1.6, non-zip)")]
    [InlineData("torchscript.pt", "TorchScript")]
    [InlineData("big_endian.pt", "byte order is 'big'")]
    public void OtherFormatsAreRefusedByName(string file, string phrase)
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Torch.LoadObject(CheckpointFiles.Path(file)));
        Assert.Contains(phrase, e.Message);
        Assert.StartsWith(file == "big_endian.pt" ? "unsupported format" : "unsupported format", e.Message);
    }

    [Fact]
    public void AllowedGlobalsAreExactlyThoseOfWeightsOnly()
    {
        var expected = CheckpointFiles.Golden.GetProperty("allowed_globals").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, AllowedGlobals.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StateDictLoadingIsStrictAndNamesEveryProblem()
    {
        var sd = Torch.Load(CheckpointFiles.Path("mlp.pt"));
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2), new Linear(2, 2));
        var e = Assert.Throws<StateDictException>(() => model.LoadStateDict(sd));
        Assert.Equal(["3.weight", "3.bias"], e.MissingKeys);
        Assert.Equal(2, e.ShapeMismatches.Count);
        Assert.Contains("size mismatch for 2.weight", e.Message);
    }
}
