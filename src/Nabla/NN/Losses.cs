namespace Nabla.NN;

// Loss modules: Forward(input, target) calls Functional with the options given at construction.
// Like PyTorch's, they print as "CrossEntropyLoss()" whatever their options; class weights are buffers.

/// <summary>Cross entropy of logits (<c>nn.CrossEntropyLoss(weight, ignore_index=-100, reduction='mean', label_smoothing=0.0)</c>); the weight is buffer <c>weight</c>.</summary>
public class CrossEntropyLoss : Module
{
    /// <summary>Creates the loss.</summary>
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0)
    {
        Functional.CheckReduction(reduction);
        RegisterBuffer("weight", weight);
        (IgnoreIndex, Reduction, LabelSmoothing) = (ignoreIndex, reduction, labelSmoothing);
    }
    /// <summary>Class weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <summary>Target value that is ignored.</summary>
    public long IgnoreIndex { get; }
    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; }
    /// <summary>Label smoothing amount in [0, 1].</summary>
    public double LabelSmoothing { get; }
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
}

/// <summary>Negative log-likelihood (<c>nn.NLLLoss(weight, ignore_index=-100, reduction='mean')</c>); the weight is buffer <c>weight</c>.</summary>
public class NLLLoss : Module
{
    /// <summary>Creates the loss.</summary>
    public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean")
    {
        Functional.CheckReduction(reduction);
        RegisterBuffer("weight", weight);
        (IgnoreIndex, Reduction) = (ignoreIndex, reduction);
    }
    /// <summary>Class weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <summary>Target value that is ignored.</summary>
    public long IgnoreIndex { get; }
    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; }
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}

/// <summary>A loss whose only option is the reduction.</summary>
public abstract class ReducedLoss : Module
{
    /// <summary>Checks and keeps the reduction.</summary>
    protected ReducedLoss(string reduction)
    {
        Functional.CheckReduction(reduction);
        Reduction = reduction;
    }
    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; }
}

/// <summary>Mean squared error (<c>nn.MSELoss(reduction='mean')</c>).</summary>
public class MSELoss(string reduction = "mean") : ReducedLoss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error (<c>nn.L1Loss(reduction='mean')</c>).</summary>
public class L1Loss(string reduction = "mean") : ReducedLoss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Smooth L1 (<c>nn.SmoothL1Loss(reduction='mean', beta=1.0)</c>).</summary>
public class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : ReducedLoss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Beta { get; } = beta;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}

/// <summary>Huber loss (<c>nn.HuberLoss(reduction='mean', delta=1.0)</c>).</summary>
public class HuberLoss(string reduction = "mean", double delta = 1.0) : ReducedLoss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}

/// <summary>Binary cross entropy of probabilities (<c>nn.BCELoss(weight, reduction='mean')</c>); the weight is buffer <c>weight</c>.</summary>
public class BCELoss : ReducedLoss
{
    /// <summary>Creates the loss.</summary>
    public BCELoss(Tensor? weight = null, string reduction = "mean") : base(reduction) => RegisterBuffer("weight", weight);
    /// <summary>Element weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
}

/// <summary>Binary cross entropy of logits (<c>nn.BCEWithLogitsLoss(weight, reduction='mean', pos_weight)</c>); buffers <c>weight</c> and <c>pos_weight</c>.</summary>
public class BCEWithLogitsLoss : ReducedLoss
{
    /// <summary>Creates the loss.</summary>
    public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null) : base(reduction)
    {
        RegisterBuffer("weight", weight);
        RegisterBuffer("pos_weight", posWeight);
    }
    /// <summary>Element weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <summary>Weight of positive examples per class, or null.</summary>
    public Tensor? PosWeight => GetBuffer("pos_weight");
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
}

/// <summary>Kullback-Leibler divergence (<c>nn.KLDivLoss(reduction='mean', log_target=False)</c>); "batchmean" is the true KL divergence.</summary>
public class KLDivLoss : Module
{
    /// <summary>Creates the loss.</summary>
    public KLDivLoss(string reduction = "mean", bool logTarget = false)
    {
        if (reduction != "batchmean") Functional.CheckReduction(reduction);
        (Reduction, LogTarget) = (reduction, logTarget);
    }
    /// <summary>"batchmean", "mean", "sum" or "none".</summary>
    public string Reduction { get; }
    /// <summary>Whether the target is given as log-probabilities.</summary>
    public bool LogTarget { get; }
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
}
