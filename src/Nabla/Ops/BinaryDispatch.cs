using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// Picks the kernel instantiation for a dtype: one switch per op family, no boxing, no per-element delegates.
public partial class Tensor
{
    /// <summary>Converts without recording autograd (kernels' inputs).</summary>
    internal Tensor CastRaw(DType dtype)
    {
        if (dtype == DType) return this;
        var result = Empty(_shape, dtype);
        Cast.Convert(this, result);
        return result;
    }

    internal static Tensor Arith<TF, TD, TL, TI>(string op, Tensor a, Tensor b, DType dtype)
        where TF : IBinaryOp<float, float> where TD : IBinaryOp<double, double>
        where TL : IBinaryOp<long, long> where TI : IBinaryOp<int, int>
    {
        if (dtype == DType.Bool)
        {
            // As PyTorch: bool + bool is logical or, bool * bool logical and; bool - bool is refused.
            if (op == "add") return Logical<OrOp>(op, a, b);
            if (op == "mul") return Logical<AndOp>(op, a, b);
            if (op == "sub")
                throw new ArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
            throw new ArgumentException($"{op}: not supported for {DType.Bool.TorchName()} tensors; convert with To(DType.Int64) first.");
        }
        if (ComputeType(dtype) is { } compute)
            return Arith<TF, TD, TL, TI>(op, a, b, compute).CastRaw(dtype);
        if (a.IsWrappedNumber != b.IsWrappedNumber && op is "add" or "sub" or "mul" or "div")
        {
            var withNumber = dtype switch
            {
                DType.Float32 => WithNumber<float, TF>(a, b, dtype),
                DType.Float64 => WithNumber<double, TD>(a, b, dtype),
                _ => null,
            };
            if (withNumber is not null) return withNumber;
        }
        var shape = Shapes.Broadcast(a._shape, b._shape);
        a = a.CastRaw(dtype);
        b = b.CastRaw(dtype);
        var r = ReferenceEquals(shape, a._shape) ? EmptyLike(a, dtype) : ReferenceEquals(shape, b._shape) ? EmptyLike(b, dtype) : Empty(shape, dtype);
        if (a._contiguous && b._contiguous && a._numel == r._numel && b._numel == r._numel && r._numel < ParallelSpans.ElementwiseGrain)
        {
            // Same layout, one thread: the span kernel straight away (small tensors pay for every step of the general path).
            switch (dtype)
            {
                case DType.Float32: Elementwise.Spans<float, float, TF>(a.Span<float>(), b.Span<float>(), r.MutableSpan<float>(), cached: true); break;
                case DType.Float64: Elementwise.Spans<double, double, TD>(a.Span<double>(), b.Span<double>(), r.MutableSpan<double>(), cached: true); break;
                case DType.Int64: Elementwise.Spans<long, long, TL>(a.Span<long>(), b.Span<long>(), r.MutableSpan<long>(), cached: true); break;
                default: Elementwise.Spans<int, int, TI>(a.Span<int>(), b.Span<int>(), r.MutableSpan<int>(), cached: true); break;
            }
            return r;
        }
        var sa = Shapes.BroadcastStrides(a, shape);
        var sb = Shapes.BroadcastStrides(b, shape);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, float, TF>(a.StorageArray<float>(), a._offset, sa, b.StorageArray<float>(), b._offset, sb, shape, r.MutableSpan<float>()); break;
            case DType.Float64: Elementwise.Binary<double, double, TD>(a.StorageArray<double>(), a._offset, sa, b.StorageArray<double>(), b._offset, sb, shape, r.MutableSpan<double>()); break;
            case DType.Int64: Elementwise.Binary<long, long, TL>(a.StorageArray<long>(), a._offset, sa, b.StorageArray<long>(), b._offset, sb, shape, r.MutableSpan<long>()); break;
            default: Elementwise.Binary<int, int, TI>(a.StorageArray<int>(), a._offset, sa, b.StorageArray<int>(), b._offset, sb, shape, r.MutableSpan<int>()); break;
        }
        return r;
    }

    internal static Tensor Compare<TF, TD, TL, TI>(Tensor a, Tensor b)
        where TF : IBinaryOp<float, bool> where TD : IBinaryOp<double, bool>
        where TL : IBinaryOp<long, bool> where TI : IBinaryOp<int, bool>
    {
        var dtype = ResultType(a, b);
        if (dtype == DType.Bool) dtype = DType.Int32;
        dtype = ComputeType(dtype) ?? dtype;
        var shape = Shapes.Broadcast(a._shape, b._shape);
        a = a.CastRaw(dtype);
        b = b.CastRaw(dtype);
        var r = Empty(shape, DType.Bool);
        var sa = Shapes.BroadcastStrides(a, shape);
        var sb = Shapes.BroadcastStrides(b, shape);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, bool, TF>(a.StorageArray<float>(), a._offset, sa, b.StorageArray<float>(), b._offset, sb, shape, r.MutableSpan<bool>()); break;
            case DType.Float64: Elementwise.Binary<double, bool, TD>(a.StorageArray<double>(), a._offset, sa, b.StorageArray<double>(), b._offset, sb, shape, r.MutableSpan<bool>()); break;
            case DType.Int64: Elementwise.Binary<long, bool, TL>(a.StorageArray<long>(), a._offset, sa, b.StorageArray<long>(), b._offset, sb, shape, r.MutableSpan<bool>()); break;
            default: Elementwise.Binary<int, bool, TI>(a.StorageArray<int>(), a._offset, sa, b.StorageArray<int>(), b._offset, sb, shape, r.MutableSpan<bool>()); break;
        }
        return r;
    }

    // A small contiguous tensor with a Python number (x * 0.5, 1 - x): the number is converted as the cast to the result
    // dtype converts it, and goes to the kernel the broadcast path reaches, without a tensor or strides made for it.
    private static Tensor? WithNumber<T, TOp>(Tensor a, Tensor b, DType dtype) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T, T>
    {
        bool numberFirst = a.IsWrappedNumber;
        var (tensor, number) = numberFirst ? (b, a) : (a, b);
        if (tensor.DType != dtype || !tensor._contiguous || tensor._numel >= ParallelSpans.ElementwiseGrain || number.Dim != 0) return null;
        T value;
        switch (number.DType)
        {
            case DType.Float64: value = T.CreateTruncating(number.StorageArray<double>()[number._offset]); break;
            case DType.Int64: value = T.CreateTruncating(number.StorageArray<long>()[number._offset]); break;
            default: return null;
        }
        var r = EmptyLike(tensor, dtype);
        Elementwise.WithScalar<T, T, TOp>(tensor.Span<T>(), value, numberFirst, r.MutableSpan<T>());
        return r;
    }

    // The 16-bit floats compute in float32 and round back; the narrow integers compute in int32 and wrap back, as PyTorch's CPU kernels.
    internal static DType? ComputeType(DType dtype) =>
        dtype.IsHalf() ? DType.Float32 : dtype.IsSmallInt() ? DType.Int32 : null;

    internal static Tensor Logical<TOp>(string op, Tensor a, Tensor b) where TOp : IBinaryOp<bool, bool>
    {
        // As PyTorch's logical_and/or/xor: any dtype, read as "not zero".
        if (a.DType != DType.Bool || b.DType != DType.Bool)
        {
            using (Tracing.Trace.Suspend())
            {
                a = a.DType == DType.Bool ? a : a.Ne(0.0);
                b = b.DType == DType.Bool ? b : b.Ne(0.0);
            }
        }
        var shape = Shapes.Broadcast(a._shape, b._shape);
        var r = Empty(shape, DType.Bool);
        Elementwise.Binary<bool, bool, TOp>(a.StorageArray<bool>(), a._offset, Shapes.BroadcastStrides(a, shape),
            b.StorageArray<bool>(), b._offset, Shapes.BroadcastStrides(b, shape), shape, r.MutableSpan<bool>());
        return r;
    }
}
