using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Matrix products: one batched kernel; matmul's broadcasting and vector cases are views around it.
public partial class Tensor
{
    /// <summary>Matrix product of two 2-D tensors (<c>torch.mm</c>).</summary>
    public Tensor Mm(Tensor other)
    {
        if (Dim != 2 || other.Dim != 2)
            throw new ArgumentException($"mm: expected 2-D tensors, but got {Dim}-D and {other.Dim}-D (shapes {Shapes.Format(_shape)} and {Shapes.Format(other._shape)})");
        if (_shape[1] != other._shape[0])
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({Shapes.FormatX(_shape)} and {Shapes.FormatX(other._shape)})");
        var r = Bmm3(Unsqueeze0Raw(), other.Unsqueeze0Raw()).ReshapedFresh([_shape[0], other._shape[1]]);
        var a = this;
        if (Graph.Needs(a, other))
            Graph.Record("MmBackward0", r, [a, other], g =>
                [a.RequiresGrad ? g.Mm(other.T()) : null, other.RequiresGrad ? a.T().Mm(g) : null], a, other);
        if (Trace.Active) Trace.Record("matmul", [a, other], r);
        return r;
    }

    /// <summary>Batched matrix product of two 3-D tensors (<c>torch.bmm</c>).</summary>
    public Tensor Bmm(Tensor other)
    {
        if (Dim != 3 || other.Dim != 3)
            throw new ArgumentException($"bmm: expected 3-D tensors, but got {Dim}-D and {other.Dim}-D");
        if (_shape[0] != other._shape[0] || _shape[2] != other._shape[1])
            throw new ArgumentException(
                $"Expected size for first two dimensions of batch2 tensor to be: [{_shape[0]}, {_shape[2]}] but got: [{other._shape[0]}, {other._shape[1]}].");
        var r = Bmm3(this, other);
        var a = this;
        if (Graph.Needs(a, other))
            Graph.Record("BmmBackward0", r, [a, other], g =>
                [a.RequiresGrad ? g.Bmm(other.Transpose(1, 2)) : null, other.RequiresGrad ? a.Transpose(1, 2).Bmm(g) : null], a, other);
        if (Trace.Active) Trace.Record("matmul", [a, other], r);
        return r;
    }

    private Tensor Unsqueeze0Raw() => new(_storage, [1, .. _shape], [0, .. _strides], _offset);

    // The raw kernel call: no graph, no trace. Operands are read in place where they can be (see InPlaceMatrices);
    // a bias ([n], the result's dtype, unit stride) and ReLU run in the kernel's epilogue.
    private static Tensor Bmm3(Tensor a, Tensor b, Tensor? bias = null, bool relu = false)
    {
        var dtype = ResultType(a, b);
        if (dtype == DType.Bool) throw new ArgumentException("matmul: not supported for torch.bool tensors");
        var ac = a.CastRaw(dtype).InPlaceMatrices();
        var bc = b.CastRaw(dtype).InPlaceMatrices();
        int batch = (int)a._shape[0], m = (int)a._shape[1], k = (int)a._shape[2], n = (int)b._shape[2];
        var r = Empty([batch, m, n], dtype);
        switch (dtype)
        {
            case DType.Float32: BatchedInto<float>(ac, bc, r, bias, relu); break;
            case DType.Float64: BatchedInto<double>(ac, bc, r, bias, relu); break;
            case DType.Int64: BatchedInto<long>(ac, bc, r, bias, relu); break;
            default: BatchedInto<int>(ac, bc, r, bias, relu); break;
        }
        return r;
    }

    private static void BatchedInto<T>(Tensor a, Tensor b, Tensor r, Tensor? bias, bool relu) where T : unmanaged, System.Numerics.INumber<T>
        => Gemm.Batched(a.AsMatrixBatch<T>(), b.AsMatrixBatch<T>(), r.AsMatrixBatch<T>(),
            (int)r._shape[0], (int)r._shape[1], (int)a._shape[2], (int)r._shape[2], bias: bias?.StorageArray<T>(), biasOffset: bias?._offset ?? 0, relu: relu);

    // A 3-D tensor's matrices as the kernel reads them.
    private MatrixBatch<T> AsMatrixBatch<T>() => new(StorageArray<T>(), _offset, _strides[0], _strides[1], _strides[2]);

    // This 3-D tensor itself when each matrix has a unit stride in one of its dims (contiguous or a transposed
    // view: the kernel reads it in place), else a contiguous copy.
    private Tensor InPlaceMatrices()
    {
        bool Unit(int d) => _strides[d] == 1 || _shape[d] == 1;
        return Unit(1) || Unit(2) ? this : ContiguousRaw();
    }

