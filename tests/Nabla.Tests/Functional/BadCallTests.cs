using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.FunctionalParity;

/// <summary>
/// Bad calls throw with PyTorch's message (first line, from goldens/functional.json "errors"): IndexError
/// becomes IndexOutOfRangeException, ValueError and RuntimeError become ArgumentException.
/// </summary>
public class BadCallTests
{
    private static readonly Tensor X = Torch.Randn(4, 3);
    private static readonly Tensor T4 = Torch.Tensor(new long[] { 0, 1, 2, 1 });

    private static readonly Dictionary<string, Action> s_calls = new()
    {
        ["cross_entropy_int32_target"] = () => F.CrossEntropy(X, T4.Int()),
        ["cross_entropy_float_index_target"] = () => F.CrossEntropy(X, T4.Float()),
        ["cross_entropy_long_probabilities"] = () => F.CrossEntropy(X, Torch.Zeros([4, 3], DType.Int64)),
        ["cross_entropy_class_out_of_range"] = () => F.CrossEntropy(X, Torch.Tensor(new long[] { 0, 1, 3, 1 })),
        ["cross_entropy_negative_class"] = () => F.CrossEntropy(X, Torch.Tensor(new long[] { 0, 1, -2, 1 })),
        ["cross_entropy_batch_mismatch"] = () => F.CrossEntropy(X, Torch.Tensor(new long[] { 0, 1, 2 })),
        ["cross_entropy_probabilities_ignore_index"] = () => F.CrossEntropy(X, Torch.Rand(4, 3), ignoreIndex: 1),
        ["cross_entropy_weight_shape"] = () => F.CrossEntropy(X, T4, weight: Torch.Ones(4)),
        ["cross_entropy_smoothing_range"] = () => F.CrossEntropy(X, T4, labelSmoothing: 1.5),
        ["nll_loss_float_target"] = () => F.NllLoss(X, T4.Float()),
        ["nll_loss_class_out_of_range"] = () => F.NllLoss(X, Torch.Tensor(new long[] { 0, 1, 5, 1 })),
        ["nll_loss_batch_mismatch"] = () => F.NllLoss(X, Torch.Tensor(new long[] { 0, 1 })),
        ["nll_loss_3d_target_shape"] = () => F.NllLoss(Torch.Randn(2, 3, 4), Torch.Zeros([2, 5], DType.Int64)),
        ["mse_loss_shape"] = () => F.MseLoss(X, Torch.Rand(4, 4)),
        ["l1_loss_shape"] = () => F.L1Loss(X, Torch.Rand(4, 4)),
        ["smooth_l1_loss_shape"] = () => F.SmoothL1Loss(X, Torch.Rand(4, 4)),
        ["huber_loss_shape"] = () => F.HuberLoss(X, Torch.Rand(4, 4)),
        ["kl_div_shape"] = () => F.KlDiv(X, Torch.Rand(4, 4)),
        ["binary_cross_entropy_shape"] = () => F.BinaryCrossEntropy(X.Sigmoid(), Torch.Rand(4, 4)),
        ["binary_cross_entropy_range"] = () => F.BinaryCrossEntropy(Torch.Full([4, 3], 3.0), Torch.Rand(4, 3)),
        ["binary_cross_entropy_with_logits_shape"] = () => F.BinaryCrossEntropyWithLogits(X, Torch.Rand(4, 4)),
        ["smooth_l1_loss_negative_beta"] = () => F.SmoothL1Loss(X, X, beta: -1),
        ["huber_loss_zero_delta"] = () => F.HuberLoss(X, X, delta: 0),
        ["mse_loss_bad_reduction"] = () => F.MseLoss(X, X, reduction: "avg"),
        ["one_hot_float"] = () => F.OneHot(T4.Float()),
        ["one_hot_too_few_classes"] = () => F.OneHot(T4, 2),
        ["one_hot_negative"] = () => F.OneHot(Torch.Tensor(new long[] { -1 })),
        ["pad_odd_length"] = () => F.Pad(X, [1]),
        ["pad_reflect_too_wide"] = () => F.Pad(X.Unsqueeze(0), [3, 3], mode: "reflect"),
        ["split_sizes_sum"] = () => X.Split([1, 1], 0),
        ["chunk_zero"] = () => X.Chunk(0),
        ["topk_too_many"] = () => X.TopK(4),
        ["scatter_int32_index"] = () => X.Scatter(0, Torch.Zeros([2, 3], DType.Int32), X),
        ["scatter_dtype_mismatch"] = () => X.Scatter(0, Torch.Zeros([2, 3], DType.Int64), X.Double()),
        ["scatter_index_too_big"] = () => X.Scatter(0, Torch.Zeros([5, 3], DType.Int64), X),
        ["masked_fill_value_not_0d"] = () => X.MaskedFill(X > 0.0, Torch.Ones(2)),
        ["einsum_size_mismatch"] = () => Torch.Einsum("ij,jk->ik", X, X),
        ["repeat_too_few"] = () => X.Repeat(2),
        ["softmax_dim_out_of_range"] = () => F.Softmax(X, 2),
        ["softmax_integer"] = () => F.Softmax(T4, 0),
        ["gelu_approximate"] = () => F.Gelu(X, approximate: "foo"),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var e in Goldens.Load("functional").GetProperty("errors").EnumerateObject()) data.Add(e.Name);
        return data;
    }

    [Fact]
    public void EveryGoldenBadCallIsTried() => Assert.Equal(Goldens.Load("functional").GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(), s_calls.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void BadCallThrowsPyTorchsMessage(string name)
    {
        var golden = Goldens.Load("functional").GetProperty("errors").GetProperty(name);
        string message = golden.GetProperty("message").GetString()!;
        var e = Assert.ThrowsAny<Exception>(s_calls[name]);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        if (golden.GetProperty("type").GetString() == "IndexError") Assert.IsType<IndexOutOfRangeException>(e);
        else Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void LossModulesCheckTheReductionWhenBuilt() => Assert.Throws<ArgumentException>(() => new MSELoss("avg"));
}
