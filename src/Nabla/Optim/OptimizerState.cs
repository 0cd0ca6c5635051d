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
}
