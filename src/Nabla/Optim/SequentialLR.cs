namespace Nabla.Optim;

/// <summary>
/// Runs schedulers one after another, switching at the milestone epochs (<c>torch.optim.lr_scheduler.SequentialLR</c>). At a milestone
/// the next scheduler restarts from epoch 0 with its closed form, as PyTorch 1.13 calls <c>scheduler.step(0)</c>.
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>Chains <paramref name="schedulers"/> (all of <paramref name="optimizer"/>), one more than <paramref name="milestones"/>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones, int lastEpoch = -1) : base(optimizer)
    {
        for (int i = 0; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
                throw new ArgumentException("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers "
                    + $"at index {i} to be different than the optimizer passed in.");
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
                + $"points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        _schedulers = [.. schedulers];
        _milestones = [.. milestones];
        LastEpoch = lastEpoch + 1;
        foreach (var g in optimizer.ParamGroups) g.Lr = g.GetDouble("initial_lr");
        foreach (var s in _schedulers) s.LastEpoch--;
        _schedulers[0].InitialStep();
        SetLastLr(_schedulers[0].GetLastLr());
    }

    /// <inheritdoc/>
    public override void Step()
    {
        LastEpoch++;
        int idx = _milestones.Count(m => m <= LastEpoch);
        var scheduler = _schedulers[idx];
        if (idx > 0 && _milestones[idx - 1] == LastEpoch) scheduler.StepToEpoch(0);
        else scheduler.Step();
        SetLastLr(scheduler.GetLastLr());
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => GroupLrs();

    /// <summary>PyTorch's keys: <c>_milestones</c>, <c>last_epoch</c>, <c>_last_lr</c> and <c>_schedulers</c> (each one's state dict).</summary>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["_milestones"] = _milestones.Select(m => (long)m).ToList();
        sd["last_epoch"] = (long)LastEpoch;
        sd["_last_lr"] = GetLastLr().ToList();
        sd["_schedulers"] = _schedulers.Select(s => (object?)s.StateDict()).ToList();
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        if (sd.TryGetValue("last_epoch", out var e)) LastEpoch = (int)Long(e);
        if (sd.TryGetValue("_last_lr", out var l)) SetLastLr(Doubles(l));
        if (sd.TryGetValue("_schedulers", out var s) && s is IEnumerable<object?> states)
            foreach (var (scheduler, state) in _schedulers.Zip(states))
                if (state is IReadOnlyDictionary<string, object?> d) scheduler.LoadStateDict(d);
    }
}
