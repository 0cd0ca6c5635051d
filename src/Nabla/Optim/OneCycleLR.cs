namespace Nabla.Optim;

/// <summary>
/// The 1cycle policy (<c>torch.optim.lr_scheduler.OneCycleLR</c>): the rate rises from <c>maxLr / divFactor</c> to <c>maxLr</c> over
/// <c>pctStart</c> of the steps, then falls to <c>initial_lr / finalDivFactor</c>; momentum (or Adam's beta1) moves the opposite way.
/// Step it after every batch; stepping past <c>totalSteps</c> throws.
/// </summary>
/// <remarks>Writes <c>initial_lr</c>, <c>max_lr</c>, <c>min_lr</c>, <c>max_momentum</c> and <c>base_momentum</c> into each group, as PyTorch does.</remarks>
public sealed class OneCycleLR : LRScheduler
{
    private sealed record Phase(double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum);

    private readonly Phase[] _phases;
    private readonly int _totalSteps;
    private readonly bool _cycleMomentum, _useBeta1;
    private readonly string _annealStrategy;

    /// <summary>One peak rate for every group.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, int lastEpoch = -1)
        : this(optimizer, [maxLr], totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum,
            divFactor, finalDivFactor, threePhase, lastEpoch)
    { }

    /// <summary>A peak rate per group (or one for all). Give <paramref name="totalSteps"/>, or <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/>.</summary>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, int lastEpoch = -1) : base(optimizer)
    {
        _totalSteps = TotalSteps(totalSteps, epochs, stepsPerEpoch);
        _phases = threePhase
            ?
            [
                new(pctStart * _totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(2 * pctStart * _totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new(_totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                new(pctStart * _totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(_totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];
        if (pctStart < 0 || pctStart > 1) throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {pctStart}");
        if (annealStrategy is not ("cos" or "linear"))
            throw new ArgumentException($"anneal_strategy must by one of 'cos' or 'linear', instead got {annealStrategy}");
        _annealStrategy = annealStrategy;

        var maxLrs = PerGroup(optimizer, "max_lr", maxLr);
        var groups = optimizer.ParamGroups;
        if (lastEpoch == -1)
            for (int i = 0; i < groups.Count; i++)
            {
                groups[i]["initial_lr"] = maxLrs[i] / divFactor;
                groups[i]["max_lr"] = maxLrs[i];
                groups[i]["min_lr"] = groups[i].GetDouble("initial_lr") / finalDivFactor;
            }
        _cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            if (!optimizer.Defaults.ContainsKey("momentum") && !optimizer.Defaults.ContainsKey("betas"))
                throw new ArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            _useBeta1 = optimizer.Defaults.ContainsKey("betas");
            if (lastEpoch == -1)
                foreach (var g in groups)
                {
                    SetMomentum(g, maxMomentum);
                    g["max_momentum"] = maxMomentum;
                    g["base_momentum"] = baseMomentum;
                }
        }
        Initialize(lastEpoch);
    }

    private static int TotalSteps(int? totalSteps, int? epochs, int? stepsPerEpoch)
    {
        if (totalSteps is null && epochs is null && stepsPerEpoch is null)
            throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (totalSteps is { } t)
            return t > 0 ? t : throw new ArgumentException($"Expected positive integer total_steps, but got {t}");
        if (epochs is not > 0) throw new ArgumentException($"Expected positive integer epochs, but got {epochs}");
        if (stepsPerEpoch is not > 0) throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {stepsPerEpoch}");
        return epochs.Value * stepsPerEpoch.Value;
    }

    private void SetMomentum(ParamGroup g, double momentum)
    {
        if (_useBeta1) g["betas"] = (momentum, g.GetPair("betas").Item2);
        else g["momentum"] = momentum;
    }

    private double Anneal(double start, double end, double pct) => _annealStrategy == "cos"
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        int stepNum = LastEpoch;
        if (stepNum > _totalSteps)
            throw new InvalidOperationException($"Tried to step {stepNum + 1} times. The specified number of total steps is {_totalSteps}");
        var lrs = new double[Optimizer.ParamGroups.Count];
        for (int gi = 0; gi < lrs.Length; gi++)
        {
            var group = Optimizer.ParamGroups[gi];
            double startStep = 0;
            for (int i = 0; i < _phases.Length; i++)
            {
                var phase = _phases[i];
                if (stepNum <= phase.EndStep || i == _phases.Length - 1)
                {
                    double pct = (stepNum - startStep) / (phase.EndStep - startStep);
                    lrs[gi] = Anneal(group.GetDouble(phase.StartLr), group.GetDouble(phase.EndLr), pct);
                    if (_cycleMomentum) SetMomentum(group, Anneal(group.GetDouble(phase.StartMomentum), group.GetDouble(phase.EndMomentum), pct));
                    break;
                }
                startStep = phase.EndStep;
            }
        }
        return lrs;
    }

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["total_steps"] = (long)_totalSteps;
        sd["_schedule_phases"] = _phases.Select(p => new Dictionary<string, object?>
        {
            ["end_step"] = p.EndStep,
            ["start_lr"] = p.StartLr,
            ["end_lr"] = p.EndLr,
            ["start_momentum"] = p.StartMomentum,
            ["end_momentum"] = p.EndMomentum,
        }).ToList();
        sd["_anneal_func_type"] = _annealStrategy;  // PyTorch 2.x's picklable stand-in for the bound anneal_func
        sd["cycle_momentum"] = _cycleMomentum;
        if (_cycleMomentum) sd["use_beta1"] = _useBeta1;
        base.WriteState(sd);
    }
}
