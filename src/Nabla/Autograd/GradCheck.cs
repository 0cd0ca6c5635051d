using System.Globalization;

namespace Nabla.Autograd;

/// <summary>
/// Checks an op's backward against finite differences (<c>torch.autograd.gradcheck</c>): every element of
/// the Jacobian of each floating output with respect to each input that requires grad is computed twice,
/// analytically (one backward pass per output element) and numerically (central differences), and compared
/// with <c>|analytical - numerical| &lt;= atol + rtol * |numerical|</c>. Use float64 inputs: float32 rounding
/// swamps the differences.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks a function of several tensors with one output; see <see cref="Check(Func{Tensor[], Tensor[]}, Tensor[], double, double, double, bool)"/>.</summary>
    public static bool Check(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
        => Check(x => [function(x)], inputs, eps, atol, rtol, raiseException);

    /// <summary>
    /// Checks a function with several outputs (<c>torch.autograd.gradcheck(fn, inputs, eps, atol, rtol, raise_exception)</c>).
    /// The inputs are copied (the caller's tensors and their <c>Grad</c> are left alone); integer outputs are skipped.
    /// Returns true when all Jacobians match; otherwise throws <see cref="GradCheckException"/> naming the first
    /// mismatching element, or returns false when <paramref name="raiseException"/> is false.
    /// </summary>
    public static bool Check(Func<Tensor[], Tensor[]> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var xs = new Tensor[inputs.Length];
        bool any = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            xs[i] = inputs[i].RequiresGrad ? inputs[i].Detach().Clone().RequiresGrad_() : inputs[i];
            any |= inputs[i].RequiresGrad;
        }
        if (!any) throw new ArgumentException("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");

        var numerical = Numerical(function, xs, eps);
        var analytical = Analytical(function, xs);
        for (int i = 0; i < xs.Length; i++)
        {
            if (numerical[i] is not { } perInput) continue;
            for (int o = 0; o < perInput.Length; o++)
            {
                if (perInput[o] is not { } n) continue;
                var a = analytical[i]![o]!;
                for (int k = 0; k < n.Rows; k++)
                    for (int j = 0; j < n.Cols; j++)
                    {
                        if (Math.Abs(a[k, j] - n[k, j]) <= atol + rtol * Math.Abs(n[k, j])) continue;
                        if (!raiseException) return false;
                        throw new GradCheckException(string.Create(CultureInfo.InvariantCulture,
                            $"Jacobian mismatch for output {o} with respect to input {i},\nnumerical:{n[k, j]:R}\nanalytical:{a[k, j]:R}\n" +
                            $"(input element {k}, output element {j}; atol={atol}, rtol={rtol})"));
                    }
            }
        }
        return true;
    }

    // [input][output] -> Jacobian [input element, output element]; null for inputs that need no grad and integer outputs.
    private static Jacobian?[]?[] Numerical(Func<Tensor[], Tensor[]> function, Tensor[] xs, double eps)
    {
        var result = new Jacobian?[]?[xs.Length];
        using var noGrad = GradMode.Set(false);
        var baseline = function(xs);
        for (int i = 0; i < xs.Length; i++)
        {
            if (!xs[i].RequiresGrad) continue;
            var x = xs[i];
            var jac = new Jacobian?[baseline.Length];
            for (int o = 0; o < baseline.Length; o++)
                if (baseline[o].DType.IsFloatingPoint()) jac[o] = new Jacobian(x._numel, baseline[o]._numel);
            for (int k = 0; k < x._numel; k++)
            {
                double original = Get(x, k);
                Set(x, k, original + eps);
                var plus = Values(function(xs));
                Set(x, k, original - eps);
                var minus = Values(function(xs));
                Set(x, k, original);
                for (int o = 0; o < jac.Length; o++)
                {
                    if (jac[o] is not { } J) continue;
                    for (int j = 0; j < plus[o].Length; j++) J[k, j] = (plus[o][j] - minus[o][j]) / (2 * eps);
                }
            }
            result[i] = jac;
        }
        return result;
    }

    // One backward pass per output element with a one-hot gradient: row j of each input's Jacobian transposed.
    private static Jacobian?[]?[] Analytical(Func<Tensor[], Tensor[]> function, Tensor[] xs)
    {
        var result = new Jacobian?[]?[xs.Length];
        Tensor[] outputs;
        using (GradMode.Set(true)) outputs = function(xs);
        for (int i = 0; i < xs.Length; i++)
        {
            if (!xs[i].RequiresGrad) continue;
            result[i] = new Jacobian?[outputs.Length];
            for (int o = 0; o < outputs.Length; o++) result[i]![o] = new Jacobian(xs[i]._numel, outputs[o]._numel);
        }
        for (int o = 0; o < outputs.Length; o++)
        {
            var output = outputs[o];
            if (!output.DType.IsFloatingPoint() || !output.RequiresGrad) continue;
            for (int j = 0; j < output._numel; j++)
            {
                foreach (var x in xs) if (x.RequiresGrad) x.Grad = null;
                var oneHot = Torch.Zeros(output._shape, output.DType);
                Set(oneHot, j, 1);
                using (GradMode.Set(true)) output.Backward(oneHot, retainGraph: true);
                for (int i = 0; i < xs.Length; i++)
                {
                    if (!xs[i].RequiresGrad || xs[i].Grad is not { } g) continue;
                    if (g.DType != xs[i].DType)
                        throw new GradCheckException($"Gradient has dtype mismatch: input {i} is {xs[i].DType.TorchName()} but its gradient is {g.DType.TorchName()}");
                    if (!Shapes.SameShape(g._shape, xs[i]._shape))
                        throw new GradCheckException($"Gradient has shape mismatch: input {i} is {Shapes.Format(xs[i]._shape)} but its gradient is {Shapes.Format(g._shape)}");
                    var values = g.ToArray<double>();
                    for (int k = 0; k < values.Length; k++) result[i]![o]![k, j] = values[k];
                }
            }
        }
        foreach (var x in xs) if (x.RequiresGrad) x.Grad = null;
        return result;
    }

    private sealed class Jacobian(int rows, int cols)
    {
        private readonly double[] _data = new double[rows * cols];
        public int Rows => rows;
        public int Cols => cols;
        public double this[int r, int c] { get => _data[r * cols + c]; set => _data[r * cols + c] = value; }
    }

    private static double[][] Values(Tensor[] outputs)
    {
        var values = new double[outputs.Length][];
        for (int o = 0; o < outputs.Length; o++) values[o] = outputs[o].DType.IsFloatingPoint() ? outputs[o].ToArray<double>() : [];
        return values;
    }

    // Element k of a contiguous floating tensor, read and written in place (no version bump: values are restored).
    private static double Get(Tensor t, int k) => t.DType == DType.Float64
        ? t.StorageArray<double>()[t._offset + k]
        : t.StorageArray<float>()[t._offset + k];

    private static void Set(Tensor t, int k, double value)
    {
        if (t.DType == DType.Float64) t.StorageArray<double>()[t._offset + k] = value;
        else t.StorageArray<float>()[t._offset + k] = (float)value;
    }
}

/// <summary>A Jacobian computed by backward differs from finite differences (<c>torch.autograd.GradcheckError</c>).</summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Creates the error with a message naming the mismatch.</summary>
    public GradCheckException(string message) : base(message) { }

    /// <summary>Creates the error with no message.</summary>
    public GradCheckException() { }

    /// <summary>Creates the error wrapping another.</summary>
    public GradCheckException(string message, Exception inner) : base(message, inner) { }
}
