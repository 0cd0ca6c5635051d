namespace Nabla.Optim;

/// <summary>Steps several schedulers of one optimizer together, each applying its change to the rates in turn (<c>torch.optim.lr_scheduler.ChainedScheduler</c>).</summary>
public sealed class ChainedScheduler : LRScheduler
{
    private readonly LRScheduler[] _schedulers;

    /// <summary>Chains <paramref name="schedulers"/>, which must share one optimizer.</summary>
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers) : base(First(schedulers).Optimizer)
    {
        for (int i = 1; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].Optimizer, schedulers[0].Optimizer))
                throw new ArgumentException($"ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and {i} to be different");
        _schedulers = [.. schedulers];
        SetLastLr(GroupLrs());
    }

    private static LRScheduler First(IReadOnlyList<LRScheduler> schedulers)
        => schedulers.Count > 0 ? schedulers[0] : throw new ArgumentException("ChainedScheduler expects at least one scheduler");

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var s in _schedulers) s.Step();
        SetLastLr(GroupLrs());
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => GroupLrs();

    /// <summary>PyTorch's keys: <c>_last_lr</c> and <c>_schedulers</c> (each one's state dict).</summary>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["_last_lr"] = GetLastLr().ToList();
        sd["_schedulers"] = _schedulers.Select(s => (object?)s.StateDict()).ToList();
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        if (sd.TryGetValue("_last_lr", out var l)) SetLastLr(Doubles(l));
        if (sd.TryGetValue("_schedulers", out var s) && s is IEnumerable<object?> states)
            foreach (var (scheduler, state) in _schedulers.Zip(states))
                if (state is IReadOnlyDictionary<string, object?> d) scheduler.LoadStateDict(d);
    }
}
