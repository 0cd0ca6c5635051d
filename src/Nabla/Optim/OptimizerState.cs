using System.Globalization;

namespace Nabla.Optim;

// Reading per-parameter state entries the way the optimizers store them.
internal static class OptimizerState
{
    /// <summary>An entry PyTorch keeps as a float32 tensor (<c>step</c>); a plain number from an older checkpoint is converted in place.</summary>
    public static Tensor Tensor(Dictionary<string, object?> state, string key) => state[key] switch
    {
        Nabla.Tensor t => t,
        var v => (Nabla.Tensor)(state[key] = Torch.Tensor(Convert.ToDouble(v, CultureInfo.InvariantCulture))),
    };

    /// <summary><c>step.add_(1)</c> in the counter's own dtype, then its value as <c>step.item()</c> read into float32 gives it.</summary>
    public static double Increment(Nabla.Tensor step)
    {
        double next = Scale(step, 1, add: true);
        return (float)next;
    }

    /// <summary><c>t.mul_(factor)</c> on a one-element tensor in its own dtype; returns the new value (exact in that dtype).</summary>
    public static double Multiply(Nabla.Tensor t, double factor) => Scale(t, factor, add: false);

    // One-element float tensors are updated in their storage (no temporaries); other dtypes take the tensor op.
    private static double Scale(Nabla.Tensor t, double operand, bool add)
    {
        if (t._contiguous && t._numel == 1 && t.DType == DType.Float32)
        {
            ref float v = ref t.MutableSpan<float>()[0];
            v = add ? v + (float)operand : v * (float)operand;
            t.BumpVersion();
            return v;
        }
        if (t._contiguous && t._numel == 1 && t.DType == DType.Float64)
        {
            ref double v = ref t.MutableSpan<double>()[0];
            v = add ? v + operand : v * operand;
            t.BumpVersion();
            return v;
        }
        if (add) t.Add_(operand);
        else t.Mul_(operand);
        return t.Item<double>();
    }
}
