namespace Nabla.Optim;

/// <summary>Multiplies each group's learning rate by <c>gamma</c> every epoch (<c>torch.optim.lr_scheduler.ExponentialLR</c>).</summary>
public sealed class ExponentialLR : LRScheduler
{
    private double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> each epoch.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = -1) : base(optimizer)
    {
        _gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        return LastEpoch == 0 ? lrs : lrs.Select(lr => lr * _gamma).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr() => BaseLrs.Select(b => b * Math.Pow(_gamma, LastEpoch)).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["gamma"] = _gamma;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("gamma", out var g)) _gamma = Double(g);
    }
}
