using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla.NN;

// Activation functions: each is one backward node with PyTorch's name and one traced op.
public static partial class Functional
{
    // Per-element work of these kernels (a C-library exp, tanh or erf each) against a SIMD add, for the parallel split.
    private const int ActivationWork = 16;

    // Runs a float kernel over a floating input, split across threads when large; integer inputs are refused as PyTorch's kernels refuse them.
    private static Tensor FloatActivation(string kernel, Tensor input, SpanRange<float, float> f32, SpanRange<double, double> f64)
    {
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"\"{kernel}\" not implemented for '{Tensor.ScalarTypeName(input.DType)}'");
        var r = Tensor.Empty(input._shape, input.DType);
        if (input.DType == DType.Float32) ParallelSpans.Map(input.Span<float>(), r.MutableSpan<float>(), ActivationWork, ParallelSpans.ElementwiseGrain, f32);
        else ParallelSpans.Map(input.Span<double>(), r.MutableSpan<double>(), ActivationWork, ParallelSpans.ElementwiseGrain, f64);
        return r;
    }

    /// <summary>max(x, 0) (<c>F.relu(input, inplace)</c>); node <c>ReluBackward0</c>, gradient 0 at 0.</summary>
    public static Tensor Relu(Tensor input, bool inplace = false) => inplace ? input.Relu_() : input.Relu();

    /// <summary>x for x &gt; 0, else negativeSlope * x (<c>F.leaky_relu(input, negative_slope=0.01, inplace)</c>); node <c>LeakyReluBackward0</c>.</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01, bool inplace = false)
        => inplace ? input.ApplyInPlace("leaky_relu_", x => LeakyRelu(x, negativeSlope, "LeakyReluBackward1")) : LeakyRelu(input, negativeSlope, "LeakyReluBackward0");

    // The in-place form's node is PyTorch's ...Backward1 (it saves the result); the gradient is the same.
    private static Tensor LeakyRelu(Tensor input, double negativeSlope, string gradFn)
    {
        var r = FloatActivation("leaky_relu_cpu", input,
            (x, d) => ActivationKernels.LeakyRelu(x, (float)negativeSlope, d), (x, d) => ActivationKernels.LeakyRelu(x, negativeSlope, d));
        if (Graph.Needs(input))
            Graph.Record(gradFn, r, [input], g => [Tensor.Where(input > 0.0, g, g * negativeSlope)], input);
        if (Trace.Active) Trace.Record("leaky_relu", [input], r, new Dictionary<string, object> { ["negative_slope"] = negativeSlope });
        return r;
    }

    /// <summary>x for x &gt; 0, else alpha * (e^x - 1) (<c>F.elu(input, alpha=1.0, inplace)</c>); node <c>EluBackward0</c>.</summary>
    public static Tensor Elu(Tensor input, double alpha = 1.0, bool inplace = false)
        => inplace ? input.ApplyInPlace("elu_", x => Elu(x, alpha, "EluBackward1")) : Elu(input, alpha, "EluBackward0");

    private static Tensor Elu(Tensor input, double alpha, string gradFn)
    {
        var r = FloatActivation("elu_cpu", input,
            (x, d) => ActivationKernels.Elu(x, (float)alpha, d), (x, d) => ActivationKernels.Elu(x, alpha, d));
        if (Graph.Needs(input))
            Graph.Record(gradFn, r, [input], g => [Tensor.Where(input <= 0.0, g * alpha * input.Exp(), g)], input);
        if (Trace.Active) Trace.Record("elu", [input], r, new Dictionary<string, object> { ["alpha"] = alpha });
        return r;
    }

    /// <summary>
    /// Gaussian error linear unit (<c>F.gelu(input, approximate='none')</c>): x * Φ(x) with the exact erf, or the
    /// tanh approximation when <paramref name="approximate"/> is "tanh". Node <c>GeluBackward0</c>. Values equal
    /// PyTorch's own CPU kernel (glibc's erff) bit for bit; PyTorch builds with oneDNN send contiguous float32 exact
    /// GELU there instead, whose erf differs by a few ulp (relatively more for x &lt; -4, where 1 + erf(x) cancels).
    /// </summary>
    public static Tensor Gelu(Tensor input, string approximate = "none")
    {
        bool tanh = approximate switch
        {
            "none" => false,
            "tanh" => true,
            _ => throw new ArgumentException("approximate argument must be either none or tanh."),
        };
        var r = tanh
            ? FloatActivation("GeluKernelImpl", input, ActivationKernels.GeluTanh, ActivationKernels.GeluTanh)
            : FloatActivation("GeluKernelImpl", input, ActivationKernels.GeluExact, ActivationKernels.GeluExact);
        if (Graph.Needs(input))
            Graph.Record("GeluBackward0", r, [input], g => [g * (tanh ? GeluTanhDerivative(input) : GeluExactDerivative(input))], input);
        if (Trace.Active) Trace.Record("gelu", [input], r, new Dictionary<string, object> { ["approximate"] = approximate });
        return r;
    }

    // Φ(x) + x φ(x), in the operation order of PyTorch's GeluBackward kernel.
    private static Tensor GeluExactDerivative(Tensor x)
    {
        const double alpha = 0.70710678118654752440, beta = 1.12837916709551257390 * 0.70710678118654752440 * 0.5;
        var cdf = 0.5 * (1.0 + (x * alpha).Erf());
        var pdf = beta * (x * x * -0.5).Exp();
        return cdf + x * pdf;
    }

    private static Tensor GeluTanhDerivative(Tensor x)
    {
        const double kappa = 0.044715;
        double threeKappa = x.DType == DType.Float32 ? 3f * (float)kappa : 3 * kappa;
        var xSq = x * x;
        var inner = ActivationKernels.GeluBeta * (x + kappa * (xSq * x));
        var tanhInner = inner.Tanh();
        var left = 0.5 * x;
        var right = 1.0 + tanhInner;
        var leftDerivative = 0.5 * right;
        var tanhDerivative = 1.0 - tanhInner * tanhInner;
        var innerDerivative = ActivationKernels.GeluBeta * (1.0 + threeKappa * xSq);
        return leftDerivative + left * tanhDerivative * innerDerivative;
    }

    /// <summary>x * sigmoid(x), also called swish (<c>F.silu(input, inplace)</c>); node <c>SiluBackward0</c>.</summary>
    public static Tensor Silu(Tensor input, bool inplace = false)
    {
        if (inplace) return input.ApplyInPlace("silu_", Silu0);
        return Silu0(input);

        static Tensor Silu0(Tensor input)
        {
            var r = FloatActivation("silu_cpu", input, ActivationKernels.Silu, ActivationKernels.Silu);
            if (Graph.Needs(input))
                Graph.Record("SiluBackward0", r, [input], g =>
                {
                    var s = 1.0 / (1.0 + (-input).Exp());
                    return [g * s * (1.0 + input * (1.0 - s))];
                }, input);
            if (Trace.Active) Trace.Record("silu", [input], r);
            return r;
        }
    }

    /// <summary>1 / (1 + e^-x) (<c>torch.sigmoid</c>, <c>F.sigmoid</c>); node <c>SigmoidBackward0</c>.</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>Hyperbolic tangent (<c>torch.tanh</c>, <c>F.tanh</c>); node <c>TanhBackward0</c>.</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();

    /// <summary>
    /// exp(x) / sum(exp(x)) along <paramref name="dim"/>, computed after subtracting the maximum
    /// (<c>F.softmax(input, dim, dtype)</c>); <paramref name="dtype"/> converts the input first. Node <c>SoftmaxBackward0</c>.
    /// </summary>
    public static Tensor Softmax(Tensor input, int dim, DType? dtype = null) => SoftmaxCore(input, dim, dtype, log: false);

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably as x - max - log(sum(exp(x - max))) (<c>F.log_softmax</c>); node <c>LogSoftmaxBackward0</c>.</summary>
    public static Tensor LogSoftmax(Tensor input, int dim, DType? dtype = null) => SoftmaxCore(input, dim, dtype, log: true);

    // _softmax_backward_data: one pass per row when the rows are the last dim and no graph is recorded through the
    // gradient (double backward), else the composite, whose ops and roundings the fused kernel repeats.
    private static Tensor SoftmaxGradient(Tensor r, Tensor g, int d, bool log)
    {
        if (Graph.Needs(r, g) || r.Dim == 0 || d != r.Dim - 1 || !r.IsContiguous() || !g.IsContiguous() || g.DType != r.DType
            || r.DType is not (DType.Float32 or DType.Float64) || !Shapes.SameShape(r._shape, g._shape))
            return log ? g - r.Exp() * g.Sum(d, keepdim: true) : r * (g - (g * r).Sum(d, keepdim: true));
        int n = (int)r._shape[^1], rows = n == 0 ? 0 : (int)(r.Numel() / n);
        var result = Tensor.Empty(r._shape, r.DType);
        if (r.DType == DType.Float32)
            ActivationKernels.SoftmaxBackward(r._storage.As<float>(), (int)r._offset, g._storage.As<float>(), (int)g._offset, result._storage.As<float>(), rows, n, log);
        else
            ActivationKernels.SoftmaxBackward(r._storage.As<double>(), (int)r._offset, g._storage.As<double>(), (int)g._offset, result._storage.As<double>(), rows, n, log);
        return result;
    }

    private static Tensor SoftmaxCore(Tensor input, int dim, DType? dtype, bool log)
    {
        var x = dtype is { } t ? input.To(t) : input;
        string kernel = log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl";
        if (!x.DType.IsFloatingPoint()) throw new ArgumentException($"\"{kernel}\" not implemented for '{Tensor.ScalarTypeName(x.DType)}'");
        int d = x.Dim == 0 ? 0 : Shapes.NormalizeDim(dim, x.Dim);
        var (rows, perm) = x.RowsAlong(d);
        int n = (int)rows._shape[^1];
        var y = Tensor.Empty(rows._shape, x.DType);
        if (x.DType == DType.Float32) ActivationKernels.Softmax(rows.Span<float>(), n, log, y.MutableSpan<float>());
        else ActivationKernels.Softmax(rows.Span<double>(), n, log, y.MutableSpan<double>());
        var r = Tensor.FromRows(y, perm, x.Dim);
        if (Graph.Needs(x))
            Graph.Record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", r, [x], g => [SoftmaxGradient(r, g, d, log)], r);
        if (Trace.Active) Trace.Record(log ? "log_softmax" : "softmax", [x], r, new Dictionary<string, object> { ["dim"] = (long)d });
        return r;
    }
}
