using Nabla.Autograd;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

// split, chunk and unbind: views of consecutive pieces along a dimension, one backward node for all pieces.
public partial class Tensor
{
    /// <summary>
    /// Views of consecutive pieces of <paramref name="splitSize"/> along <paramref name="dim"/>; the last may be
    /// smaller (<c>torch.split(x, split_size, dim)</c>). Their node is <c>SplitBackward0</c>.
    /// </summary>
    public Tensor[] Split(long splitSize, int dim = 0)
    {
        if (Dim == 0) throw new ArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shapes.NormalizeDim(dim, Dim);
        long size = _shape[d];
        if (splitSize < 0) throw new ArgumentException($"split expects split_size be non-negative, but got split_size={splitSize}");
        if (splitSize == 0 && size != 0) throw new ArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + size);
        long pieces = splitSize == 0 ? 1 : Math.Max((size + splitSize - 1) / splitSize, 1);
        var sizes = new long[pieces];
        for (long i = 0; i < pieces; i++) sizes[i] = Math.Min(splitSize, size - i * splitSize);
        return SplitCore(sizes, d, "SplitBackward0");
    }

    /// <summary>Views of pieces with the given sizes along <paramref name="dim"/>, which must add up to its size (<c>torch.split(x, [sizes], dim)</c>); node <c>SplitWithSizesBackward0</c>.</summary>
    public Tensor[] Split(long[] splitSizes, int dim = 0)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        long total = 0;
        foreach (var s in splitSizes)
        {
            if (s < 0) throw new ArgumentException($"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={Shapes.Format(splitSizes)}");
            total += s;
        }
        if (total != _shape[d])
            throw new ArgumentException(
                $"split_with_sizes expects split_sizes to sum exactly to {_shape[d]} (input tensor's size at dimension {d}), but got split_sizes={Shapes.Format(splitSizes)}");
        return SplitCore((long[])splitSizes.Clone(), d, "SplitWithSizesBackward0");
    }

    /// <summary>At most <paramref name="chunks"/> views of equal size (the last may be smaller) along <paramref name="dim"/> (<c>torch.chunk</c>).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        int d = Shapes.NormalizeDim(dim, Dim);
        long size = _shape[d];
        long splitSize = (size + chunks - 1) / chunks;
        if (splitSize == 0 && size == 0)
        {
            var sizes = new long[chunks];
            return SplitCore(sizes, d, "SplitWithSizesBackward0");
        }
        return Split(splitSize, d);
    }

    private Tensor[] SplitCore(long[] sizes, int d, string gradFn)
    {
        var outputs = new Tensor[sizes.Length];
        long start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var shape = Shape;
            shape[d] = sizes[i];
            outputs[i] = AsView(shape, (long[])_strides.Clone(), _offset + start * _strides[d]);
            start += sizes[i];
        }
        RecordViews(gradFn, outputs, parts => Cat(parts, d));
        var x = this;
        if (Trace.Active) Trace.Record("split", [x], outputs, new Dictionary<string, object> { ["dim"] = (long)d, ["sizes"] = sizes });
        return outputs;
    }

    /// <summary>The slices at each index of <paramref name="dim"/>, that dimension removed, as views (<c>torch.unbind</c>); node <c>UnbindBackward0</c>.</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        if (Dim == 0) throw new ArgumentException("Dimension specified as 0 but tensor has no dimensions");
        int d = Shapes.NormalizeDim(dim, Dim);
        var shape = _shape.Where((_, i) => i != d).ToArray();
        var strides = _strides.Where((_, i) => i != d).ToArray();
        var outputs = new Tensor[_shape[d]];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = AsView(shape, (long[])strides.Clone(), _offset + i * _strides[d]);
        RecordViews("UnbindBackward0", outputs, parts => Stack(parts, d));
        return outputs;
    }

    // One node for all the views an op returns, whose backward joins their gradients (zeros for the unused); in-place
    // writes through any of them are refused, as PyTorch's MULTI_OUTPUT_NODE views.
    private void RecordViews(string gradFn, Tensor[] outputs, Func<Tensor[], Tensor> join)
    {
        if (GradMode.IsEnabled)
            foreach (var o in outputs) o._viewCreation = ViewCreation.MultiOutput;
        if (!Graph.Needs(this) || outputs.Length == 0) return;
        Graph.RecordMulti(gradFn, outputs, [this], grads =>
        {
            var dtype = grads.First(g => g is not null)!.DType;
            var parts = new Tensor[grads.Length];
            for (int i = 0; i < grads.Length; i++) parts[i] = grads[i] ?? Zeros(outputs[i]._shape, dtype);
            return [join(parts)];
        });
    }
}
