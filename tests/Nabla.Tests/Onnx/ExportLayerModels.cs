using Nabla.NN;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Conv2d, BatchNorm2d, ReLU, MaxPool2d, a grouped dilated padded Conv2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten,
/// Linear, LogSoftmax. <see cref="Trained"/> runs two training-mode forwards first, so the running statistics that
/// the eval-mode export reads are not the initial zeros and ones.
/// </summary>
internal sealed class SmallCnn : Module
{
    public Conv2d conv1 = new(3, 8, 3, padding: 1);
    public BatchNorm2d bn = new(8);
    public ReLU relu = new();
    public MaxPool2d pool = new(2);
    public Conv2d conv2 = new(8, 8, 3, padding: 2, dilation: 2, groups: 4);
    public AvgPool2d avg = new(2);
    public AdaptiveAvgPool2d gap = new(1);
    public Flatten flatten = new();
    public Linear fc = new(8, 5);
    public LogSoftmax logSoftmax = new(1);

    public static SmallCnn Trained()
    {
        var model = new SmallCnn();
        using (Torch.NoGrad())
            for (int i = 0; i < 2; i++) model.Call(Torch.Randn(4, 3, 12, 12) * 2.0 + 1.0);
        return model;
    }

    public override Tensor Forward(Tensor x)
    {
        var h = pool.Call(relu.Call(bn.Call(conv1.Call(x))));
        h = gap.Call(avg.Call(conv2.Call(h)));
        return logSoftmax.Call(fc.Call(flatten.Call(h)));
    }
}

/// <summary>Embedding, LayerNorm, GELU (exact), Linear, GELU (tanh), Linear, Softmax over token ids.</summary>
internal sealed class SequenceNet : Module
{
    public Embedding embed = new(10, 8);
    public LayerNorm norm = new(8);
    public GELU gelu = new();
    public Linear fc1 = new(8, 8);
    public GELU geluTanh = new("tanh");
    public Linear fc2 = new(8, 6);
    public Softmax softmax = new(-1);

    public override Tensor Forward(Tensor tokens)
        => softmax.Call(fc2.Call(geluTanh.Call(fc1.Call(gelu.Call(norm.Call(embed.Call(tokens)))))));
}

/// <summary>GroupNorm, ConvTranspose2d, Dropout (eval: the identity), Flatten, Conv1d, MaxPool1d with ceil_mode.</summary>
internal sealed class DecoderNet : Module
{
    public GroupNorm norm = new(2, 4);
    public ConvTranspose2d up = new(4, 3, 3, stride: 2, padding: 1, outputPadding: 1);
    public Dropout dropout = new(0.3);
    public Conv1d conv = new(3, 4, 5, stride: 2, padding: 2);
    public MaxPool1d pool = new(3, stride: 2, ceilMode: true);

    public override Tensor Forward(Tensor x)
    {
        var h = dropout.Call(up.Call(norm.Call(x)));                 // [N, 3, 12, 12]
        return pool.Call(conv.Call(h.Flatten(2)));                    // [N, 4, 36]
    }
}

/// <summary>The functional forms of the layer ops and the losses, with the options each lowering handles differently, each result a graph output.</summary>
internal sealed class EveryLayerOp : Module
{
    public Parameter convWeight = new(Torch.Randn(4, 3, 2, 3) * 0.3);
    public Parameter conv1dWeight = new(Torch.Randn(6, 1, 3) * 0.3);
    public Parameter conv1dBias = new(Torch.Randn(6) * 0.1);
    public Parameter upWeight = new(Torch.Randn(3, 2, 3, 3) * 0.3);
    public Parameter channelWeight = new(Torch.Rand(3) + 0.5);
    public Parameter channelBias = new(Torch.Randn(3) * 0.1);
    public Parameter planeWeight = new(Torch.Rand(7, 7) + 0.5);
    public Parameter planeBias = new(Torch.Randn(7, 7) * 0.1);
    public Parameter table = new(Torch.Randn(6, 4));
    public Tensor runningMean = Torch.Randn(3) * 0.1;
    public Tensor runningVar = Torch.Rand(3) + 0.5;
    public Tensor classes = Torch.Tensor(new long[] { 1, 0, 4, 1 });
    public Tensor pixelClasses = Torch.Tensor(new long[,] { { 0, 4, 2 }, { 1, 1, 3 } });
    public Tensor classWeight = Torch.Rand(5) + 0.5;
    public Tensor tokens = Torch.Tensor(new long[,] { { 5, 0, 2 }, { 2, 3, 5 } });

    /// <summary>An image batch [2, 3, 7, 7], a sequence batch [2, 3, 9], logits [4, 5] and per-position logits [2, 5, 3].</summary>
    public static Tensor[] ExampleInputs() => [Torch.Randn(2, 3, 7, 7), Torch.Randn(2, 3, 9), Torch.Randn(4, 5), Torch.Randn(2, 5, 3)];

