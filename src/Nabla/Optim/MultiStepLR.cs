namespace Nabla.Optim;

/// <summary>Multiplies each group's learning rate by <c>gamma</c> at every milestone epoch, once per occurrence (<c>torch.optim.lr_scheduler.MultiStepLR</c>).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private SortedDictionary<long, long> _milestones;
    private double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> at each of <paramref name="milestones"/> (a repeated milestone decays once per repeat).</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int lastEpoch = -1) : base(optimizer)
    {
        _milestones = new SortedDictionary<long, long>();
        foreach (var m in milestones) _milestones[m] = _milestones.GetValueOrDefault(m) + 1;
        _gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (!_milestones.TryGetValue(LastEpoch, out long count)) return lrs;
        return lrs.Select(lr => lr * Math.Pow(_gamma, count)).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
    {
        long passed = _milestones.Where(m => m.Key <= LastEpoch).Sum(m => m.Value);
        return BaseLrs.Select(b => b * Math.Pow(_gamma, passed)).ToArray();
    }

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["milestones"] = new Dictionary<long, long>(_milestones);
        sd["gamma"] = _gamma;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("milestones", out var m) && m is System.Collections.IDictionary d)
        {
            _milestones = new SortedDictionary<long, long>();
            foreach (System.Collections.DictionaryEntry e in d) _milestones[Long(e.Key)] = Long(e.Value);
        }
        if (sd.TryGetValue("gamma", out var g)) _gamma = Double(g);
    }
}
