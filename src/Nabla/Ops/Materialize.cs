using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Allocation, contiguity and dtype conversion: what every op uses to get spans to hand to kernels.
public partial class Tensor
{
    internal static Tensor Empty(long[] shape, DType dtype, bool zeroed = false)
    {
        long numel = Shapes.Numel(shape);
        var storage = Storage.Allocate(dtype, numel, zeroed);
        return new(storage, shape, Shapes.ContiguousStrides(shape), (int)numel, contiguous: true);
    }

    /// <summary>
    /// A new uninitialised tensor of <paramref name="like"/>'s shape: the same shape array, and its strides too when they
    /// are row-major (shape and stride arrays are never written once a tensor has them, so tensors share them freely).
    /// </summary>
    internal static Tensor EmptyLike(Tensor like, DType dtype)
    {
        var strides = like._contiguous && Shapes.IsRowMajor(like._shape, like._strides) ? like._strides : Shapes.ContiguousStrides(like._shape);
        return new(Storage.Allocate(dtype, like._numel, zeroed: false), like._shape, strides, like._numel, contiguous: true);
    }

    internal static Tensor FromArray<T>(T[] data, long[] shape) => new(new Storage(data, DTypeInfo.FromClr(typeof(T))), shape);

    /// <summary>Builds a tensor over a flat array of float, double, long, int or bool in row-major order, without copying.</summary>
    public static Tensor FromArray(Array data, long[] shape)
    {
        var dtype = DTypeInfo.FromClr(data.GetType().GetElementType()!);
        if (data.Rank != 1) throw new ArgumentException("FromArray takes a flat (one-dimensional) array; reshape the result.");
        if (Shapes.Numel(shape) != data.Length)
            throw new ArgumentException($"shape {Shapes.Format(shape)} needs {Shapes.Numel(shape)} elements, but the array has {data.Length}");
        return new Tensor(new Storage(data, dtype) { Packed = Storage.Lent }, (long[])shape.Clone());
    }

    /// <summary>The elements in logical order: the storage itself when contiguous, else a gathered copy.</summary>
    internal ReadOnlySpan<T> Span<T>()
    {
        if (_numel == 0) return []; // an empty view's offset may lie past the end of its storage
        if (_contiguous) return new ReadOnlySpan<T>(_storage.As<T>(), (int)_offset, _numel);
        // The gathered copy lives in pooled memory: kernels read it before this thread's next safe point,
        // the only place where the pool can hand an unreachable storage's array to someone else.
        var copy = Empty(_shape, DType);
        CopyInto(copy);
        return new ReadOnlySpan<T>(copy._storage.As<T>(), 0, _numel);
    }

    /// <summary>A writable span over the storage of a contiguous tensor.</summary>
    internal Span<T> MutableSpan<T>() => _numel == 0 ? [] : new(_storage.As<T>(), (int)_offset, _numel);

    /// <summary>Returns this tensor if contiguous, else a contiguous copy (<c>tensor.contiguous()</c>).</summary>
    public Tensor Contiguous()
    {
        if (_contiguous) return this;
        var result = Empty(_shape, DType);
        CopyInto(result);
        if (Graph.Needs(this)) Graph.Record("CloneBackward0", result, [this], g => [g]);
        if (Trace.Active) Trace.Record("clone", [this], result);
        return result;
    }

    // Raw copy of this view's elements into a contiguous tensor of the same shape and dtype.
    private void CopyInto(Tensor dst)
    {
        switch (DType)
        {
            case DType.Float32: Strided.Gather(_storage.As<float>(), _offset, _shape, _strides, dst.MutableSpan<float>()); break;
            case DType.Float64: Strided.Gather(_storage.As<double>(), _offset, _shape, _strides, dst.MutableSpan<double>()); break;
            case DType.Int64: Strided.Gather(_storage.As<long>(), _offset, _shape, _strides, dst.MutableSpan<long>()); break;
            case DType.Int32: Strided.Gather(_storage.As<int>(), _offset, _shape, _strides, dst.MutableSpan<int>()); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: Strided.Gather(_storage.As<short>(), _offset, _shape, _strides, dst.MutableSpan<short>()); break;
            case DType.UInt8 or DType.Int8: Strided.Gather(_storage.As<byte>(), _offset, _shape, _strides, dst.MutableSpan<byte>()); break;
            default: Strided.Gather(_storage.As<bool>(), _offset, _shape, _strides, dst.MutableSpan<bool>()); break;
        }
    }

