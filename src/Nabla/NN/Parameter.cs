using System.Diagnostics.CodeAnalysis;

namespace Nabla.NN;

/// <summary>
/// A tensor that a <see cref="Module"/> registers as learnable state (<c>torch.nn.Parameter</c>).
/// It shares storage with the tensor it wraps and requires grad by default.
/// </summary>
/// <remarks>Trimming keeps the public constructors of every parameter type: <c>Module.DeepCopy</c> rebuilds a subclass through its <c>(Tensor, bool)</c> constructor.</remarks>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
public class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/> (sharing its storage) as a leaf parameter.</summary>
    public Parameter(Tensor data, bool requiresGrad = true) : base(data)
    {
        if (requiresGrad) RequiresGrad = true;
    }

    /// <summary>PyTorch's <c>str(param)</c>: <c>Parameter containing:</c> then the tensor.</summary>
    public override string ToString() => Format(parameter: true);
}
