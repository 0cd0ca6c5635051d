using Nabla.Autograd;

namespace Nabla;

// Reading values out (Item, ToArray), printing, and starting backward.
public partial class Tensor
{
    /// <summary>The value of a one-element tensor as <typeparamref name="T"/> (<c>tensor.item()</c>).</summary>
    public T Item<T>() where T : unmanaged
    {
        if (_numel != 1)
            throw new InvalidOperationException($"a Tensor with {_numel} elements cannot be converted to Scalar");
        return ToArray<T>()[0];
    }

    /// <summary>All elements in logical (row-major) order, converted to <typeparamref name="T"/> (<c>tensor.flatten().tolist()</c>).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DTypeInfo.FromClr(typeof(T));
        return CastRaw(dtype).Span<T>().ToArray();
    }

    /// <summary>
    /// Backpropagates from this tensor (<c>tensor.backward(gradient, retain_graph, create_graph, inputs)</c>); a scalar needs no
    /// gradient. With <paramref name="inputs"/>, only those tensors accumulate into their <c>.Grad</c>.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false, Tensor[]? inputs = null)
    {
        if (inputs is not null)
        {
            BackwardInto(gradient, retainGraph, createGraph, inputs);
            return;
        }
        if (!RequiresGrad)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        if (gradient is null)
        {
            if (_numel != 1) throw new InvalidOperationException($"grad can be implicitly created only for scalar outputs (got shape {Shapes.Format(_shape)})");
            gradient = Torch.Ones(_shape, DType);
        }
        else if (!Shapes.SameShape(gradient._shape, _shape))
            throw new ArgumentException($"Mismatch in shape: grad_output[0] has a shape of {gradient.Size()} and output[0] has a shape of {Size()}.");
        Engine.Backward(this, gradient.DType == DType ? gradient : gradient.To(DType), retainGraph, createGraph);
    }

    // Kept out of Backward so that the plain call allocates nothing for the arrays this form needs.
    private void BackwardInto(Tensor? gradient, bool retainGraph, bool createGraph, Tensor[] inputs)
        => Autograd.Autograd.Backward([this], [gradient], retainGraph, createGraph, inputs);

    /// <summary>PyTorch's <c>str(tensor)</c>: values, then <c>dtype=</c>, <c>requires_grad=True</c> or <c>grad_fn=&lt;...&gt;</c> as PyTorch prints them.</summary>
    public override string ToString() => Format(this is NN.Parameter);

    private protected string Format(bool parameter)
    {
        var suffixes = TensorFormatter.Suffixes(DType, _shape, GradFn?.Name, RequiresGrad);
        if (DType.IsFloatingPoint())
        {
            var values = CastRaw(DType.Float64).Span<double>();
            return parameter ? TensorFormatter.FormatParameter(values, _shape, DType, suffixes) : TensorFormatter.Format(values, _shape, DType, suffixes);
        }
        var ints = CastRaw(DType.Int64).Span<long>();
        return parameter ? TensorFormatter.FormatParameter(ints, _shape, DType, suffixes) : TensorFormatter.Format(ints, _shape, DType, suffixes);
    }
}
