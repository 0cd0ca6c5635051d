using static Nabla.Torch;
using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla;

// Views share storage with their base, as in PyTorch; each records a backward that maps the gradient back.
public partial class Tensor
{
    internal Tensor AsView(long[] shape, long[] strides, long offset)
        => new(_storage, shape, strides, offset) { _viewBase = _viewBase ?? this, _viewVersion = _storage.Version, _viewCreation = CreationOfView() };

    /// <summary>Whether this tensor is a view of another (<c>tensor._is_view()</c>).</summary>
    public bool IsView => _viewBase is not null;

    private Tensor ViewGrad(string name, Tensor r, Func<Tensor, Tensor> backward)
    {
        if (Graph.Needs(this)) Graph.Record(name, r, [this], g => [backward(g)]);
        return r;
    }

    // The same with the backward's state passed in: call sites give static lambdas, so a view that records no graph
    // allocates no closure or delegate for it.
    private Tensor ViewGrad<TState>(string name, Tensor r, TState state, Func<Tensor, TState, Tensor> backward)
    {
        if (Graph.Needs(this)) Graph.Record(name, r, [this], g => [backward(g, state)]);
        return r;
    }

    /// <summary>Same data with a new shape, without copying; one dimension may be -1 (<c>tensor.view</c>).</summary>
    public Tensor View(params long[] shape)
    {
        var size = Shapes.InferSize(shape, _numel);
        var strides = ViewStrides(size) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var r = ViewGrad("ViewBackward0", AsView(size, strides, _offset), _shape, static (g, input) => g.Reshape(input));
        if (Trace.Active) Trace.Record("reshape", [this], r, new Dictionary<string, object> { ["shape"] = size });
        return r;
    }

    /// <summary>A view when the layout allows one, else a copy; one dimension may be -1 (<c>tensor.reshape</c>).</summary>
    public Tensor Reshape(params long[] shape)
    {
        var size = Shapes.InferSize(shape, _numel);
        if (ViewStrides(size) is not null) return View(size);
        Tensor r;
        using (Trace.Suspend()) r = Contiguous().Detach().View(size);
        r = ViewGrad("UnsafeViewBackward0", new Tensor(r._storage, r._shape, r._strides, r._offset), _shape, static (g, input) => g.Reshape(input));
        if (Trace.Active) Trace.Record("reshape", [this], r, new Dictionary<string, object> { ["shape"] = size });
        return r;
    }

    // Strides for viewing this tensor as `size`, or null when no view exists (PyTorch's computeStride).
    private long[]? ViewStrides(long[] size)
    {
        if (_contiguous) return Shapes.ContiguousStrides(size);
        var newStrides = new long[size.Length];
        if (_numel == 0) return Shapes.ContiguousStrides(size);
        int viewD = size.Length - 1;
        long chunkBase = _strides.Length > 0 ? _strides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= _shape[d];
            if (d == 0 || (_shape[d - 1] != 1 && _strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || size[viewD] == 1))
                {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= size[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = _strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /// <summary>Views as the shape of <paramref name="other"/> (<c>tensor.view_as</c>).</summary>
    public Tensor ViewAs(Tensor other) => View(other._shape);

    /// <summary>Flattens dimensions startDim..endDim into one (<c>torch.flatten</c>).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Dim == 0) return Reshape(1);
        int s = Shapes.NormalizeDim(startDim, Dim), e = Shapes.NormalizeDim(endDim, Dim);
        if (s > e) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return this;
        var shape = new List<long>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        long n = 1;
        for (int i = s; i <= e; i++) n *= _shape[i];
        shape.Add(n);
        for (int i = e + 1; i < Dim; i++) shape.Add(_shape[i]);
        return Reshape([.. shape]);
    }

    /// <summary>Swaps two dimensions (<c>torch.transpose</c>).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = Shapes.NormalizeDim(dim0, Dim), b = Shapes.NormalizeDim(dim1, Dim);
        var perm = new int[Dim];
        for (int i = 0; i < Dim; i++) perm[i] = i;
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return PermuteView(perm, "TransposeBackward0", (a, b), static (g, dims) => g.Transpose(dims.a, dims.b));
    }

    /// <summary>Transpose of a tensor of at most 2 dimensions (<c>tensor.t()</c>).</summary>
    public Tensor T()
    {
        if (Dim > 2) throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {Dim}D");
        if (Dim < 2) return ViewGrad("TBackward0", AsView(_shape, _strides, _offset), 0, static (g, _) => g);
        return PermuteView([1, 0], "TBackward0", 0, static (g, _) => g.T());
    }

    /// <summary>Reorders dimensions (<c>tensor.permute</c>).</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Dim)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        var perm = new int[Dim];
        var seen = new bool[Dim];
        for (int i = 0; i < Dim; i++)
        {
            perm[i] = Shapes.NormalizeDim(dims[i], Dim);
            if (seen[perm[i]]) throw new ArgumentException("permute(): duplicate dims are not allowed.");
            seen[perm[i]] = true;
        }
        var inverse = new int[Dim];
        for (int i = 0; i < Dim; i++) inverse[perm[i]] = i;
        return PermuteView(perm, "PermuteBackward0", inverse, static (g, inverse) => g.Permute(inverse));
    }

