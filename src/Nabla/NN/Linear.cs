namespace Nabla.NN;

/// <summary>y = x Wᵀ + b (<c>torch.nn.Linear</c>), initialised as PyTorch does (kaiming_uniform_ with a=√5, bias U(±1/√in)).</summary>
public class Linear : Module
{
    /// <summary>Weight of shape [outFeatures, inFeatures] (state key <c>weight</c>).</summary>
    [StateName("weight")] public Parameter Weight;

    /// <summary>Bias of shape [outFeatures], or null when built with bias: false (state key <c>bias</c>).</summary>
    [StateName("bias")] public Parameter? Bias;

    /// <summary>Input size.</summary>
    public long InFeatures { get; }

    /// <summary>Output size.</summary>
    public long OutFeatures { get; }

    /// <summary>Creates the layer (<c>nn.Linear(in_features, out_features, bias=True, dtype=None)</c>).</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, DType dtype = DType.Float32)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(Torch.Empty([outFeatures, inFeatures], dtype));
        if (bias) Bias = new Parameter(Torch.Empty([outFeatures], dtype));
        ResetParameters();
    }

    /// <summary>Re-draws weight and bias from the default generator (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is not null ? "True" : "False")}";
}