    /// <summary>A copy with its own storage (<c>tensor.clone()</c>); differentiable.</summary>
    public Tensor Clone()
    {
        var result = Empty(_shape, DType);
        CopyInto(result);
        if (Graph.Needs(this)) Graph.Record("CloneBackward0", result, [this], g => [g]);
        if (Trace.Active) Trace.Record("clone", [this], result);
        return result;
    }

    /// <summary>Converts to another dtype (<c>tensor.to(dtype)</c>); returns this tensor when the dtype already matches.</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var result = Empty(_shape, dtype);
        Cast.Convert(this, result);
        if (Graph.Needs(this) && dtype.IsFloatingPoint())
        {
            var from = DType;
            Graph.Record("ToCopyBackward0", result, [this], g => [g.To(from)]);
        }
        result.IsWrappedNumber = IsWrappedNumber;
        if (Trace.Active) Trace.Record("to", [this], result);
        return result;
    }

    /// <summary>Shorthand for <c>To(DType.Float32)</c> (<c>tensor.float()</c>).</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary>Shorthand for <c>To(DType.Float64)</c> (<c>tensor.double()</c>).</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary>Shorthand for <c>To(DType.Int64)</c> (<c>tensor.long()</c>).</summary>
    public Tensor Long() => To(DType.Int64);

    /// <summary>Shorthand for <c>To(DType.Int32)</c> (<c>tensor.int()</c>).</summary>
    public Tensor Int() => To(DType.Int32);

    /// <summary>Shorthand for <c>To(DType.Bool)</c> (<c>tensor.bool()</c>).</summary>
    public Tensor Bool() => To(DType.Bool);

    /// <summary>Like <c>torch.result_type</c>: dimensioned tensors outrank 0-d tensors, which outrank wrapped numbers, unless a lower rank has a higher category.</summary>
    internal static DType ResultType(Tensor a, Tensor b)
    {
        // Two tensors of one dtype (neither a wrapped Python number) promote to it, whatever their ranks.
        var dtype = a.DType;
        if (dtype == b.DType && !a.IsWrappedNumber && !b.IsWrappedNumber) return dtype;
        DType? dim = null, zero = null, wrapped = null;
        Update(a, ref dim, ref zero, ref wrapped);
        Update(b, ref dim, ref zero, ref wrapped);
        return Combine(dim, Combine(zero, wrapped)) ?? DType.Float32;

        static void Update(Tensor t, ref DType? dim, ref DType? zero, ref DType? wrapped)
        {
            if (t.IsWrappedNumber)
            {
                var d = t.DType.IsFloatingPoint() ? DType.Float32 : t.DType == DType.Bool ? DType.Bool : DType.Int64;
                wrapped = wrapped is { } w ? DTypeInfo.Promote(w, d) : d;
            }
            else if (t.Dim == 0) zero = zero is { } z ? DTypeInfo.Promote(z, t.DType) : t.DType;
            else dim = dim is { } x ? DTypeInfo.Promote(x, t.DType) : t.DType;
        }

        static DType? Combine(DType? higher, DType? lower)
        {
            if (higher is null) return lower;
            if (lower is null) return higher;
            return DTypeInfo.Category(lower.Value) > DTypeInfo.Category(higher.Value)
                ? DTypeInfo.Promote(higher.Value, lower.Value)
                : higher;
        }
    }

    internal static Tensor WrapScalar(double value) => new(new Storage(new[] { value }, DType.Float64), []) { IsWrappedNumber = true };

    internal static Tensor WrapScalar(long value) => new(new Storage(new[] { value }, DType.Int64), []) { IsWrappedNumber = true };

    internal void CheckFloating(string op)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: expected a floating point tensor, but got {DType.TorchName()}");
    }
}