    public Tensor[] Outputs(Tensor[] inputs)
    {
        var (img, seq, logits, pixels) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        var logp = Functional.LogSoftmax(logits, 1);
        var probs = Functional.Softmax(logits * 0.5, 1);
        var columns = Functional.Softmax(logits, 0);
        var (a, b) = (logits, logits * 0.7 + 0.3);
        var (pooled, indices) = Functional.MaxPool2dWithIndices(img, 3, stride: 2, padding: 1, ceilMode: true);
        var dropped = Functional.Dropout(img, 0.5, training: true) * 0.5;
        return
        [
            // convolutions: unbatched with asymmetric "same" padding, grouped 1-D with stride, transposed with dilation
            Functional.Conv2d(img[0], convWeight, padding: "same"),
            Functional.Conv1d(seq, conv1dWeight, conv1dBias, stride: 2, padding: 1, groups: 3),
            Functional.ConvTranspose2d(img, upWeight, null, stride: 2, padding: 1, outputPadding: 1, dilation: 2),
            // pooling: ceil mode, indices, dilation, unbatched, padding counted or not, divisor override, adaptive
            pooled, indices, Functional.MaxPool2d(img[0], 2, dilation: 2),
            Functional.MaxPool1d(seq, 2, ceilMode: true), Functional.MaxPool1d(seq[0], 3, stride: 1, padding: 1),
            Functional.AvgPool2d(img, 3, stride: 2, padding: 1, ceilMode: true),
            Functional.AvgPool2d(img, 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
            Functional.AvgPool2d(img, 2, padding: 1, divisorOverride: 3),
            Functional.AvgPool1d(seq, 2, padding: 1, countIncludePad: false), Functional.AvgPool1d(seq, 4, ceilMode: true),
            Functional.AdaptiveAvgPool2d(img[.., .., ..6, ..6], 3), Functional.AdaptiveAvgPool2d(img[0], 1), Functional.AdaptiveAvgPool2d(img, 1, 7),
            // normalisation: batch statistics with affine, running statistics without; multi-dim layer norm; group norm
            Functional.BatchNorm(img, null, null, channelWeight, channelBias, training: true),
            Functional.BatchNorm(seq, runningMean, runningVar),
            Functional.LayerNorm(seq, 9), Functional.LayerNorm(img, new long[] { 7, 7 }, planeWeight, planeBias),
            Functional.GroupNorm(img, 3), Functional.GroupNorm(seq, 1, channelWeight, channelBias, eps: 1e-3),
            // lookups, padding, one-hot, training-mode dropout (each element dropped or scaled by 2, whichever mask ONNX draws)
            Functional.Embedding(tokens, table), Functional.Embedding(tokens.To(DType.Int32), table),
            Functional.Pad(seq, [2, -1]), Functional.Pad(img, [1, 2, 0, 1], value: 0.5), Functional.Pad(img, [2, 1, 1, 2], "reflect"),
            Functional.Pad(seq, [3, 1], "replicate"), Functional.OneHot(classes, 6), Functional.OneHot(logits.Argmax(1)),
            dropped.Eq(0.0) | dropped.Eq(img),
            // losses
            Functional.NllLoss(logp, classes), Functional.NllLoss(logp, classes, reduction: "sum"), Functional.NllLoss(logp, classes, reduction: "none"),
            Functional.NllLoss(logp, classes, classWeight, ignoreIndex: 1), Functional.NllLoss(logp[0], classes[0], reduction: "none"),
            Functional.NllLoss(Functional.LogSoftmax(pixels, 1), pixelClasses), Functional.CrossEntropy(pixels, pixelClasses, reduction: "none"),
            Functional.CrossEntropy(logits, classes), Functional.CrossEntropy(logits, probs),
            Functional.CrossEntropy(logits, classes, classWeight, labelSmoothing: 0.1),
            Functional.KlDiv(logp, probs, "batchmean"), Functional.KlDiv(logp, probs.Log(), logTarget: true),
            Functional.SmoothL1Loss(a, b), Functional.SmoothL1Loss(a, b, "none", beta: 0.5), Functional.SmoothL1Loss(a, b, "sum", beta: 0),
            Functional.HuberLoss(a, b), Functional.HuberLoss(a, b, "none", delta: 0.7),
            Functional.BinaryCrossEntropy(probs, columns), Functional.BinaryCrossEntropy(probs, columns, classWeight, "none"),
            Functional.BinaryCrossEntropyWithLogits(a, probs), Functional.BinaryCrossEntropyWithLogits(a, probs, classWeight, "sum", posWeight: classWeight * 2.0),
        ];
    }

    public override Tensor Forward(Tensor[] xs) => Outputs(xs)[0];
}
