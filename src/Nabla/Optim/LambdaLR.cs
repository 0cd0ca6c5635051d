namespace Nabla.Optim;

/// <summary>Sets each group's rate to its initial rate times a function of the epoch (<c>torch.optim.lr_scheduler.LambdaLR</c>).</summary>
/// <remarks>The functions are code, not state: <see cref="LRScheduler.StateDict"/> stores <c>lr_lambdas</c> as nulls, as PyTorch does for plain functions.</remarks>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double>[] _lambdas;

    /// <summary>One function for every group.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(lrLambda, optimizer.ParamGroups.Count).ToArray(), lastEpoch) { }

    /// <summary>One function per group.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas, int lastEpoch = -1) : base(optimizer)
    {
        if (lrLambdas.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"Expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lrLambdas.Count}");
        _lambdas = [.. lrLambdas];
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr() => BaseLrs.Select((b, i) => b * _lambdas[i](LastEpoch)).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        base.WriteState(sd);
        sd["lr_lambdas"] = Enumerable.Repeat<object?>(null, _lambdas.Length).ToList();
    }
}
