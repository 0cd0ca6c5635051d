using System.Numerics;
using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla.NN;

// Pooling over the last one or two dims; the 1-D forms are the 2-D ones on an unsqueezed input, as in PyTorch.
public static partial class Functional
{
    /// <summary>
    /// 2-D max pooling (<c>F.max_pool2d(input, kernel_size, stride=kernel_size, padding, dilation, ceil_mode)</c>) of an
    /// [N, C, H, W] or [C, H, W] input; the gradient goes to the first maximum of each window.
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, IntOrTuple? dilation = null, bool ceilMode = false)
        => MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;

    /// <summary>Max pooling that also returns the flat index of each maximum within its H·W plane (<c>return_indices=True</c>).</summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null,
        IntOrTuple? dilation = null, bool ceilMode = false)
    {
        var (w, outShape, planes) = PoolWindow("max_pool2d", input, kernelSize, stride, padding, dilation, ceilMode);
        var output = Tensor.Empty(outShape, input.DType);
        var indices = Tensor.Empty(outShape, DType.Int64);
        var idx = indices.StorageArray<long>();
        if (input.DType == DType.Float32) Run<float>();
        else Run<double>();

        if (Graph.Needs(input))
            Graph.Record("MaxPool2DWithIndicesBackward0", output, [input], g => [DoubleBackward.Linear("MaxPool2DWithIndicesBackwardBackward0", g, gg =>
            {
                var gi = Tensor.Empty(input._shape, gg.DType);
                var gc = gg.ContiguousRaw();
                if (gg.DType == DType.Float32) Pooling.MaxBackward(gc.Span<float>(), idx, planes, w.Plane, w.OutPlane, gi.MutableSpan<float>());
                else Pooling.MaxBackward(gc.Span<double>(), idx, planes, w.Plane, w.OutPlane, gi.MutableSpan<double>());
                return gi;
            },
            // The adjoint of sending each window's gradient to its maximum is reading the maximum's position back.
            ggi => ggi.Reshape(planes, w.Plane).Gather(1, indices.Reshape(planes, w.OutPlane)).Reshape(outShape))], indices);
        if (Trace.Active) Trace.Record("max_pool2d", [input], [output, indices], PoolAttributes(w, 2, ceilMode));
        return (output, indices);

        void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.ContiguousRaw().Compact<T>();
            var y = output.StorageArray<T>();
            Pooling.ForPlanes(planes, (long)w.OutPlane * w.KernelSize, (b, e) =>
                Pooling.MaxForward<T>(x.AsSpan(b * w.Plane, (e - b) * w.Plane), e - b, w, y.AsSpan(b * w.OutPlane, (e - b) * w.OutPlane), idx.AsSpan(b * w.OutPlane, (e - b) * w.OutPlane)));
        }
    }

    /// <summary>1-D max pooling (<c>F.max_pool1d</c>) of an [N, C, L] or [C, L] input.</summary>
    public static Tensor MaxPool1d(Tensor input, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, IntOrTuple? dilation = null, bool ceilMode = false)
    {
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"max_pool1d() Expected 2D or 3D input tensor, but got {Shapes.Format(input._shape)}");
        var lifted = Pool1dAs2d(kernelSize, stride, padding, dilation);
        Tensor r;
        Window2d window;
        using (Trace.Suspend())
        {
            var planes = input.Unsqueeze(-2);
            window = PoolWindow("max_pool1d", planes, lifted.Kernel, lifted.Stride, lifted.Padding, lifted.Dilation, ceilMode).Window;
            r = MaxPool2d(planes, lifted.Kernel, lifted.Stride, lifted.Padding, lifted.Dilation, ceilMode).Squeeze(-2);
        }
        if (Trace.Active) Trace.Record("max_pool1d", [input], r, PoolAttributes(window, 1, ceilMode));
        return r;
    }

    /// <summary>
    /// 2-D average pooling (<c>F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)</c>):
    /// each window's sum (in double) over its size with padding counted, or over its valid elements when <paramref name="countIncludePad"/> is false.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, bool ceilMode = false,
        bool countIncludePad = true, long? divisorOverride = null)
    {
        if (divisorOverride is <= 0) throw new ArgumentException("divisor must be not zero");
        var (w, outShape, planes) = PoolWindow("avg_pool2d", input, kernelSize, stride, padding, null, ceilMode);
        var output = Tensor.Empty(outShape, input.DType);
        if (input.DType == DType.Float32) Run<float>();
        else Run<double>();

        if (Graph.Needs(input))
            Graph.Record("AvgPool2DBackward0", output, [input], g => [DoubleBackward.Linear("AvgPool2DBackwardBackward0", g, gg =>
            {
                var gi = Tensor.Empty(input._shape, gg.DType);
                var gc = gg.ContiguousRaw();
                if (gg.DType == DType.Float32) Pooling.AvgBackward(gc.Span<float>(), planes, w, countIncludePad, divisorOverride, gi.MutableSpan<float>());
                else Pooling.AvgBackward(gc.Span<double>(), planes, w, countIncludePad, divisorOverride, gi.MutableSpan<double>());
                return gi;
            },
            // Average pooling is linear: the adjoint of its backward is the pooling itself.
            ggi => AvgPool2d(ggi, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride))]);
        if (Trace.Active)
        {
            var attrs = PoolAttributes(w, 2, ceilMode);
            attrs["count_include_pad"] = countIncludePad;
            if (divisorOverride is { } dv) attrs["divisor_override"] = dv;
            Trace.Record("avg_pool2d", [input], output, attrs);
        }
        return output;

        void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.ContiguousRaw().Compact<T>();
            var y = output.StorageArray<T>();
            Pooling.ForPlanes(planes, (long)w.OutPlane * w.KernelSize, (b, e) =>
                Pooling.AvgForward<T>(x.AsSpan(b * w.Plane, (e - b) * w.Plane), e - b, w, countIncludePad, divisorOverride, y.AsSpan(b * w.OutPlane, (e - b) * w.OutPlane)));
        }
    }

    /// <summary>1-D average pooling (<c>F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)</c>).</summary>
    public static Tensor AvgPool1d(Tensor input, IntOrTuple kernelSize, IntOrTuple? stride = null, IntOrTuple? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"avg_pool1d() Expected 2D or 3D input tensor, but got {Shapes.Format(input._shape)}");
        var lifted = Pool1dAs2d(kernelSize, stride, padding, null);
        Tensor r;
        Window2d window;
        using (Trace.Suspend())
        {
            var planes = input.Unsqueeze(-2);
            window = PoolWindow("avg_pool1d", planes, lifted.Kernel, lifted.Stride, lifted.Padding, null, ceilMode).Window;
            r = AvgPool2d(planes, lifted.Kernel, lifted.Stride, lifted.Padding, ceilMode, countIncludePad).Squeeze(-2);
        }
        if (Trace.Active)
        {
            var attrs = PoolAttributes(window, 1, ceilMode);
            attrs["count_include_pad"] = countIncludePad;
            Trace.Record("avg_pool1d", [input], r, attrs);
        }
        return r;
    }

    /// <summary>
    /// Adaptive average pooling to a fixed output size (<c>F.adaptive_avg_pool2d(input, output_size)</c>); bin i covers
    /// [floor(i·H/out), ceil((i+1)·H/out)). A 1x1 output is a mean over the last two dims, as in PyTorch (grad_fn MeanBackward1).
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, IntOrTuple outputSize)
    {
        var size = outputSize.Expand(2, "output_size");
        return AdaptiveAvgPool2d(input, size[0], size[1]);
    }

    /// <summary>Adaptive average pooling where a null size keeps the input's (<c>output_size=(None, 7)</c>).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, long? outputHeight, long? outputWidth)
    {
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {Shapes.Format(input._shape)}");
        for (int i = 1; i < input.Dim; i++)
            if (input._shape[i] == 0)
                throw new ArgumentException($"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Shapes.Format(input._shape)} with dimension {i} being empty");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"adaptive_avg_pool2d: expected a floating point input, got {input.DType.TorchName()}");
        long height = input._shape[^2], width = input._shape[^1];
        long oh = outputHeight ?? height, ow = outputWidth ?? width;
        if (oh < 0 || ow < 0) throw new ArgumentException($"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received ({oh}, {ow})");
        Tensor output;
        var attrs = new Dictionary<string, object> { ["output_size"] = new[] { oh, ow } };
        if (oh == 1 && ow == 1)
        {
            using (Trace.Suspend()) output = input.Mean([-1, -2], keepdim: true);
            if (Trace.Active) Trace.Record("adaptive_avg_pool2d", [input], output, attrs);
            return output;
        }
        long[] outShape = [.. input._shape[..^2], oh, ow];
        int planes = (int)(input.Numel() / (height * width));
        output = Tensor.Empty(outShape, input.DType);
        if (input.DType == DType.Float32)
            Pooling.AdaptiveAvgForward(input.ContiguousRaw().Span<float>(), planes, (int)height, (int)width, (int)oh, (int)ow, output.MutableSpan<float>());
        else
            Pooling.AdaptiveAvgForward(input.ContiguousRaw().Span<double>(), planes, (int)height, (int)width, (int)oh, (int)ow, output.MutableSpan<double>());
        if (Graph.Needs(input))
            Graph.Record("AdaptiveAvgPool2DBackward0", output, [input], g => [DoubleBackward.Linear("AdaptiveAvgPool2DBackwardBackward0", g, gg =>
            {
                var gi = Tensor.Empty(input._shape, gg.DType);
                var gc = gg.ContiguousRaw();
                if (gg.DType == DType.Float32) Pooling.AdaptiveAvgBackward(gc.Span<float>(), planes, (int)height, (int)width, (int)oh, (int)ow, gi.MutableSpan<float>());
                else Pooling.AdaptiveAvgBackward(gc.Span<double>(), planes, (int)height, (int)width, (int)oh, (int)ow, gi.MutableSpan<double>());
                return gi;
            }, ggi => AdaptiveAvgPool2d(ggi, (long?)oh, (long?)ow))]);
        if (Trace.Active) Trace.Record("adaptive_avg_pool2d", [input], output, attrs);
        return output;
    }

    // A 1-D pool's arguments as a 2-D pool's over a height-1 plane.
    private static (IntOrTuple Kernel, IntOrTuple Stride, IntOrTuple Padding, IntOrTuple Dilation) Pool1dAs2d(IntOrTuple kernelSize, IntOrTuple? stride, IntOrTuple? padding, IntOrTuple? dilation)
    {
        long k = kernelSize.Expand(1, "kernel_size")[0];
        long s = stride is { Values.Count: > 0 } st ? st.Expand(1, "stride")[0] : k;
        long p = (padding ?? 0).Expand(1, "padding")[0];
        long d = (dilation ?? 1).Expand(1, "dilation")[0];
        return ((1, k), (1, s), (0, p), (1, d));
    }

    // The window of a 2-D pool over the last two dims, with PyTorch's checks and output size rule.
    private static (Window2d Window, long[] OutShape, int Planes) PoolWindow(string op, Tensor input, IntOrTuple kernelSize, IntOrTuple? stride,
        IntOrTuple? padding, IntOrTuple? dilation, bool ceilMode)
    {
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"{op}: non-empty 3D or 4D (batch mode) tensor expected for input, but got {Shapes.Format(input._shape)}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"{op}: expected a floating point input, got {input.DType.TorchName()}");
        var k = kernelSize.Expand(2, "kernel_size");
        var s = stride is { Values.Count: > 0 } st ? st.Expand(2, "stride") : k;
        var p = (padding ?? 0).Expand(2, "padding");
        var d = (dilation ?? 1).Expand(2, "dilation");
        if (k[0] <= 0 || k[1] <= 0) throw new ArgumentException($"kernel_size must be greater than zero, but got kH: {k[0]} kW: {k[1]}");
        if (s[0] <= 0 || s[1] <= 0) throw new ArgumentException($"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}");
        if (d[0] <= 0 || d[1] <= 0) throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}");
        for (int i = 0; i < 2; i++)
            if (p[i] < 0 || p[i] > (d[i] * (k[i] - 1) + 1) / 2)
                throw new ArgumentException($"pad should be at most half of effective kernel size, but got pad={p[i]}, kernel_size={k[i]} and dilation={d[i]}");
        long height = input._shape[^2], width = input._shape[^1];
        long oh = PoolOutputSize(height, k[0], p[0], s[0], d[0], ceilMode);
        long ow = PoolOutputSize(width, k[1], p[1], s[1], d[1], ceilMode);
        if (oh < 1 || ow < 1 || height == 0 || width == 0)
        {
            long c = input._shape[^3];
            throw new ArgumentException($"Given input size: ({c}x{height}x{width}). Calculated output size: ({c}x{oh}x{ow}). Output size is too small");
        }
        var window = new Window2d((int)height, (int)width, (int)k[0], (int)k[1], (int)s[0], (int)s[1], (int)p[0], (int)p[1], (int)d[0], (int)d[1], (int)oh, (int)ow);
        return (window, [.. input._shape[..^2], oh, ow], (int)(input.Numel() / (height * width)));
    }

    // PyTorch's pooling_output_shape: floor (or ceil) division, and a ceil-mode window must start inside the input or left padding.
    private static long PoolOutputSize(long size, long kernel, long pad, long stride, long dilation, bool ceilMode)
    {
        long numerator = size + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long quotient = numerator / stride;
        if (numerator % stride != 0 && numerator < 0) quotient--;  // floor division, as PyTorch's div_rtn
        long output = quotient + 1;
        if (ceilMode && (output - 1) * stride >= size + pad) output--;
        return output;
    }

    private static Dictionary<string, object> PoolAttributes(Window2d w, int dims, bool ceilMode)
    {
        long[] Pick(int h, int v) => dims == 2 ? [h, v] : [v];
        return new Dictionary<string, object>
        {
            ["kernel_shape"] = Pick(w.KernelH, w.KernelW),
            ["strides"] = Pick(w.StrideH, w.StrideW),
            ["pads"] = (long[])[.. Pick(w.PadTop, w.PadLeft), .. Pick(w.PadTop, w.PadLeft)],
            ["dilations"] = Pick(w.DilationH, w.DilationW),
            ["ceil_mode"] = ceilMode,
        };
    }
}
