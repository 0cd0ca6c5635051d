using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

// t[...] read and write: basic entries make views; int64 index tensors and bool masks gather (advanced indexing).
public partial class Tensor
{
    /// <summary>PyTorch indexing: <c>t[1]</c>, <c>t[.., 0]</c>, <c>t[^1]</c>, <c>t[TensorIndex.Slice(0, 4, 2)]</c>, <c>t[mask]</c>; assignable.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set => IndexPut_(indices, value);
    }

    /// <summary>Reads <c>t[indices]</c> (<c>tensor.__getitem__</c>).</summary>
    public Tensor Index(params TensorIndex[] indices)
    {
        var (view, advanced) = ApplyBasic(this, indices, raw: false);
        if (advanced.Count > 0) return view.IndexAdvanced(advanced);
        // t[...] and t[()] are a new view of the whole tensor, as in PyTorch (AliasBackward0).
        return ReferenceEquals(view, this) ? ViewGrad("AliasBackward0", AsView(_shape, _strides, _offset), g => g) : view;
    }

    /// <summary>Writes <paramref name="value"/> (broadcast) into <c>t[indices]</c> (<c>tensor.__setitem__</c>).</summary>
    public Tensor IndexPut_(TensorIndex[] indices, Tensor value)
    {
        if (!indices.Any(i => i.Kind == TensorIndex.IndexKind.Tensor))
        {
            // Basic indexing writes through a view, as PyTorch's __setitem__ (a base then records CopySlices); t[...] writes t itself.
            Tensor view;
            using (Trace.Suspend()) (view, _) = ApplyBasic(this, indices, raw: false);
            view.Copy_(value);
            return this;
        }
        CheckInPlace("index_put_", value);
        if (GradMode.IsEnabled && (RequiresGrad || value.RequiresGrad))
        {
            // Functional form with its own node, then rebase this tensor onto it.
            var self = Clone();
            var result = self.Detach().Clone();
            PutRaw(result, indices, value.Detach(), accumulate: false);
            Graph.Record("IndexPutBackward0", result, [self, value], g =>
            [
                // The overwritten positions get no gradient: g times a constant mask, differentiable in g.
                g * OverwriteMask(g, indices),
                value.RequiresGrad ? g.Index(indices).SumTo(value) : null,
            ]);
            return Assign("index_put_", result);
        }
        PutRaw(this, indices, value, accumulate: false);
        BumpVersion();
        return this;
    }

    // Ones shaped like g with zeros where `indices` writes.
    private static Tensor OverwriteMask(Tensor g, TensorIndex[] indices)
    {
        var keep = OnesLike(g.Detach());
        PutRaw(keep, indices, Zeros([], g.DType), accumulate: false);
        return keep;
    }

    /// <summary>Writes (or adds) values at the indexed positions, with no graph.</summary>
    private static void PutRaw(Tensor target, TensorIndex[] indices, Tensor value, bool accumulate)
    {
        var (view, advanced) = ApplyBasic(target.Detach(), indices, raw: true);
        if (advanced.Count == 0)
        {
            if (accumulate) view.CopyRaw(view + value);
            else view.CopyRaw(value);
            return;
        }
        var (offsets, shape) = view.AdvancedOffsets(advanced);
        var v = value.CastRaw(target.DType);
        if (!Shapes.SameShape(v._shape, shape)) v = v.ExpandRaw(shape);
        switch (target.DType)
        {
            case DType.Float32: IndexKernels.Put(target._storage.As<float>(), offsets, v.Span<float>(), accumulate); break;
            case DType.Float64: IndexKernels.Put(target._storage.As<double>(), offsets, v.Span<double>(), accumulate); break;
            case DType.Int64: IndexKernels.Put(target._storage.As<long>(), offsets, v.Span<long>(), accumulate); break;
            case DType.Int32: IndexKernels.Put(target._storage.As<int>(), offsets, v.Span<int>(), accumulate); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: IndexKernels.Put(target._storage.As<short>(), offsets, v.Span<short>(), NoAccumulation(accumulate, target.DType)); break;
            case DType.UInt8 or DType.Int8: IndexKernels.Put(target._storage.As<byte>(), offsets, v.Span<byte>(), NoAccumulation(accumulate, target.DType)); break;
            default: IndexKernels.Put(target._storage.As<bool>(), offsets, v.Span<bool>(), false); break;
        }
    }

    // Applies integers, slices, None and Ellipsis as views; returns tensor entries with the dims they index.
    private static (Tensor View, List<(int Dim, Tensor Index)> Advanced) ApplyBasic(Tensor t, TensorIndex[] indices, bool raw)
    {
        int consumed = 0, ellipses = 0;
        foreach (var ix in indices)
        {
            consumed += ix.Consumes;
            if (ix.Kind == TensorIndex.IndexKind.Ellipsis) ellipses++;
        }
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis ('...')");
        if (consumed > t.Dim) throw new IndexOutOfRangeException($"too many indices for tensor of dimension {t.Dim}");
        var advanced = new List<(int, Tensor)>();
        var view = t;
        int d = 0;
        using var noGrad = raw ? GradMode.Set(false) : null;
        foreach (var ix in indices)
        {
            switch (ix.Kind)
            {
                case TensorIndex.IndexKind.Integer:
                    view = view.Select(d, ix.Integer);
                    break;
                case TensorIndex.IndexKind.Slice:
                    long? start = ix.Start == long.MaxValue ? view._shape[d] : ix.Start;
                    view = view.Slice(d, start, ix.Stop, ix.Step);
                    d++;
                    break;
                case TensorIndex.IndexKind.None:
                    view = view.Unsqueeze(d);
                    d++;
                    break;
                case TensorIndex.IndexKind.Ellipsis:
                    d += t.Dim - consumed;
                    break;
                default:
                    var index = ix.Tensor!;
                    if (index.DType == DType.Bool)
                    {
                        for (int k = 0; k < index.Dim; k++)
                            if (index._shape[k] != view._shape[d + k])
                                throw new IndexOutOfRangeException(
                                    $"The shape of the mask {Shapes.Format(index._shape)} at index {k} does not match the shape of the indexed tensor {Shapes.Format(view._shape)} at index {d + k}");
                        var nz = index.Nonzero();
                        for (int k = 0; k < index.Dim; k++) advanced.Add((d + k, nz.Select(1, k)));
                        d += Math.Max(index.Dim, 1);
                    }
                    else
                    {
                        if (index.DType is not (DType.Int64 or DType.Int32))
                            throw new IndexOutOfRangeException($"tensors used as indices must be long, int or bool tensors (got {index.DType.TorchName()})");
                        advanced.Add((d, index));
                        d++;
                    }
                    break;
            }
        }
        return (view, advanced);
    }

    // Storage offsets of every element that advanced indexing selects, and the result shape.
    private (long[] Offsets, long[] Shape) AdvancedOffsets(List<(int Dim, Tensor Index)> advanced)
    {
        var b = advanced[0].Index._shape;
        foreach (var (_, ix) in advanced) b = Shapes.Broadcast(b, ix._shape);
        var indexed = advanced.Select(a => a.Dim).ToArray();
        var rest = Enumerable.Range(0, Dim).Where(i => !indexed.Contains(i)).ToArray();
        bool adjacent = indexed.Zip(indexed.Skip(1)).All(p => p.Second == p.First + 1);
        long numB = Shapes.Numel(b);
        var baseOffsets = new long[numB];
        Array.Fill(baseOffsets, _offset);
        foreach (var (dim, ix) in advanced)
        {
            var values = ix.CastRaw(DType.Int64).ExpandRaw(b).Span<long>();
            long size = _shape[dim];
            for (int i = 0; i < numB; i++)
            {
                long v = values[i];
                if (v < -size || v >= size) throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
                baseOffsets[i] += (v < 0 ? v + size : v) * _strides[dim];
            }
        }
        var restShape = rest.Select(i => _shape[i]).ToArray();
        var restStrides = rest.Select(i => _strides[i]).ToArray();
        long numRest = Shapes.Numel(restShape);
        var inner = new long[numRest];
        Strided.Offsets(0, restShape, restStrides, inner);
        // Layout: B dims replace the first indexed dim when the indexed dims are adjacent, else they lead.
        int pos = adjacent ? indexed[0] : 0;
        var restBefore = restShape[..Math.Min(pos, restShape.Length)];
        var restAfter = restShape[Math.Min(pos, restShape.Length)..];
        long nBefore = Shapes.Numel(restBefore), nAfter = Shapes.Numel(restAfter);
        var shape = restBefore.Concat(b).Concat(restAfter).ToArray();
        var offsets = new long[nBefore * numB * nAfter];
        int o = 0;
        for (long i = 0; i < nBefore; i++)
            for (long j = 0; j < numB; j++)
                for (long k = 0; k < nAfter; k++)
                    offsets[o++] = baseOffsets[j] + inner[i * nAfter + k];
        return (offsets, shape);
    }

    private Tensor IndexAdvanced(List<(int Dim, Tensor Index)> advanced)
    {
        var (offsets, shape) = AdvancedOffsets(advanced);
        var r = TakeOffsets(offsets, shape);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("IndexBackward0", r, [x], g => [DoubleBackward.Linear("IndexPutBackward0", g, gg =>
            {
                var z = Zeros(x._shape, gg.DType);
                var (zo, _) = z.AdvancedOffsets(advanced);
                var gc = gg.ContiguousRaw();
                if (gg.DType == DType.Float32) IndexKernels.Put(z._storage.As<float>(), zo, gc.Span<float>(), true);
                else IndexKernels.Put(z._storage.As<double>(), zo, gc.Span<double>(), true);
                return z;
            }, ggx => ggx.IndexAdvanced(advanced))]);
        if (Trace.Active)
            Trace.Record("index", [x, .. advanced.Select(a => a.Index)], r,
                new Dictionary<string, object> { ["dims"] = advanced.Select(a => (long)a.Dim).ToArray() });
        return r;
    }

    // A new contiguous tensor of `shape` holding the storage elements at `offsets`.
    private Tensor TakeOffsets(long[] offsets, long[] shape)
    {
        var r = Empty(shape, DType);
        switch (DType)
        {
            case DType.Float32: IndexKernels.Take(_storage.As<float>(), offsets, r.MutableSpan<float>()); break;
            case DType.Float64: IndexKernels.Take(_storage.As<double>(), offsets, r.MutableSpan<double>()); break;
            case DType.Int64: IndexKernels.Take(_storage.As<long>(), offsets, r.MutableSpan<long>()); break;
            case DType.Int32: IndexKernels.Take(_storage.As<int>(), offsets, r.MutableSpan<int>()); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: IndexKernels.Take(_storage.As<short>(), offsets, r.MutableSpan<short>()); break;
            case DType.UInt8 or DType.Int8: IndexKernels.Take(_storage.As<byte>(), offsets, r.MutableSpan<byte>()); break;
            default: IndexKernels.Take(_storage.As<bool>(), offsets, r.MutableSpan<bool>()); break;
        }
        return r;
    }

    /// <summary>Indices of nonzero elements, one row per element (<c>torch.nonzero</c>), shape [n, dim].</summary>
    public Tensor Nonzero()
    {
        var mask = CastRaw(DType.Bool).Span<bool>();
        int count = 0;
        foreach (var m in mask) if (m) count++;
        var r = Empty([count, Dim], DType.Int64);
        var d = r.MutableSpan<long>();
        var idx = new long[Dim];
        int row = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                idx.CopyTo(d.Slice(row * Dim, Dim));
                row++;
            }
            for (int k = Dim - 1; k >= 0; k--)
            {
                if (++idx[k] < _shape[k]) break;
                idx[k] = 0;
            }
        }
        if (Trace.Active) Trace.Record("nonzero", [this], r);
        return r;
    }

    /// <summary>Rows along <paramref name="dim"/> picked by a 1-D index; repeated indices accumulate in backward (<c>torch.index_select</c>).</summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        if (index.Dim > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        int d = Shapes.NormalizeDim(dim, Dim);
        var entries = new TensorIndex[d + 1];
        for (int i = 0; i < d; i++) entries[i] = TensorIndex.Slice();
        entries[d] = index.Dim == 0 ? index.Reshape(1) : index;
        Tensor r;
        using (GradMode.Set(false)) r = Index(entries);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("IndexSelectBackward0", r, [x], g => [IndexAddInto(x._shape, d, entries[d].Tensor!, g)]);
        return r;
    }

    /// <summary>out[i][j] = this[i][index[i][j]] along <paramref name="dim"/> (<c>torch.gather</c>).</summary>
    public Tensor Gather(int dim, Tensor index)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        var r = TakeOffsets(AlongDimOffsets(this, d, index), index._shape);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("GatherBackward0", r, [x], g => [ScatterIntoZeros(x._shape, d, index, g, accumulate: true)]);
        if (Trace.Active) Trace.Record("gather", [x, index], r, new Dictionary<string, object> { ["dim"] = (long)d });
        return r;
    }

    /// <summary>Writes (or adds) <paramref name="src"/> into this contiguous tensor at index positions along dim; returns this. No graph.</summary>
    internal Tensor ScatterRaw(int dim, Tensor index, Tensor src, bool accumulate = false)
    {
        var offsets = AlongDimOffsets(this, dim, index);
        var s = src.CastRaw(DType);
        if (!Shapes.SameShape(s._shape, index._shape)) s = s.Slice0To(index._shape);
        switch (DType)
        {
            case DType.Float32: IndexKernels.Put(_storage.As<float>(), offsets, s.Span<float>(), accumulate); break;
            case DType.Float64: IndexKernels.Put(_storage.As<double>(), offsets, s.Span<double>(), accumulate); break;
            case DType.Int64: IndexKernels.Put(_storage.As<long>(), offsets, s.Span<long>(), accumulate); break;
            case DType.Int32: IndexKernels.Put(_storage.As<int>(), offsets, s.Span<int>(), accumulate); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: IndexKernels.Put(_storage.As<short>(), offsets, s.Span<short>(), NoAccumulation(accumulate, DType)); break;
            case DType.UInt8 or DType.Int8: IndexKernels.Put(_storage.As<byte>(), offsets, s.Span<byte>(), NoAccumulation(accumulate, DType)); break;
            default: IndexKernels.Put(_storage.As<bool>(), offsets, s.Span<bool>(), false); break;
        }
        return this;
    }

    // The leading block of `this` with the given (smaller or equal) shape: scatter reads src only where index has entries.
    private Tensor Slice0To(long[] shape)
    {
        if (shape.Length != Dim) throw new ArgumentException($"Index tensor must have the same number of dimensions as src tensor ({shape.Length} vs {Dim})");
        return new Tensor(_storage, shape, _strides, _offset);
    }

    private static long[] AlongDimOffsets(Tensor t, int dim, Tensor index)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"gather/scatter(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        if (index.Dim != t.Dim)
            throw new ArgumentException($"Index tensor must have the same number of dimensions as input tensor ({index.Dim} vs {t.Dim})");
        for (int i = 0; i < t.Dim; i++)
            if (i != dim && index._shape[i] > t._shape[i])
                throw new ArgumentException($"Size does not match at dimension {i} expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(t._shape)} apart from dimension {dim}");
        var strides = (long[])t._strides.Clone();
        strides[dim] = 0;
        var offsets = new long[index._numel];
        Strided.Offsets(t._offset, index._shape, strides, offsets);
        var idx = index.Span<long>();
        long size = t._shape[dim], stride = t._strides[dim];
        for (int i = 0; i < offsets.Length; i++)
        {
            long v = idx[i];
            if (v < -size || v >= size) throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
            offsets[i] += (v < 0 ? v + size : v) * stride;
        }
        return offsets;
    }

    // Accumulating puts have kernels for float32/64 and int32/64 only; the storage dtypes are moved, never summed, here.
    private static bool NoAccumulation(bool accumulate, DType dtype) => accumulate
        ? throw new NotSupportedException($"index_put_ with accumulate=True is not implemented for {dtype.TorchName()} tensors; convert with To(DType.Float32) first")
        : false;
}
