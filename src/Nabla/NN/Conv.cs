namespace Nabla.NN;

/// <summary>
/// What the convolution layers share (<c>torch.nn.modules.conv._ConvNd</c>): sizes stored as tuples, the weight
/// ([out, in/groups, *k], or [in, out/groups, *k] when transposed) and bias, PyTorch's default init and repr.
/// </summary>
public abstract class ConvNd : Module
{
    /// <summary>The kernel (state key <c>weight</c>).</summary>
    [StateName("weight")] public Parameter Weight;

    /// <summary>The per-output-channel bias, or null when built with bias: false (state key <c>bias</c>).</summary>
    [StateName("bias")] public Parameter? Bias;

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size as a tuple.</summary>
    public IntOrTuple KernelSize { get; }

    /// <summary>Stride as a tuple.</summary>
    public IntOrTuple Stride { get; }

    /// <summary>Padding as a tuple, or "same"/"valid".</summary>
    public ConvPadding Padding { get; }

    /// <summary>Dilation as a tuple.</summary>
    public IntOrTuple Dilation { get; }

    /// <summary>Whether this is a transposed convolution.</summary>
    public bool Transposed { get; }

    /// <summary>Extra size added to one side of a transposed convolution's output, as a tuple.</summary>
    public IntOrTuple OutputPadding { get; }

    /// <summary>Number of blocked connections from input to output channels.</summary>
    public long Groups { get; }

    /// <summary>Only "zeros" is supported.</summary>
    public string PaddingMode { get; }

    private protected ConvNd(int dims, long inChannels, long outChannels, IntOrTuple kernelSize, IntOrTuple stride, ConvPadding padding,
        IntOrTuple dilation, bool transposed, IntOrTuple outputPadding, long groups, bool bias, string paddingMode, DType dtype)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        if (paddingMode != "zeros")
            throw new NotSupportedException($"padding_mode '{paddingMode}' is not supported; only 'zeros' is");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize.AsTuple(dims, "kernel_size");
        Stride = stride.AsTuple(dims, "stride");
        Padding = padding.Mode is null ? padding.Sizes.AsTuple(dims, "padding") : padding;
        Dilation = dilation.AsTuple(dims, "dilation");
        if (padding.Mode == "same" && Stride.Values.Any(s => s != 1))
            throw new ArgumentException("padding='same' is not supported for strided convolutions");
        Transposed = transposed;
        OutputPadding = outputPadding.AsTuple(dims, "output_padding");
        Groups = groups;
        PaddingMode = paddingMode;
        long[] shape = transposed
            ? [inChannels, outChannels / groups, .. KernelSize.Values]
            : [outChannels, inChannels / groups, .. KernelSize.Values];
        Weight = new Parameter(Torch.Empty(shape, dtype));
        if (bias) Bias = new Parameter(Torch.Empty([outChannels], dtype));
        ResetParameters();
    }

    /// <summary>Re-draws the weight with kaiming_uniform_(a=√5), then the bias from U(±1/√fan_in) (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is null) return;
        var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
        if (fanIn == 0) return;
        double bound = 1 / Math.Sqrt(fanIn);
        Init.Uniform_(Bias, -bound, bound);
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        var s = $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}";
        if (Padding.Mode is not null || Padding.Sizes.Values.Any(v => v != 0)) s += $", padding={Padding}";
        if (Dilation.Values.Any(v => v != 1)) s += $", dilation={Dilation}";
        if (OutputPadding.Values.Any(v => v != 0)) s += $", output_padding={OutputPadding}";
        if (Groups != 1) s += $", groups={Groups}";
        if (Bias is null) s += ", bias=False";
        return s;
    }
}

/// <summary>1-D convolution over [N, C, L] inputs (<c>torch.nn.Conv1d</c>).</summary>
public class Conv1d : ConvNd
{
    /// <summary>Creates the layer (<c>nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros')</c>).</summary>
    public Conv1d(long inChannels, long outChannels, IntOrTuple kernelSize, IntOrTuple? stride = null, ConvPadding? padding = null, IntOrTuple? dilation = null,
        long groups = 1, bool bias = true, string paddingMode = "zeros", DType dtype = DType.Float32)
        : base(1, inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, false, 0, groups, bias, paddingMode, dtype) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv1d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}

/// <summary>2-D convolution over [N, C, H, W] inputs (<c>torch.nn.Conv2d</c>).</summary>
public class Conv2d : ConvNd
{
    /// <summary>Creates the layer (<c>nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros')</c>).</summary>
    public Conv2d(long inChannels, long outChannels, IntOrTuple kernelSize, IntOrTuple? stride = null, ConvPadding? padding = null, IntOrTuple? dilation = null,
        long groups = 1, bool bias = true, string paddingMode = "zeros", DType dtype = DType.Float32)
        : base(2, inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, false, 0, groups, bias, paddingMode, dtype) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}

/// <summary>2-D transposed convolution (<c>torch.nn.ConvTranspose2d</c>), the gradient of a Conv2d with respect to its input.</summary>
public class ConvTranspose2d : ConvNd
{
    /// <summary>
    /// Creates the layer (<c>nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros')</c>).
    /// </summary>
    public ConvTranspose2d(long inChannels, long outChannels, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, IntOrTuple? outputPadding = null,
        long groups = 1, bool bias = true, IntOrTuple? dilation = null, string paddingMode = "zeros", DType dtype = DType.Float32)
        : base(2, inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, true, outputPadding ?? 0, groups, bias, paddingMode, dtype) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
        => Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding.Sizes, OutputPadding, Groups, Dilation);
}
