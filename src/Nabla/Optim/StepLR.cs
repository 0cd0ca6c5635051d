namespace Nabla.Optim;

/// <summary>Multiplies each group's learning rate by <c>gamma</c> every <c>stepSize</c> epochs (<c>torch.optim.lr_scheduler.StepLR</c>).</summary>
public sealed class StepLR : LRScheduler
{
    private int _stepSize;
    private double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs; <paramref name="lastEpoch"/> &gt;= 0 resumes.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1) : base(optimizer)
    {
        _stepSize = stepSize;
        _gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0 || LastEpoch % _stepSize != 0) return lrs;
        return lrs.Select(lr => lr * _gamma).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
        => BaseLrs.Select(b => b * Math.Pow(_gamma, Math.Floor((double)LastEpoch / _stepSize))).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["step_size"] = (long)_stepSize;
        sd["gamma"] = _gamma;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("step_size", out var s)) _stepSize = (int)Long(s);
        if (sd.TryGetValue("gamma", out var g)) _gamma = Double(g);
    }
}
