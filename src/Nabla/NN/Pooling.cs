namespace Nabla.NN;

/// <summary>What the max-pooling layers share (<c>_MaxPoolNd</c>): sizes kept as given (an int stays an int in the repr); stride defaults to the kernel size.</summary>
public abstract class MaxPoolNd : Module
{
    /// <summary>Window size.</summary>
    public IntOrTuple KernelSize { get; }

    /// <summary>Window step (the kernel size unless given).</summary>
    public IntOrTuple Stride { get; }

    /// <summary>Implicit −∞ padding on both sides.</summary>
    public IntOrTuple Padding { get; }

    /// <summary>Spacing between window elements.</summary>
    public IntOrTuple Dilation { get; }

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }

    private protected MaxPoolNd(IntOrTuple kernelSize, IntOrTuple? stride, IntOrTuple? padding, IntOrTuple? dilation, bool ceilMode)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        CeilMode = ceilMode;
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
        => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={PythonRepr.Bool(CeilMode)}";
}

/// <summary>1-D max pooling (<c>torch.nn.MaxPool1d</c>).</summary>
public class MaxPool1d(IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, IntOrTuple? dilation = null, bool ceilMode = false)
    : MaxPoolNd(kernelSize, stride, padding, dilation, ceilMode)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}

/// <summary>2-D max pooling (<c>torch.nn.MaxPool2d</c>).</summary>
public class MaxPool2d(IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, IntOrTuple? dilation = null, bool ceilMode = false)
    : MaxPoolNd(kernelSize, stride, padding, dilation, ceilMode)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}

/// <summary>What the average-pooling layers share (<c>_AvgPoolNd</c>).</summary>
public abstract class AvgPoolNd : Module
{
    /// <summary>Window size.</summary>
    public IntOrTuple KernelSize { get; }

    /// <summary>Window step (the kernel size unless given).</summary>
    public IntOrTuple Stride { get; }

    /// <summary>Implicit zero padding on both sides.</summary>
    public IntOrTuple Padding { get; }

    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }

    /// <summary>Whether padded elements count in the divisor.</summary>
    public bool CountIncludePad { get; }

    private protected AvgPoolNd(IntOrTuple kernelSize, IntOrTuple stride, IntOrTuple padding, bool ceilMode, bool countIncludePad)
    {
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}";
}

/// <summary>1-D average pooling (<c>torch.nn.AvgPool1d</c>); its sizes are stored, and printed, as 1-tuples.</summary>
public class AvgPool1d(IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, bool ceilMode = false, bool countIncludePad = true)
    : AvgPoolNd(kernelSize.AsTuple(1, "kernel_size"), (stride ?? kernelSize).AsTuple(1, "stride"), (padding ?? 0).AsTuple(1, "padding"), ceilMode, countIncludePad)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool1d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);
}

/// <summary>2-D average pooling (<c>torch.nn.AvgPool2d</c>).</summary>
public class AvgPool2d(IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null)
    : AvgPoolNd(kernelSize, stride ?? kernelSize, padding ?? 0, ceilMode, countIncludePad)
{
    /// <summary>Fixed divisor instead of the window size, when given.</summary>
    public long? DivisorOverride { get; } = divisorOverride;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);
}

/// <summary>Average pooling to a fixed output size whatever the input size (<c>torch.nn.AdaptiveAvgPool2d</c>).</summary>
public class AdaptiveAvgPool2d : Module
{
    private readonly long? _height, _width;
    private readonly string _repr;

    /// <summary>Pools to <paramref name="outputSize"/> (an int for a square output, or a pair).</summary>
    public AdaptiveAvgPool2d(IntOrTuple outputSize)
    {
        var s = outputSize.Expand(2, "output_size");
        (_height, _width) = (s[0], s[1]);
        _repr = outputSize.ToString();
    }

    /// <summary>Pools to (height, width), a null size keeping the input's (<c>output_size=(None, 7)</c>).</summary>
    public AdaptiveAvgPool2d(long? outputHeight, long? outputWidth)
    {
        (_height, _width) = (outputHeight, outputWidth);
        _repr = PythonRepr.Tuple([outputHeight, outputWidth]);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, _height, _width);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"output_size={_repr}";
}
