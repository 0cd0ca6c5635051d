namespace Nabla.NN;

/// <summary>Flattens dims startDim..endDim into one (<c>torch.nn.Flatten</c>); by default everything but the batch dim.</summary>
public class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First dim flattened.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last dim flattened.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}

/// <summary>Splits one dim into several (<c>torch.nn.Unflatten(dim, unflattened_size)</c>); one size may be -1.</summary>
public class Unflatten(int dim, long[] unflattenedSize) : Module
{
    /// <summary>The dim that is split.</summary>
    public int Dim { get; } = dim;

    /// <summary>The sizes it is split into.</summary>
    public IReadOnlyList<long> UnflattenedSize { get; } = (long[])unflattenedSize.Clone();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int d = Shapes.NormalizeDim(Dim, input.Dim);
        var shape = input.Shape;
        return input.View([.. shape[..d], .. UnflattenedSize, .. shape[(d + 1)..]]);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={Dim}, unflattened_size={PythonRepr.Tuple(UnflattenedSize)}";
}

/// <summary>Returns its input unchanged (<c>torch.nn.Identity</c>): a placeholder where a layer is optional.</summary>
public class Identity : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}