    private Tensor PermuteView<TState>(int[] perm, string name, TState state, Func<Tensor, TState, Tensor> backward)
    {
        var shape = new long[Dim];
        var strides = new long[Dim];
        for (int i = 0; i < Dim; i++)
        {
            shape[i] = _shape[perm[i]];
            strides[i] = _strides[perm[i]];
        }
        var r = ViewGrad(name, AsView(shape, strides, _offset), state, backward);
        if (Trace.Active) Trace.Record("permute", [this], r, new Dictionary<string, object> { ["perm"] = perm.Select(p => (long)p).ToArray() });
        return r;
    }

    /// <summary>Broadcasts size-1 dimensions to a larger size without copying; -1 keeps a size (<c>tensor.expand</c>).</summary>
    public Tensor Expand(params long[] shape)
    {
        if (shape.Length < Dim)
            throw new ArgumentException($"expand: the number of sizes provided ({shape.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        var size = new long[shape.Length];
        var strides = new long[shape.Length];
        int lead = shape.Length - Dim;
        for (int i = 0; i < shape.Length; i++)
        {
            long want = shape[i];
            if (i < lead)
            {
                if (want < 0) throw new ArgumentException($"expand: -1 is not allowed in a leading, non-existing dimension {i}");
                size[i] = want;
                strides[i] = 0;
                continue;
            }
            long have = _shape[i - lead];
            if (want == -1) want = have;
            if (have != want && have != 1)
                throw new ArgumentException(
                    $"The expanded size of the tensor ({want}) must match the existing size ({have}) at non-singleton dimension {i}.  Target sizes: {Shapes.Format(shape)}.  Tensor sizes: {Shapes.Format(_shape)}");
            size[i] = want;
            strides[i] = have == want ? _strides[i - lead] : 0;
        }
        if (Shapes.SameShape(size, _shape)) return this;
        var r = ViewGrad("ExpandBackward0", AsView(size, strides, _offset), this, static (g, input) => g.SumTo(input));
        if (Trace.Active) Trace.Record("expand", [this], r, new Dictionary<string, object> { ["shape"] = size });
        return r;
    }

    /// <summary>Expands to the shape of <paramref name="other"/> (<c>tensor.expand_as</c>).</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other._shape);

    /// <summary>Removes all size-1 dimensions (<c>tensor.squeeze()</c>).</summary>
    public Tensor Squeeze() => SqueezeDims(-1, "SqueezeBackward0");

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (<c>tensor.squeeze(dim)</c>).</summary>
    public Tensor Squeeze(int dim)
    {
        return SqueezeDims(Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim), "SqueezeBackward1");
    }

