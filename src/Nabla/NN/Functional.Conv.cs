using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla.NN;

// Convolutions: one ConvolutionBackward0 node per call, im2col + GEMM kernels (Kernels/Convolution.cs) forward and backward.
public static partial class Functional
{
    /// <summary>
    /// 1-D convolution (<c>F.conv1d(input, weight, bias, stride, padding, dilation, groups)</c>) of an [N, C, L] or
    /// unbatched [C, L] input with a [out, C/groups, k] weight; padding an int, a tuple, "same" or "valid".
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, IntOrTuple? stride = null, ConvPadding? padding = null, IntOrTuple? dilation = null, long groups = 1)
        => Convolution("conv1d", 1, input, weight, bias, stride, padding ?? 0, dilation, groups, transposed: false, outputPadding: null);

    /// <summary>
    /// 2-D convolution (<c>F.conv2d(input, weight, bias, stride, padding, dilation, groups)</c>) of an [N, C, H, W] or
    /// unbatched [C, H, W] input with an [out, C/groups, kh, kw] weight; zero padding given as an int, a tuple, "same" or "valid".
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, IntOrTuple? stride = null, ConvPadding? padding = null, IntOrTuple? dilation = null, long groups = 1)
        => Convolution("conv2d", 2, input, weight, bias, stride, padding ?? 0, dilation, groups, transposed: false, outputPadding: null);

    /// <summary>
    /// 2-D transposed convolution (<c>F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)</c>)
    /// with an [in, out/groups, kh, kw] weight: output size (H − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, IntOrTuple? stride = null, IntOrTuple? padding = null,
        IntOrTuple? outputPadding = null, long groups = 1, IntOrTuple? dilation = null)
        => Convolution("conv_transpose2d", 2, input, weight, bias, stride, padding ?? 0, dilation, groups, transposed: true, outputPadding);

    // Per-op sizes, each as (height, width); a 1-D op has a trivial height.
    private sealed record ConvPlan(bool Transposed, long Groups, long[] Stride, long[] PadBegin, long[] PadEnd, long[] Dilation, long[] OutputPadding);

    private static Tensor Convolution(string kind, int dims, Tensor input, Tensor weight, Tensor? bias, IntOrTuple? stride, ConvPadding padding,
        IntOrTuple? dilation, long groups, bool transposed, IntOrTuple? outputPadding)
    {
        if (input.Dim == dims + 1)
        {
            // Unbatched: PyTorch adds and removes a batch dimension around the op (grad_fn SqueezeBackward1).
            Tensor r;
            using (Trace.Suspend()) r = Convolution(kind, dims, input.Unsqueeze(0), weight, bias, stride, padding, dilation, groups, transposed, outputPadding).Squeeze(0);
            if (Trace.Active)
                Trace.Record(kind, bias is null ? [input, weight] : [input, weight, bias], r,
                    ConvAttributes(weight, BuildPlan(kind, dims, weight, stride, padding, dilation, groups, transposed, outputPadding), dims));
            return r;
        }
        if (input.Dim != dims + 2)
            throw new ArgumentException($"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {kind}, but got input of size: {Shapes.Format(input._shape)}");
        var plan = BuildPlan(kind, dims, weight, stride, padding, dilation, groups, transposed, outputPadding);
        CheckConvOperands(input, weight, bias, plan, dims);
        var (layout, outShape) = ConvLayout(input, weight, plan, dims);
        var output = ConvProduct(input, weight, layout, outShape, toMatrix: !transposed);
        if (bias is not null) AddBias(output, bias);

        var saved = bias is null ? new[] { input, weight } : new[] { input, weight, bias };
        if (Graph.Needs(saved))
            Graph.Record("ConvolutionBackward0", output, saved, g =>
            {
                var gc = GradMode.IsEnabled ? g : g.Detach().ContiguousRaw();
                // The gradient of a product is the other two products: conv (image=input) vs transposed (image=output).
                var shapes = new ConvShapes(layout, transposed ? outShape : input._shape, transposed ? input._shape : outShape, weight._shape);
                Tensor? gx = input.RequiresGrad ? ConvBilinear(transposed ? ConvPart.ImageToMatrix : ConvPart.MatrixToImage, gc, weight, shapes) : null;
                Tensor? gw = weight.RequiresGrad ? ConvBilinear(ConvPart.WeightGrad, transposed ? gc : input, transposed ? input : gc, shapes) : null;
                Tensor? gb = bias is { RequiresGrad: true } ? gc.Sum(dims == 1 ? [0, 2] : [0, 2, 3]) : null;
                return [gx, gw, gb];
            }, saved);
        if (Trace.Active) Trace.Record(kind, saved, output, ConvAttributes(weight, plan, dims));
        return output;
    }

    private static ConvPlan BuildPlan(string kind, int dims, Tensor weight, IntOrTuple? stride, ConvPadding padding,
        IntOrTuple? dilation, long groups, bool transposed, IntOrTuple? outputPadding)
    {
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        if (weight.Dim != dims + 2)
            throw new ArgumentException($"{kind}: expected a {dims + 2}-D weight, but got weight of size {Shapes.Format(weight._shape)}");
        var s = Lift((stride ?? 1).Expand(dims, "stride"), dims, 1);
        var d = Lift((dilation ?? 1).Expand(dims, "dilation"), dims, 1);
        var op = Lift((outputPadding ?? 0).Expand(dims, "output_padding"), dims, 0);
        foreach (var v in s) if (v <= 0) throw new ArgumentException("non-positive stride is not supported");
        foreach (var v in d) if (v <= 0) throw new ArgumentException("dilation should be greater than zero");
        long[] begin, end;
        if (padding.Mode == "same")
        {
            foreach (var v in s) if (v != 1) throw new ArgumentException("padding='same' is not supported for strided convolutions");
            // Total padding d·(k−1) per dim; an odd total puts the extra element at the end, as PyTorch does.
            var k = Lift(weight._shape[2..], dims, 1);
            begin = new long[2];
            end = new long[2];
            for (int i = 0; i < 2; i++)
            {
                long total = d[i] * (k[i] - 1);
                begin[i] = total / 2;
                end[i] = total - total / 2;
            }
        }
        else
        {
            begin = padding.Mode == "valid" ? [0, 0] : Lift(padding.Sizes.Expand(dims, "padding"), dims, 0);
            end = (long[])begin.Clone();
        }
        foreach (var v in begin) if (v < 0) throw new ArgumentException("negative padding is not supported");
        if (transposed)
            for (int i = 0; i < 2; i++)
                if (op[i] >= s[i] && op[i] >= d[i])
                    throw new ArgumentException(
                        $"output padding must be smaller than either stride or dilation, but got output_padding: {PythonRepr.Tuple(op[(2 - dims)..])} stride: {PythonRepr.Tuple(s[(2 - dims)..])} dilation: {PythonRepr.Tuple(d[(2 - dims)..])}");
        return new ConvPlan(transposed, groups, s, begin, end, d, op);
    }

    // A 1-D size as (1, v): the kernels are 2-D and a 1-D op is a 2-D op of height 1.
    private static long[] Lift(long[] values, int dims, long heightValue) => dims == 2 ? values : [heightValue, values[0]];

    private static void CheckConvOperands(Tensor input, Tensor weight, Tensor? bias, ConvPlan plan, int dims)
    {
        if (!input.DType.IsFloatingPoint() || input.DType != weight.DType || (bias is not null && bias.DType != input.DType))
            throw new ArgumentException(
                $"convolution: input ({input.DType.TorchName()}), weight ({weight.DType.TorchName()}){(bias is null ? "" : $" and bias ({bias.DType.TorchName()})")} must have the same floating point dtype");
        long g = plan.Groups;
        long inChannels = input._shape[1];
        long weightIn = plan.Transposed ? weight._shape[0] : weight._shape[1] * g;
        long outChannels = plan.Transposed ? weight._shape[1] * g : weight._shape[0];
        if (!plan.Transposed && weight._shape[0] % g != 0)
            throw new ArgumentException($"Given groups={g}, expected weight to be divisible by {g} at dimension 0, but got weight of size {Shapes.Format(weight._shape)} instead");
        if (plan.Transposed && weight._shape[0] % g != 0)
            throw new ArgumentException($"Given transposed=1, groups={g}, expected weight to be divisible by {g} at dimension 0, but got weight of size {Shapes.Format(weight._shape)} instead");
        if (inChannels != weightIn)
            throw new ArgumentException(plan.Transposed
                ? $"Given transposed=1, weight of size {Shapes.Format(weight._shape)}, expected input{Shapes.Format(input._shape)} to have {weightIn} channels, but got {inChannels} channels instead"
                : $"Given groups={g}, weight of size {Shapes.Format(weight._shape)}, expected input{Shapes.Format(input._shape)} to have {weightIn} channels, but got {inChannels} channels instead");
        if (bias is not null && (bias.Dim != 1 || bias._shape[0] != outChannels))
            throw new ArgumentException($"Given weight of size {Shapes.Format(weight._shape)}, expected bias to be 1-dimensional with {outChannels} elements, but got bias of size {Shapes.Format(bias._shape)} instead");
        if (!plan.Transposed)
        {
            var inSize = Lift(input._shape[2..], dims, 1);
            var k = Lift(weight._shape[2..], dims, 1);
            for (int i = 0; i < 2; i++)
                if (inSize[i] + plan.PadBegin[i] + plan.PadEnd[i] < plan.Dilation[i] * (k[i] - 1) + 1)
                {
                    var padded = Enumerable.Range(0, 2).Select(j => inSize[j] + plan.PadBegin[j] + plan.PadEnd[j]).ToArray()[(2 - dims)..];
                    var eff = Enumerable.Range(0, 2).Select(j => plan.Dilation[j] * (k[j] - 1) + 1).ToArray()[(2 - dims)..];
                    throw new ArgumentException(
                        $"Calculated padded input size per channel: ({string.Join(" x ", padded)}). Kernel size: ({string.Join(" x ", eff)}). Kernel size can't be greater than actual input size");
                }
        }
    }

    private static (Kernels.Convolution.Layout Layout, long[] OutShape) ConvLayout(Tensor input, Tensor weight, ConvPlan plan, int dims)
    {
        var inSize = Lift(input._shape[2..], dims, 1);
        var k = Lift(weight._shape[2..], dims, 1);
        var outSize = new long[2];
        for (int i = 0; i < 2; i++)
            outSize[i] = plan.Transposed
                ? (inSize[i] - 1) * plan.Stride[i] - plan.PadBegin[i] - plan.PadEnd[i] + plan.Dilation[i] * (k[i] - 1) + plan.OutputPadding[i] + 1
                : (inSize[i] + plan.PadBegin[i] + plan.PadEnd[i] - plan.Dilation[i] * (k[i] - 1) - 1) / plan.Stride[i] + 1;
        if (outSize[0] <= 0 || outSize[1] <= 0)
            throw new ArgumentException($"Given input size per channel {PythonRepr.Tuple(inSize[(2 - dims)..])}, the calculated output size {PythonRepr.Tuple(outSize[(2 - dims)..])} is too small");
        long g = plan.Groups;
        long outChannels = plan.Transposed ? weight._shape[1] * g : weight._shape[0];
        // The image side is the input of a convolution and the output of a transposed one.
        var image = plan.Transposed ? outSize : inSize;
        var grid = plan.Transposed ? inSize : outSize;
        var window = new Window2d((int)image[0], (int)image[1], (int)k[0], (int)k[1], (int)plan.Stride[0], (int)plan.Stride[1],
            (int)plan.PadBegin[0], (int)plan.PadBegin[1], (int)plan.Dilation[0], (int)plan.Dilation[1], (int)grid[0], (int)grid[1]);
        long imageChannels = (plan.Transposed ? outChannels : input._shape[1]) / g;
        long rows = (plan.Transposed ? input._shape[1] : outChannels) / g;
        var layout = new Kernels.Convolution.Layout((int)input._shape[0], (int)g, (int)imageChannels, (int)rows, window);
        long[] outShape = dims == 2 ? [input._shape[0], outChannels, outSize[0], outSize[1]] : [input._shape[0], outChannels, outSize[1]];
        return (layout, outShape);
    }

    // The image→matrix or matrix→image product of `source` with the weight, into a new tensor of `shape`.
    private static Tensor ConvProduct(Tensor source, Tensor weight, Kernels.Convolution.Layout layout, long[] shape, bool toMatrix)
    {
        var r = Tensor.Empty(shape, source.DType);
        if (source.DType == DType.Float32) Run<float>();
        else Run<double>();
        return r;

        void Run<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            var src = source.ContiguousRaw().Compact<T>();
            var w = weight.ContiguousRaw().Compact<T>();
            if (toMatrix) Kernels.Convolution.ImageToMatrix(src, w, r.StorageArray<T>(), layout);
            else Kernels.Convolution.MatrixToImage(src, w, r.StorageArray<T>(), layout);
        }
    }

    private static Tensor ConvWeightGrad(Tensor image, Tensor matrix, long[] weightShape, Kernels.Convolution.Layout layout)
    {
        var r = Tensor.Empty(weightShape, image.DType);
        if (image.DType == DType.Float32) Run<float>();
        else Run<double>();
        return r;

        void Run<T>() where T : unmanaged, System.Numerics.INumber<T>
            => Kernels.Convolution.WeightGrad(image.ContiguousRaw().Compact<T>(), matrix.ContiguousRaw().Compact<T>(), r.StorageArray<T>(), layout);
    }

    private static void AddBias(Tensor output, Tensor bias)
    {
        int batch = (int)output._shape[0], channels = (int)output._shape[1];
        int plane = (int)(output.Numel() / Math.Max(1, (long)batch * channels));
        if (output.DType == DType.Float32) Kernels.Convolution.AddChannelBias(output.MutableSpan<float>(), batch, channels, plane, bias.Span<float>());
        else Kernels.Convolution.AddChannelBias(output.MutableSpan<double>(), batch, channels, plane, bias.Span<double>());
    }

    private static Dictionary<string, object> ConvAttributes(Tensor weight, ConvPlan plan, int dims)
    {
        int skip = 2 - dims;
        var attrs = new Dictionary<string, object>
        {
            ["kernel_shape"] = weight._shape[2..],
            ["strides"] = plan.Stride[skip..],
            ["pads"] = (long[])[.. plan.PadBegin[skip..], .. plan.PadEnd[skip..]],
            ["dilations"] = plan.Dilation[skip..],
            ["group"] = plan.Groups,
        };
        if (plan.Transposed) attrs["output_padding"] = plan.OutputPadding[skip..];
        return attrs;
    }
}
