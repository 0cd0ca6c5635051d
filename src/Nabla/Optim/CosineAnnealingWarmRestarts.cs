namespace Nabla.Optim;

/// <summary>
/// Cosine annealing with warm restarts (SGDR): the rate falls from each group's initial rate to <c>etaMin</c> over <c>t0</c> epochs,
/// restarts, and each period is <c>tMult</c> times the last (<c>torch.optim.lr_scheduler.CosineAnnealingWarmRestarts</c>).
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LRScheduler
{
    private int _t0, _tMult;
    private long _tI;
    private double _etaMin, _tCur;

    /// <summary>Restarts after <paramref name="t0"/> epochs, then periods grow by <paramref name="tMult"/>.</summary>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = 1, double etaMin = 0, int lastEpoch = -1) : base(optimizer)
    {
        if (t0 <= 0) throw new ArgumentException($"Expected positive integer T_0, but got {t0}");
        if (tMult < 1) throw new ArgumentException($"Expected integer T_mult >= 1, but got {tMult}");
        _t0 = t0;
        _tI = t0;
        _tMult = tMult;
        _etaMin = etaMin;
        _tCur = lastEpoch;
        Initialize(lastEpoch);
    }

    /// <summary>Epochs since the last restart (<c>T_cur</c>).</summary>
    public double TCur => _tCur;

    /// <inheritdoc/>
    protected override double[] GetLr()
        => BaseLrs.Select(b => _etaMin + (b - _etaMin) * (1 + Math.Cos(Math.PI * _tCur / _tI)) / 2).ToArray();

    /// <summary>Advances one epoch, restarting when the period ends (PyTorch's own <c>step()</c>; it leaves <c>_step_count</c> alone).</summary>
    public override void Step()
    {
        if (LastEpoch < 0)
        {
            StepToEpoch(0);
            return;
        }
        _tCur += 1;
        if (_tCur >= _tI)
        {
            _tCur -= _tI;
            _tI *= _tMult;
        }
        LastEpoch++;
        SetLrs(GetLr());
    }

    /// <inheritdoc/>
    protected internal override void StepToEpoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentException($"Expected non-negative epoch, but got {epoch}");
        if (epoch >= _t0)
        {
            if (_tMult == 1) _tCur = epoch % _t0;
            else
            {
                int n = (int)(Math.Log((double)epoch / _t0 * (_tMult - 1) + 1) / Math.Log(_tMult));
                _tCur = epoch - _t0 * (Math.Pow(_tMult, n) - 1) / (_tMult - 1);
                _tI = _t0 * (long)Math.Pow(_tMult, n);
            }
        }
        else
        {
            _tI = _t0;
            _tCur = epoch;
        }
        LastEpoch = epoch;
        SetLrs(GetLr());
    }

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["T_0"] = (long)_t0;
        sd["T_i"] = _tI;
        sd["T_mult"] = (long)_tMult;
        sd["eta_min"] = _etaMin;
        sd["T_cur"] = _tCur;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("T_0", out var t0)) _t0 = (int)Long(t0);
        if (sd.TryGetValue("T_i", out var ti)) _tI = Long(ti);
        if (sd.TryGetValue("T_mult", out var tm)) _tMult = (int)Long(tm);
        if (sd.TryGetValue("eta_min", out var e)) _etaMin = Double(e);
        if (sd.TryGetValue("T_cur", out var tc)) _tCur = Double(tc);
    }
}
