namespace Nabla.Data;

/// <summary>
/// Samples cut along the first dimension of two tensors (<c>torch.utils.data.TensorDataset(x, y)</c>): sample
/// <c>i</c> is <c>(x[i], y[i])</c>.
/// </summary>
public sealed class TensorDataset : Dataset<(Tensor, Tensor)>
{
    /// <summary>Pairs the rows of <paramref name="inputs"/> and <paramref name="targets"/>, which must have the same first dimension.</summary>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Dim == 0 || targets.Dim == 0 || inputs.Shape[0] != targets.Shape[0])
            throw new ArgumentException("Size mismatch between tensors");
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>The first tensor (<c>dataset.tensors[0]</c>).</summary>
    public Tensor Inputs { get; }

    /// <summary>The second tensor (<c>dataset.tensors[1]</c>).</summary>
    public Tensor Targets { get; }

    /// <inheritdoc/>
    public override int Count => (int)Inputs.Shape[0];

    /// <inheritdoc/>
    public override (Tensor, Tensor) this[int index] => (Inputs[index], Targets[index]);
}
