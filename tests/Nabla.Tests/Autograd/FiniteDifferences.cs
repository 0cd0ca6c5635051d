using System.Text;

namespace Nabla.Tests.Autograd;

/// <summary>
/// Checks autograd against central finite differences in float64 (<c>torch.autograd.gradcheck</c>): the full
/// Jacobian of <c>f</c> with respect to every floating input, numeric versus analytic (one backward per output element).
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// Throws with the first mismatching Jacobian entry when |numeric - analytic| &gt; atol + rtol * |numeric|.
    /// <paramref name="inputs"/> are float64 leaves (their RequiresGrad says which to check); integer and bool inputs pass through.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        var values = inputs.Select(t => t.DType == DType.Float64 ? t.ToArray<double>() : null).ToArray();
        Tensor[] Leaves(int perturbed = -1, int element = -1, double delta = 0)
        {
            var leaves = new Tensor[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
            {
                if (values[k] is not { } v) { leaves[k] = inputs[k]; continue; }
                var copy = (double[])v.Clone();
                if (k == perturbed) copy[element] += delta;
                leaves[k] = Tensor.FromArray(copy, inputs[k].Shape);
                if (inputs[k].RequiresGrad) leaves[k].RequiresGrad = true;
            }
            return leaves;
        }

        var baseLeaves = Leaves();
        var y = f(baseLeaves);
        if (y.DType != DType.Float64) throw new ArgumentException($"gradcheck needs a float64 output, got {y.DType}");
        int m = (int)y.Numel();

        for (int k = 0; k < inputs.Length; k++)
        {
            if (values[k] is null || !inputs[k].RequiresGrad) continue;
            int n = values[k]!.Length;
            // Numeric Jacobian, column by column.
            var numeric = new double[n, m];
            for (int i = 0; i < n; i++)
            {
                double[] plus, minus;
                using (Torch.NoGrad())
                {
                    plus = f(Leaves(k, i, eps)).ToArray<double>();
                    minus = f(Leaves(k, i, -eps)).ToArray<double>();
                }
                for (int j = 0; j < m; j++) numeric[i, j] = (plus[j] - minus[j]) / (2 * eps);
            }
            // Analytic Jacobian, row by row.
            for (int j = 0; j < m; j++)
            {
                var leaves = Leaves();
                var yj = f(leaves);
                var onehot = new double[m];
                onehot[j] = 1;
                if (!yj.RequiresGrad)
                    throw new InvalidOperationException($"output does not require grad, but input {k} does");
                yj.Backward(Tensor.FromArray(onehot, yj.Shape));
                var g = leaves[k].Grad?.ToArray<double>() ?? new double[n];
                for (int i = 0; i < n; i++)
                {
                    double num = numeric[i, j], ana = g[i];
                    if (Math.Abs(num - ana) > atol + rtol * Math.Abs(num))
                        throw new Xunit.Sdk.XunitException(new StringBuilder()
                            .Append($"Jacobian mismatch for input {k}, element {i}, output {j}: ")
                            .Append($"numeric {num:R}, analytic {ana:R} (atol {atol}, rtol {rtol})").ToString());
                }
            }
        }
    }
}
