using Nabla.NN;
using Nabla.Tracing;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Layers;

/// <summary>Bad arguments fail with PyTorch's messages; size arguments print as PyTorch's; layers trace as one op; refused double backward is loud.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class LayerErrorTests
{
    private static void Fails<TException>(string message, Action action) where TException : Exception
        => Assert.Equal(message, Assert.Throws<TException>(action).Message);

    [Fact]
    public void ShapeErrorsCarryPyTorchsMessages()
    {
        Fails<ArgumentException>("Given groups=1, weight of size [4, 3, 3, 3], expected input[2, 5, 8, 8] to have 3 channels, but got 5 channels instead",
            () => F.Conv2d(Torch.Randn(2, 5, 8, 8), Torch.Randn(4, 3, 3, 3)));
        Fails<ArgumentException>("padding='same' is not supported for strided convolutions", () => new Conv2d(1, 2, 3, stride: 2, padding: "same"));
        Fails<ArgumentException>("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
            () => F.Conv2d(Torch.Randn(1, 1, 2, 2), Torch.Randn(1, 1, 3, 3)));
        Fails<ArgumentException>("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]",
            () => F.Conv2d(Torch.Randn(2, 3), Torch.Randn(4, 3, 3, 3)));
        Fails<ArgumentException>("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small",
            () => F.MaxPool2d(Torch.Randn(1, 1, 2, 2), 3));
        Fails<ArgumentException>("pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
            () => F.MaxPool2d(Torch.Randn(1, 1, 5, 5), 2, padding: 2));
        Fails<ArgumentException>("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])",
            () => F.BatchNorm(Torch.Randn(1, 3), null, null, training: true));
        Fails<ArgumentException>("expected 4D input (got 3D input)", () => new BatchNorm2d(3).Call(Torch.Randn(2, 3, 4)));
        Fails<ArgumentException>("Given normalized_shape=[6], expected input with shape [*, 6], but got input of size[2, 5]",
            () => F.LayerNorm(Torch.Randn(2, 5), 6));
        Fails<ArgumentException>("Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 4] and num_groups=4",
            () => F.GroupNorm(Torch.Randn(2, 6, 4), 4));
        Fails<IndexOutOfRangeException>("index out of range in self", () => F.Embedding(Torch.Tensor(new long[] { 10 }), Torch.Randn(10, 3)));
        Fails<ArgumentException>("dropout probability has to be between 0 and 1, but got 1.5", () => new Dropout(1.5));
    }

    [Fact]
    public void BackwardThroughKernelBackwardsWithCreateGraphGivesGraphGradients()
    {
        // Once refused; now conv's gradient is itself differentiable (second derivatives: Autograd/ and LayerGradCheckTests).
        var x = Torch.Randn([1, 1, 4, 4], requiresGrad: true);
        var y = F.Conv2d(x, Torch.Randn([1, 1, 3, 3], requiresGrad: true)).Sum();
        y.Backward(createGraph: true);
        Assert.Equal("ConvolutionBackwardBackward0", x.Grad!.GradFn?.Name);
    }

    [Fact]
    public void EachLayerTracesAsOneOpWithItsAttributes()
    {
        var model = new Sequential(new Conv2d(1, 2, 3, padding: 1), new MaxPool2d(2), new BatchNorm2d(2), new Flatten(), new Dropout(), new LayerNorm(8));
        model.Eval();
        using var session = Trace.Begin();
        model.Call(Torch.Randn(1, 1, 4, 4));
        Assert.Equal(["conv2d", "max_pool2d", "batch_norm", "reshape", "layer_norm"], session.Ops.Select(o => o.Kind));
        var conv = session.Ops[0];
        Assert.Equal([1L, 1L, 1L, 1L], (long[])conv.Attributes["pads"]);
        Assert.Equal([3L, 3L], (long[])conv.Attributes["kernel_shape"]);
        Assert.Equal(3, conv.Inputs.Length);
    }

    [Fact]
    public void OneDimensionalLayersEmbeddingAndTrainingBatchNormTraceAsOneOpEach()
    {
        var model = new Sequential(new Conv1d(2, 2, 3), new MaxPool1d(2), new AvgPool1d(2), new BatchNorm1d(2));
        var embedding = new Embedding(5, 3);
        using var session = Trace.Begin();
        model.Call(Torch.Randn(2, 2, 11));
        embedding.Call(Torch.Tensor(new long[,] { { 1, 2 } }));
        Assert.Equal(["conv1d", "max_pool1d", "avg_pool1d", "batch_norm", "embedding"], session.Ops.Select(o => o.Kind));
        Assert.Equal([2L], (long[])session.Ops[1].Attributes["kernel_shape"]);
    }

    [Fact]
    public void SizesAcceptIntsTuplesAndCollectionsAndPrintAsGiven()
    {
        Assert.Equal("Conv2d(1, 1, kernel_size=(3, 2), stride=(2, 2), padding=(1, 0))", new Conv2d(1, 1, [3, 2], stride: 2, padding: [1, 0]).ToString());
        // A collection prints as the tuple PyTorch would hold.
        Assert.Equal("MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0, dilation=1, ceil_mode=False)", new MaxPool2d([2, 3]).ToString());
        Assert.Equal("(7,)", ((IntOrTuple)new long[] { 7 }).ToString());
        Assert.Equal("5", ((IntOrTuple)5).ToString());
    }
}
