using System.Globalization;

namespace Nabla.Optim;

// Hyper-parameter checks with PyTorch's messages ("Invalid learning rate: -1").
internal static class OptimizerArgs
{
    /// <summary>Throws <c>Invalid {what}: {value}</c> unless <paramref name="value"/> &gt;= 0.</summary>
    public static void NonNegative(double value, string what)
    {
        if (!(value >= 0)) throw new ArgumentException($"Invalid {what}: {Format(value)}");
    }

    /// <summary>Checks both betas lie in [0, 1).</summary>
    public static void Betas((double, double) betas)
    {
        if (!(betas.Item1 >= 0 && betas.Item1 < 1)) throw new ArgumentException($"Invalid beta parameter at index 0: {Format(betas.Item1)}");
        if (!(betas.Item2 >= 0 && betas.Item2 < 1)) throw new ArgumentException($"Invalid beta parameter at index 1: {Format(betas.Item2)}");
    }

    /// <summary>The checks shared by the Adam family, in PyTorch's order: lr, eps, betas, weight decay.</summary>
    public static void AdamFamily(double lr, (double, double) betas, double eps, double weightDecay)
    {
        NonNegative(lr, "learning rate");
        NonNegative(eps, "epsilon value");
        Betas(betas);
        NonNegative(weightDecay, "weight_decay value");
    }

    /// <summary>A number as Python prints it in these messages: integral values without a fraction (PyTorch users pass <c>lr=-1</c>), others by repr.</summary>
    public static string Format(double v)
        => v == Math.Floor(v) && Math.Abs(v) < 1e16 ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : PythonFloatRepr.Format(v);
}