    /// <summary>
    /// input (2-D) @ weightᵀ (+ bias) (then ReLU), with no graph and no trace: Linear's addmm and the fused inference
    /// path. The bias and ReLU run in the product's epilogue, in the same order as the unfused ops (bias added once
    /// after the k-sum, as PyTorch's addmm does), so the values are the same; weightᵀ is read in place.
    /// </summary>
    internal static Tensor LinearRaw(Tensor input, Tensor weight, Tensor? bias, bool relu, bool inference = false)
    {
        var dtype = ResultType(input, weight);
        long m = input._shape[0], n = weight._shape[0];
        bool fuseBias = bias is null || (bias.Dim == 1 && bias._shape[0] == n && bias.DType == dtype);
        if (inference && fuseBias && dtype == DType.Float32 && input.DType == DType.Float32 && weight.DType == DType.Float32
            && Gemm.TakesPrepacked<float>((int)m, (int)weight._shape[1], (int)n)
            && PackedWeight(weight) is { } packed)
            return LinearPrepacked(input, packed, bias?.ContiguousRaw(), relu);
        var weightT = new Tensor(weight._storage, [1, weight._shape[1], n], [0, weight._strides[1], weight._strides[0]], weight._offset);
        var product = Bmm3(input.Unsqueeze0Raw(), weightT, fuseBias ? bias?.ContiguousRaw() : null, relu && fuseBias);
        var r = product.ReshapedFresh([m, n]);
        if (fuseBias) return r;
        using (GradMode.Set(false))
        {
            r = r + bias!;
            return relu ? r.Relu() : r;
        }
    }

    // Inference with weights that stay put between calls (eval loops, serving): weightᵀ is packed once per weight version
    // and kept with its storage, so each call packs only the input. The sums are the same as the unpacked product's.
    // One packed matrix per storage: a second matrix over the same storage (a view of a flat buffer) is not kept, so two
    // of them never repack in turn; null sends that one to the ordinary product.
    private static unsafe PackedMatrix<float>? PackedWeight(Tensor weight)
    {
        int k = (int)weight._shape[1], n = (int)weight._shape[0];
        var storage = weight._storage;
        // Bᵀ = W: B's element (p, j) is W[j, p].
        long rowStride = weight._strides[1], colStride = weight._strides[0];
        if (storage.External) return null;
        var kept = storage.Packed as PackedMatrix<float>;
        if (kept is not null && !kept.PackedFrom(weight._offset, rowStride, colStride, k, n)) return null;
        if (kept is not null && kept.IsCurrent(storage.Version)) return kept;
        fixed (float* w = storage.As<float>())
            kept = Gemm.Prepack(new StridedMatrix<float>(w + weight._offset, (nint)rowStride, (nint)colStride), k, n, storage.Version, weight._offset);
        storage.Packed = kept;
        return kept;
    }

    private static unsafe Tensor LinearPrepacked(Tensor input, PackedMatrix<float> packed, Tensor? bias, bool relu)
    {
        int m = (int)input._shape[0], n = packed.N;
        var r = Empty([m, n], DType.Float32);
        fixed (float* x = input._storage.As<float>(), c = r._storage.As<float>(), b = bias?._storage.As<float>())
            Gemm.MultiplyPrepacked(new StridedMatrix<float>(x + input._offset, (nint)input._strides[0], (nint)input._strides[1]), packed,
                c + r._offset, n, m, new GemmEpilogue<float>(b == null ? null : b + bias!._offset, relu));
        return r;
    }

    internal Tensor ContiguousRaw()
    {
        if (_contiguous) return this;
        var r = Empty(_shape, DType);
        CopyInto(r);
        return r;
    }

    // A contiguous tensor's elements as an array starting at index 0.
    internal T[] Compact<T>()
    {
        var arr = _storage.As<T>();
        if (_contiguous && _offset == 0 && arr.Length == _numel) return arr;
        return Span<T>().ToArray();
    }

