namespace Nabla.Optim;

/// <summary>
/// Reduces each group's rate by <c>factor</c> once a metric has stopped improving for more than <c>patience</c> epochs
/// (<c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>). Call <see cref="Step(double)"/> with the metric each epoch.
/// </summary>
/// <remarks>
/// <c>mode</c> "min" or "max" says which way is better; <c>thresholdMode</c> "rel" needs an improvement by the fraction <c>threshold</c>,
/// "abs" by the amount. After a reduction, <c>cooldown</c> epochs pass before bad epochs count again. A reduction smaller than <c>eps</c>
/// is skipped; rates never go below <c>minLr</c>.
/// </remarks>
public sealed class ReduceLROnPlateau : LRScheduler
{
    private readonly double _factor, _threshold, _eps;
    private readonly int _patience, _cooldown;
    private readonly string _mode, _thresholdMode;
    private readonly double[] _minLrs;
    private int _cooldownCounter, _numBadEpochs;
    private double _best;

    /// <summary>One floor <paramref name="minLr"/> for every group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this(optimizer, [minLr], mode, factor, patience, threshold, thresholdMode, cooldown, eps) { }

    /// <summary>A floor per group (or one for all).</summary>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> minLr, string mode = "min", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, string thresholdMode = "rel", int cooldown = 0, double eps = 1e-8) : base(optimizer)
    {
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        if (minLr.Count != 1 && minLr.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"expected {optimizer.ParamGroups.Count} min_lrs, got {minLr.Count}");
        if (mode is not ("min" or "max")) throw new ArgumentException($"mode {mode} is unknown!");
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException($"threshold mode {thresholdMode} is unknown!");
        _factor = factor;
        _minLrs = PerGroup(optimizer, "min_lr", minLr);
        _patience = patience;
        _cooldown = cooldown;
        _mode = mode;
        _threshold = threshold;
        _thresholdMode = thresholdMode;
        _eps = eps;
        LastEpoch = 0;
        _best = ModeWorse;
        SetLastLr(GroupLrs());
    }

    private double ModeWorse => _mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>The best metric so far (<c>scheduler.best</c>).</summary>
    public double Best => _best;

    /// <summary>Consecutive epochs without improvement (<c>scheduler.num_bad_epochs</c>).</summary>
    public int NumBadEpochs => _numBadEpochs;

    /// <summary>Whether a reduction's cooldown is running (<c>scheduler.in_cooldown</c>).</summary>
    public bool InCooldown => _cooldownCounter > 0;

    /// <summary>Not available: this scheduler needs the metric.</summary>
    public override void Step() => throw new InvalidOperationException("ReduceLROnPlateau.Step() needs the metric: call Step(metric)");

    /// <summary>Records this epoch's <paramref name="metric"/> and reduces the rates after too many bad epochs (<c>scheduler.step(metrics)</c>).</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, _best))
        {
            _best = metric;
            _numBadEpochs = 0;
        }
        else _numBadEpochs++;
        if (InCooldown)
        {
            _cooldownCounter--;
            _numBadEpochs = 0;  // bad epochs during cooldown don't count
        }
        if (_numBadEpochs > _patience)
        {
            ReduceLr();
            _cooldownCounter = _cooldown;
            _numBadEpochs = 0;
        }
        SetLastLr(GroupLrs());
    }

    /// <summary>Same as <see cref="Step(double)"/> with a one-element tensor's value.</summary>
    public void Step(Tensor metric) => Step(metric.Item<double>());

    private void ReduceLr()
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            double oldLr = groups[i].Lr;
            double newLr = Math.Max(oldLr * _factor, _minLrs[i]);
            if (oldLr - newLr > _eps) groups[i].Lr = newLr;
        }
    }

    private bool IsBetter(double a, double best) => (_mode, _thresholdMode) switch
    {
        ("min", "rel") => a < best * (1.0 - _threshold),
        ("min", _) => a < best - _threshold,
        (_, "rel") => a > best * (_threshold + 1.0),
        _ => a > best + _threshold,
    };

    /// <inheritdoc/>
    protected override double[] GetLr() => GroupLrs();

    /// <summary>PyTorch's keys: <c>factor</c>, <c>min_lrs</c>, <c>patience</c>, <c>cooldown</c>, <c>cooldown_counter</c>, <c>mode</c>, <c>threshold</c>, <c>best</c>, ...</summary>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["factor"] = _factor;
        sd["min_lrs"] = _minLrs.ToList();
        sd["patience"] = (long)_patience;
        sd["verbose"] = false;
        sd["cooldown"] = (long)_cooldown;
        sd["cooldown_counter"] = (long)_cooldownCounter;
        sd["mode"] = _mode;
        sd["threshold"] = _threshold;
        sd["threshold_mode"] = _thresholdMode;
        sd["best"] = _best;
        sd["num_bad_epochs"] = (long)_numBadEpochs;
        sd["mode_worse"] = ModeWorse;
        sd["eps"] = _eps;
        sd["last_epoch"] = (long)LastEpoch;
        sd["_last_lr"] = GetLastLr().ToList();
    }

    /// <summary>Restores the counters and the best metric (the settings are the constructor's).</summary>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        if (sd.TryGetValue("cooldown_counter", out var c)) _cooldownCounter = (int)Long(c);
        if (sd.TryGetValue("best", out var b)) _best = Double(b);
        if (sd.TryGetValue("num_bad_epochs", out var n)) _numBadEpochs = (int)Long(n);
        if (sd.TryGetValue("last_epoch", out var e)) LastEpoch = (int)Long(e);
        if (sd.TryGetValue("_last_lr", out var l)) SetLastLr(Doubles(l));
    }
}
