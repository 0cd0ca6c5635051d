using System.Collections;
using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// Base of learning-rate schedulers (<c>torch.optim.lr_scheduler._LRScheduler</c>): each <see cref="Step"/> advances
/// <see cref="LastEpoch"/> and writes the new rates into the optimizer's groups, with PyTorch 1.13's chainable formulas in double.
/// </summary>
/// <remarks>
/// A subclass sets its fields, then calls <see cref="Initialize"/> at the end of its constructor, as PyTorch's subclasses call
/// <c>super().__init__(optimizer, last_epoch)</c> last: that records <c>initial_lr</c> and takes the first step.
/// </remarks>
public abstract class LRScheduler
{
    private List<double> _lastLr = [];

    /// <summary>A scheduler of <paramref name="optimizer"/>'s groups; call <see cref="Initialize"/> once the subclass's fields are set.</summary>
    protected LRScheduler(Optimizer optimizer) => Optimizer = optimizer;

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's <c>initial_lr</c> (<c>scheduler.base_lrs</c>).</summary>
    public List<double> BaseLrs { get; protected set; } = [];

    /// <summary>The index of the last epoch (<c>scheduler.last_epoch</c>): 0 after construction, +1 per <see cref="Step"/>.</summary>
    public int LastEpoch { get; protected internal set; } = -1;

    /// <summary>How many times <see cref="Step"/> ran, the initial step included (<c>scheduler._step_count</c>).</summary>
    protected int StepCount { get; set; }

    /// <summary>
    /// PyTorch's <c>_LRScheduler.__init__</c>: with <paramref name="lastEpoch"/> = -1 each group's <c>initial_lr</c> defaults to its
    /// <c>lr</c>; when resuming (lastEpoch &gt;= 0) every group must already have one. Then takes the initial step.
    /// </summary>
    protected void Initialize(int lastEpoch)
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            if (lastEpoch == -1) groups[i].SetDefault("initial_lr", groups[i].Lr);
            else if (!groups[i].ContainsKey("initial_lr"))
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        BaseLrs = groups.Select(g => g.GetDouble("initial_lr")).ToList();
        LastEpoch = lastEpoch;
        InitialStep();
    }

    internal void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>Advances one epoch and sets each group's learning rate (<c>scheduler.step()</c>).</summary>
    public virtual void Step()
    {
        StepCount++;
        LastEpoch++;
        SetLrs(GetLr());
    }

    /// <summary>
    /// Jumps to <paramref name="epoch"/> with the closed form where there is one (PyTorch's deprecated <c>step(epoch)</c>, which
    /// <see cref="SequentialLR"/> uses at its milestones).
    /// </summary>
    protected internal virtual void StepToEpoch(int epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        SetLrs(ClosedFormLr() ?? GetLr());
    }

    /// <summary>The rates for <see cref="LastEpoch"/>, chained from the groups' current rates (<c>get_lr</c>).</summary>
    protected abstract double[] GetLr();

    /// <summary>The rates for <see cref="LastEpoch"/> straight from <see cref="BaseLrs"/> (<c>_get_closed_form_lr</c>), or null when there is none.</summary>
    protected virtual double[]? ClosedFormLr() => null;

    /// <summary>The groups' current learning rates.</summary>
    protected double[] GroupLrs() => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>Writes <paramref name="lrs"/> into the groups and remembers them for <see cref="GetLastLr"/>.</summary>
    protected void SetLrs(IReadOnlyList<double> lrs)
    {
        for (int i = 0; i < Optimizer.ParamGroups.Count && i < lrs.Count; i++) Optimizer.ParamGroups[i].Lr = lrs[i];
        _lastLr = GroupLrs().ToList();
    }

    /// <summary>Remembers the rates that <see cref="GetLastLr"/> reports.</summary>
    protected void SetLastLr(IEnumerable<double> lrs) => _lastLr = lrs.ToList();

    /// <summary>The learning rates the last step set, one per group (<c>scheduler.get_last_lr()</c>).</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    /// <summary>The scheduler's fields by PyTorch's names (<c>scheduler.state_dict()</c>: <c>base_lrs</c>, <c>last_epoch</c>, <c>_step_count</c>, <c>_last_lr</c>, ... and the subclass's own).</summary>
    public Dictionary<string, object?> StateDict()
    {
        var sd = new Dictionary<string, object?>();
        WriteState(sd);
        return sd;
    }

    /// <summary>Restores fields saved by <see cref="StateDict"/> (<c>scheduler.load_state_dict</c>); keys it lacks keep their values.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict) => ReadState(stateDict);

    /// <summary>Adds this scheduler's fields to <paramref name="sd"/>; overrides add their own after calling the base.</summary>
    protected virtual void WriteState(Dictionary<string, object?> sd)
    {
        sd["base_lrs"] = BaseLrs.ToList();
        sd["last_epoch"] = (long)LastEpoch;
        sd["verbose"] = false;
        sd["_step_count"] = (long)StepCount;
        sd["_get_lr_called_within_step"] = false;
        sd["_last_lr"] = _lastLr.ToList();
    }

    /// <summary>Reads this scheduler's fields from <paramref name="sd"/>; overrides read their own after calling the base.</summary>
    protected virtual void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        if (sd.TryGetValue("base_lrs", out var b)) BaseLrs = Doubles(b);
        if (sd.TryGetValue("last_epoch", out var e)) LastEpoch = (int)Long(e);
        if (sd.TryGetValue("_step_count", out var c)) StepCount = (int)Long(c);
        if (sd.TryGetValue("_last_lr", out var l)) _lastLr = Doubles(l);
    }

    /// <summary>A state-dict number as a double.</summary>
    protected static double Double(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    /// <summary>A state-dict number as a long.</summary>
    protected static long Long(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);

    /// <summary>A state-dict list of numbers.</summary>
    protected static List<double> Doubles(object? v) => v is IEnumerable xs ? xs.Cast<object?>().Select(Double).ToList()
        : throw new ArgumentException($"expected a list of numbers in the scheduler state, got {v}");

    /// <summary>One value per group: a single value repeated, or a list whose length must match (<c>_format_param</c>).</summary>
    protected static double[] PerGroup(Optimizer optimizer, string name, IReadOnlyList<double> values)
    {
        int n = optimizer.ParamGroups.Count;
        if (values.Count == 1) return Enumerable.Repeat(values[0], n).ToArray();
        if (values.Count != n) throw new ArgumentException($"expected {n} values for {name}, got {values.Count}");
        return values.ToArray();
    }
}