    /// <summary>Matrix product with PyTorch's rules for 1-D, 2-D and broadcast batched operands (<c>torch.matmul</c>, <c>@</c>).</summary>
    public Tensor Matmul(Tensor other)
    {
        if (Dim == 0 || other.Dim == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {Dim}D and {other.Dim}D");
        Tensor r;
        using (Trace.Suspend())
        {
            if (Dim == 2 && other.Dim == 2) r = Mm(other);
            else if (Dim == 1 && other.Dim == 1) r = Dot(other);
            else if (Dim == 2 && other.Dim == 1) r = Mv(other);
            else if (Dim == 1 && other.Dim == 2) r = Unsqueeze(0).Mm(other).SqueezeDims(0, "SqueezeBackward3");  // 1.13's squeeze_(0)
            else r = BroadcastMatmul(other);
        }
        if (Trace.Active) Trace.Record("matmul", [this, other], r);
        return r;
    }

    /// <summary>Inner product of two 1-D tensors (<c>torch.dot</c>).</summary>
    public Tensor Dot(Tensor other)
    {
        if (Dim != 1 || other.Dim != 1)
            throw new ArgumentException($"1D tensors expected, but got {Dim}D and {other.Dim}D tensors");
        if (_shape[0] != other._shape[0])
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{_shape[0]}] and src [{other._shape[0]}] to have the same number of elements, but got {_shape[0]} and {other._shape[0]} elements respectively");
        var r = Bmm3(Vector1DAs([1, 1, _shape[0]]), other.Vector1DAs([1, other._shape[0], 1]));
        r = r.ReshapedFresh([]);
        var a = this;
        if (Graph.Needs(a, other))
            Graph.Record("DotBackward0", r, [a, other], g =>
                [a.RequiresGrad ? g * other : null, other.RequiresGrad ? g * a : null], a, other);
        if (Trace.Active) Trace.Record("matmul", [a, other], r);
        return r;
    }

    /// <summary>Matrix-vector product (<c>torch.mv</c>).</summary>
    public Tensor Mv(Tensor vec)
    {
        if (Dim != 2 || vec.Dim != 1)
            throw new ArgumentException($"vector + matrix @ vector expected, got {Dim}, {vec.Dim}");
        if (_shape[1] != vec._shape[0])
            throw new ArgumentException($"size mismatch, got {_shape[0]}, {Shapes.FormatX(_shape)},{vec._shape[0]}");
        var r = Bmm3(Unsqueeze0Raw(), vec.Vector1DAs([1, vec._shape[0], 1]));
        r = r.ReshapedFresh([_shape[0]]);
        var a = this;
        if (Graph.Needs(a, vec))
            Graph.Record("MvBackward0", r, [a, vec], g =>
                [a.RequiresGrad ? g.Unsqueeze(1).Mm(vec.Unsqueeze(0)) : null, vec.RequiresGrad ? a.T().Mv(g) : null], a, vec);
        if (Trace.Active) Trace.Record("matmul", [a, vec], r);
        return r;
    }

    // This 1-D tensor (any stride) seen with size-1 dims added around it; no graph.
    private Tensor Vector1DAs(long[] shape) => new(_storage, shape, shape.Select(d => d == 1 ? 0L : _strides[0]).ToArray(), _offset);

    private Tensor BroadcastMatmul(Tensor other)
    {
        var a = Dim == 1 ? Unsqueeze(0) : this;
        var b = other.Dim == 1 ? other.Unsqueeze(1) : other;
        long m = a._shape[^2], k = a._shape[^1], k2 = b._shape[^2], n = b._shape[^1];
        if (k != k2)
        {
            // PyTorch folds a batched left operand into one matrix before mm, and its message shows the folded shape.
            long[] left = other.Dim == 2 ? [Shapes.Numel(a._shape[..^1]), k] : _shape;
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({Shapes.FormatX(left)} and {Shapes.FormatX(other._shape)})");
        }
        var batch = Shapes.Broadcast(a._shape[..^2], b._shape[..^2]);
        long bs = Shapes.Numel(batch);
        var a3 = a.Expand([.. batch, m, k]).Reshape(bs, m, k);
        var b3 = b.Expand([.. batch, k, n]).Reshape(bs, k, n);
        long[] shape = [.. batch, .. (Dim == 1 ? Array.Empty<long>() : [m]), .. (other.Dim == 1 ? Array.Empty<long>() : [n])];
        var product = a3.Bmm(b3);
        var r = product.ViewGrad("UnsafeViewBackward0", product.AsView(shape, Shapes.ContiguousStrides(shape), product._offset), g => g.Reshape(product._shape));
        // PyTorch 1.13 computes 2-D @ batched as (bᵀ @ aᵀ)ᵀ and copies it contiguous (CloneBackward0), unless b's matrices
        // are a transposed 3-D layout, which goes to bmm.
        bool folded = Dim == 2 && !(other.Dim == 3 && other._strides[2] != 1 && other._strides[0] == other._shape[1] * other._shape[2]);
        return folded && r.RequiresGrad ? r.Clone() : r;
    }

    /// <summary>Matrix product (<c>a @ b</c> in Python; C# has no @ operator).</summary>
    public static Tensor Matmul(Tensor a, Tensor b) => a.Matmul(b);
}
