namespace Nabla;

// In-place forms of activations: the out-of-place op on a snapshot, written back (see InPlace.cs).
public partial class Tensor
{
    /// <summary>Applies an out-of-place op and writes the result into this tensor, taking over its history.</summary>
    internal Tensor ApplyInPlace(string op, Func<Tensor, Tensor> outOfPlace) => Assign(op, outOfPlace(InPlaceInput(op)));

    /// <summary>max(x, 0) in place (<c>tensor.relu_()</c>).</summary>
    public Tensor Relu_() => ApplyInPlace("relu_", x => x.Relu());

    /// <summary>Division by a number recorded as PyTorch's C++ <c>tensor / scalar</c> (<c>DivBackward1</c>); Python's <c>x / 2</c> is <c>DivBackward0</c>.</summary>
    internal Tensor DivByScalar(double divisor)
    {
        Tensor r;
        using (Autograd.GradMode.Set(false)) r = this / divisor;
        var x = this;
        if (Autograd.Graph.Needs(x)) Autograd.Graph.Record("DivBackward1", r, [x], g => [g / divisor]);
        return r;
    }

    /// <summary>PyTorch's C++ name of the dtype in "not implemented for 'Long'" messages.</summary>
    internal static string ScalarTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Int32 => "Int",
        _ => "Bool",
    };
}
