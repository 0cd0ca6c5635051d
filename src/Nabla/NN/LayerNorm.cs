namespace Nabla.NN;

/// <summary>Layer normalisation over the trailing dims (<c>torch.nn.LayerNorm</c>), with an elementwise weight (ones) and bias (zeros).</summary>
public class LayerNorm : Module
{
    /// <summary>Elementwise scale of shape normalized_shape (state key <c>weight</c>), null without elementwise affine.</summary>
    [StateName("weight")] public Parameter? Weight;

    /// <summary>Elementwise shift (state key <c>bias</c>), null without elementwise affine or with bias: false.</summary>
    [StateName("bias")] public Parameter? Bias;

    /// <summary>The trailing shape that is normalised, as a tuple.</summary>
    public IntOrTuple NormalizedShape { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Whether the layer has a learnable weight (and bias).</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>Creates the layer (<c>nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)</c>).</summary>
    public LayerNorm(IntOrTuple normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32)
    {
        NormalizedShape = normalizedShape.IsScalar ? normalizedShape.AsTuple(1, "normalized_shape") : normalizedShape;
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        if (elementwiseAffine)
        {
            var shape = NormalizedShape.Values.ToArray();
            Weight = new Parameter(Torch.Ones(shape, dtype));
            if (bias) Bias = new Parameter(Torch.Zeros(shape, dtype));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{NormalizedShape}, eps={PythonRepr.Float(Eps)}, elementwise_affine={PythonRepr.Bool(ElementwiseAffine)}";
}

/// <summary>Group normalisation (<c>torch.nn.GroupNorm</c>) with a per-channel weight (ones) and bias (zeros).</summary>
public class GroupNorm : Module
{
    /// <summary>Per-channel scale (state key <c>weight</c>), null unless affine.</summary>
    [StateName("weight")] public Parameter? Weight;

    /// <summary>Per-channel shift (state key <c>bias</c>), null unless affine.</summary>
    [StateName("bias")] public Parameter? Bias;

    /// <summary>Groups the channels are split into.</summary>
    public long NumGroups { get; }

    /// <summary>Channels expected in the input.</summary>
    public long NumChannels { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>Whether the layer has a learnable weight and bias.</summary>
    public bool Affine { get; }

    /// <summary>Creates the layer (<c>nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True)</c>).</summary>
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        if (affine)
        {
            Weight = new Parameter(Torch.Ones([numChannels], dtype));
            Bias = new Parameter(Torch.Zeros([numChannels], dtype));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PythonRepr.Float(Eps)}, affine={PythonRepr.Bool(Affine)}";
}
