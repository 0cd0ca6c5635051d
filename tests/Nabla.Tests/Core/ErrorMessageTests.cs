using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// Misuse gives PyTorch's message (goldens/core.json "errors", first line of str(e)): Nabla's message starts with
/// PyTorch's or contains the facts it names (shapes, dtypes, keys, versions).
/// </summary>
public class ErrorMessageTests
{
    private static string Torch_(string name) => OpCases.Core.GetProperty("errors").GetProperty(name).GetString()!;

    private static void StartsWithPyTorchs(string name, Exception e) => Assert.StartsWith(Torch_(name).TrimEnd('.'), e.Message);

    [Fact]
    public void MatmulShapeMismatchNamesBothShapes()
    {
        StartsWithPyTorchs("mm_shapes", Assert.ThrowsAny<ArgumentException>(() => Torch.Randn(64, 784).Matmul(Torch.Randn(100, 10))));
        StartsWithPyTorchs("mm_shapes", Assert.ThrowsAny<ArgumentException>(() => Torch.Randn(64, 784).Mm(Torch.Randn(100, 10))));
        StartsWithPyTorchs("matmul_3d_shapes", Assert.ThrowsAny<ArgumentException>(() => Torch.Randn(2, 3, 4).Matmul(Torch.Randn(5, 6))));
        StartsWithPyTorchs("linear_shapes", Assert.ThrowsAny<ArgumentException>(() => Functional.Linear(Torch.Randn(64, 784), Torch.Randn(10, 100))));
    }

    [Fact]
    public void BroadcastMismatchNamesSizesAndDimension()
    {
        StartsWithPyTorchs("broadcast", Assert.ThrowsAny<ArgumentException>(() => Torch.Randn(2, 3) + Torch.Randn(2, 4)));
        StartsWithPyTorchs("broadcast", Assert.ThrowsAny<ArgumentException>(() => Torch.Randn(2, 3).Mul_(Torch.Randn(2, 4))));
    }

    [Fact]
    public void RequiresGradOnAnIntegerTensorNamesTheDType()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Tensor(new[] { 1, 2 }).RequiresGrad_());
        StartsWithPyTorchs("requires_grad_int", e);
        Assert.Contains("torch.int64", e.Message);
    }

    [Fact]
    public void MeanOfAnIntegerTensorNamesTheDType() =>
        StartsWithPyTorchs("mean_int", Assert.ThrowsAny<ArgumentException>(() => Torch.Tensor(new[] { 1, 2 }).Mean()));

    [Fact]
    public void BackwardTwiceThroughFreedSavedTensors()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.ThrowsAny<InvalidOperationException>(() => y.Backward());
        Assert.StartsWith(Torch_("backward_twice")[..100], e.Message);
        Assert.Contains("retain_graph", e.Message);
    }

    [Fact]
    public void BackwardOfANonScalarWithoutGradient()
    {
        var e = Assert.ThrowsAny<InvalidOperationException>(() => (Torch.Ones([2], requiresGrad: true) * 2).Backward());
        StartsWithPyTorchs("backward_non_scalar", e);
        Assert.Contains("[2]", e.Message);
    }

    [Fact]
    public void BackwardOfATensorWithoutHistory() =>
        StartsWithPyTorchs("backward_no_grad", Assert.ThrowsAny<InvalidOperationException>(() => Torch.Ones(2).Sum().Backward()));

    [Fact]
    public void SavedTensorModifiedInPlaceNamesShapeNodeAndVersions()
    {
        var x = Torch.Ones([2, 3], requiresGrad: true);
        var y = x.Exp();
        y.Add_(1);
        var e = Assert.ThrowsAny<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation", e.Message);
        foreach (var fact in new[] { "[2, 3]", "ExpBackward0", "is at version 1; expected version 0 instead" })
        {
            Assert.Contains(fact, Torch_("modified_saved"));
            Assert.Contains(fact, e.Message);
        }
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGrad()
    {
        StartsWithPyTorchs("inplace_leaf", Assert.ThrowsAny<InvalidOperationException>(() => Torch.Ones([2], requiresGrad: true).Add_(1)));
        using (Torch.NoGrad()) Torch.Ones([2], requiresGrad: true).Add_(1); // allowed without grad, as optimizers do
    }

    [Fact]
    public void ViewIndexAndDimErrors()
    {
        StartsWithPyTorchs("view_invalid", Assert.ThrowsAny<InvalidOperationException>(() => Torch.Randn(2, 3).T().View(6)));
        StartsWithPyTorchs("index_out_of_range", Assert.ThrowsAny<IndexOutOfRangeException>(() => Torch.Randn(2, 3)[5]));
        StartsWithPyTorchs("cat_shapes", Assert.ThrowsAny<ArgumentException>(() => Torch.Cat([Torch.Randn(2, 3), Torch.Randn(2, 4)])));
        StartsWithPyTorchs("dim_out_of_range", Assert.ThrowsAny<IndexOutOfRangeException>(() => Torch.Randn(2, 3).Sum(dim: 2)));
    }

    [Fact]
    public void LoadStateDictNamesEveryMissingAndUnexpectedKeyAndShapeMismatch()
    {
        var golden = OpCases.Core.GetProperty("load_state_dict");
        var net = new Net();
        var sd = net.StateDict();
        var partial = sd.Where(kv => kv.Key != "head.weight").ToList();
        partial.Add(new("extra", Torch.Zeros(1)));
        Assert.Equal(golden.GetProperty("partial_strict_error").GetString(), Assert.Throws<StateDictException>(() => net.LoadStateDict(partial)).Message);

        var bad = sd.Where(kv => kv.Key != "temp").ToDictionary();
        bad["fc1.weight"] = Torch.Zeros(5, 3);
        bad["extra"] = Torch.Zeros(1);
        var e = Assert.Throws<StateDictException>(() => net.LoadStateDict(bad));
        Assert.Equal(golden.GetProperty("strict_all_errors").GetString(), e.Message);
        Assert.Equal(["temp"], e.MissingKeys);
        Assert.Equal(["extra"], e.UnexpectedKeys);
        Assert.Single(e.ShapeMismatches);

        // Shape mismatches throw even when not strict, and then nothing is loaded.
        var before = net.fc1.Bias!.ToArray<float>();
        bad["fc1.bias"] = Torch.Full([4], 9.0);
        var s = Assert.Throws<StateDictException>(() => net.LoadStateDict(bad, strict: false));
        Assert.Equal(golden.GetProperty("shape_mismatch_error").GetString(), s.Message);
        Assert.Equal(before, net.fc1.Bias!.ToArray<float>());
    }
}