    // Drops size-1 dimensions: only `dim`, or every one when dim is -1.
    private Tensor SqueezeDims(int dim, string name)
    {
        int kept = 0;
        for (int i = 0; i < Dim; i++) if (_shape[i] != 1 || (dim >= 0 && i != dim)) kept++;
        var shape = new long[kept];
        var strides = new long[kept];
        for (int i = 0, k = 0; i < Dim; i++)
        {
            if (_shape[i] == 1 && (dim < 0 || i == dim)) continue;
            shape[k] = _shape[i];
            strides[k++] = _strides[i];
        }
        var r = ViewGrad(name, AsView(shape, strides, _offset), _shape, static (g, input) => g.Reshape(input));
        if (Trace.Active) Trace.Record("reshape", [this], r, new Dictionary<string, object> { ["shape"] = shape });
        return r;
    }

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/> (<c>tensor.unsqueeze</c>).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Dim + 1 : dim;
        if (d < 0 || d > Dim)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-Dim - 1}, {Dim}], but got {dim})");
        var shape = new long[Dim + 1];
        var strides = new long[Dim + 1];
        for (int i = 0, k = 0; i <= Dim; i++)
        {
            if (i == d)
            {
                shape[i] = 1;
                strides[i] = d < Dim ? _strides[d] * _shape[d] : 1;
                continue;
            }
            shape[i] = _shape[k];
            strides[i] = _strides[k++];
        }
        var r = ViewGrad("UnsqueezeBackward0", AsView(shape, strides, _offset), d, static (g, d) => g.Squeeze(d));
        if (Trace.Active) Trace.Record("reshape", [this], r, new Dictionary<string, object> { ["shape"] = shape.ToArray() });
        return r;
    }

    /// <summary>The slice start:stop:step along one dimension as a view (<c>tensor.narrow</c> / slicing).</summary>
    public Tensor Slice(int dim, long? start, long? stop, long step = 1)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        if (step <= 0) throw new ArgumentException("slice step must be positive");
        long n = _shape[d];
        long s = start ?? 0, e = stop ?? n;
        if (s < 0) s += n;
        if (e < 0) e += n;
        s = Math.Clamp(s, 0, n);
        e = Math.Clamp(e, s, n);
        long len = (e - s + step - 1) / step;
        var shape = Shape;
        var strides = Strides;
        shape[d] = len;
        strides[d] *= step;
        var input = this;
        var r = AsView(shape, strides, _offset + s * _strides[d]);
        r = ViewGrad("SliceBackward0", r, g => ScatterIntoZeros("SliceBackwardBackward0", g, input, z => z.Slice(d, s, e, step)));
        if (Trace.Active)
            Trace.Record("slice", [this], r, new Dictionary<string, object> { ["dim"] = (long)d, ["start"] = s, ["end"] = e, ["step"] = step });
        return r;
    }

    /// <summary>Narrows dimension <paramref name="dim"/> to [start, start + length) (<c>tensor.narrow</c>).</summary>
    public Tensor Narrow(int dim, long start, long length) => Slice(dim, start, start + length);

    /// <summary>Indexes one position of a dimension, removing it (<c>tensor.select</c>).</summary>
    public Tensor Select(int dim, long index)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        long n = _shape[d];
        if (index < -n || index >= n)
            throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension {d} with size {n}");
        if (index < 0) index += n;
        var shape = _shape.Where((_, i) => i != d).ToArray();
        var strides = _strides.Where((_, i) => i != d).ToArray();
        var input = this;
        long idx = index;
        var r = ViewGrad("SelectBackward0", AsView(shape, strides, _offset + index * _strides[d]),
            g => ScatterIntoZeros("SelectBackwardBackward0", g, input, z => z.Select(d, idx)));
        if (Trace.Active) Trace.Record("select", [this], r, new Dictionary<string, object> { ["dim"] = (long)d, ["index"] = idx });
        return r;
    }

    /// <summary>
    /// The diagonal at <paramref name="offset"/> (above the main one when positive) of the planes spanned by
    /// <paramref name="dim1"/> and <paramref name="dim2"/>, as a view whose last dimension runs along it (<c>torch.diagonal</c>).
    /// </summary>
    public Tensor Diagonal(long offset = 0, int dim1 = 0, int dim2 = 1)
    {
        int a = Shapes.NormalizeDim(dim1, Dim), b = Shapes.NormalizeDim(dim2, Dim);
        if (a == b) throw new ArgumentException($"diagonal dimensions cannot be identical {dim1}, {dim2}");
        long length = offset >= 0 ? Math.Min(_shape[a], _shape[b] - offset) : Math.Min(_shape[a] + offset, _shape[b]);
        length = Math.Max(length, 0);
        long start = _offset + (length == 0 ? 0 : offset >= 0 ? offset * _strides[b] : -offset * _strides[a]);
        var keep = Enumerable.Range(0, Dim).Where(i => i != a && i != b).ToArray();
        long[] shape = [.. keep.Select(i => _shape[i]), length];
        long[] strides = [.. keep.Select(i => _strides[i]), _strides[a] + _strides[b]];
        var input = this;
        return ViewGrad("DiagonalBackward0", AsView(shape, strides, start),
            g => ScatterIntoZeros("DiagonalBackwardBackward0", g, input, z => z.Diagonal(offset, a, b)));
    }

    // A zero tensor shaped like `input` with `g` written into the part that `view` selects; under createGraph its own
    // backward takes that part of the incoming gradient.
    private static Tensor ScatterIntoZeros(string name, Tensor g, Tensor input, Func<Tensor, Tensor> view)
        => DoubleBackward.Linear(name, g, gg =>
        {
            var z = Zeros(input._shape, gg.DType);
            using (GradMode.Set(false)) view(z).CopyRaw(gg);
            return z;
        }, view);
}
