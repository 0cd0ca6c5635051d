namespace Nabla.Optim;

/// <summary>Decays each group's rate polynomially to 0 over <c>totalIters</c> epochs (<c>torch.optim.lr_scheduler.PolynomialLR</c>).</summary>
public sealed class PolynomialLR : LRScheduler
{
    private int _totalIters;
    private double _power;

    /// <summary>Reaches 0 at <paramref name="totalIters"/> with exponent <paramref name="power"/>.</summary>
    public PolynomialLR(Optimizer optimizer, int totalIters = 5, double power = 1.0, int lastEpoch = -1) : base(optimizer)
    {
        _totalIters = totalIters;
        _power = power;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0 || LastEpoch > _totalIters) return lrs;
        double decay = Math.Pow((1.0 - (double)LastEpoch / _totalIters) / (1.0 - (double)(LastEpoch - 1) / _totalIters), _power);
        return lrs.Select(lr => lr * decay).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
        => BaseLrs.Select(b => b * Math.Pow(1.0 - (double)Math.Min(_totalIters, LastEpoch) / _totalIters, _power)).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["total_iters"] = (long)_totalIters;
        sd["power"] = _power;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("total_iters", out var t)) _totalIters = (int)Long(t);
        if (sd.TryGetValue("power", out var p)) _power = Double(p);
    }
}
