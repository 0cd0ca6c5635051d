namespace Nabla.Optim;

/// <summary>Multiplies each group's rate by a function of the epoch every epoch (<c>torch.optim.lr_scheduler.MultiplicativeLR</c>).</summary>
public sealed class MultiplicativeLR : LRScheduler
{
    private readonly Func<int, double>[] _lambdas;

    /// <summary>One function for every group.</summary>
    public MultiplicativeLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(lrLambda, optimizer.ParamGroups.Count).ToArray(), lastEpoch) { }

    /// <summary>One function per group.</summary>
    public MultiplicativeLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas, int lastEpoch = -1) : base(optimizer)
    {
        if (lrLambdas.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"Expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lrLambdas.Count}");
        _lambdas = [.. lrLambdas];
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        return LastEpoch > 0 ? lrs.Select((lr, i) => lr * _lambdas[i](LastEpoch)).ToArray() : lrs;
    }

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        base.WriteState(sd);
        sd["lr_lambdas"] = Enumerable.Repeat<object?>(null, _lambdas.Length).ToList();
    }
}
