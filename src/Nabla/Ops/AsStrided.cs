using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla;

/// <summary>Shape, strides and storage offset of a tensor (PyTorch's TensorGeometry), kept by nodes that map gradients between a view and its base.</summary>
internal readonly record struct Geometry(long[] Shape, long[] Strides, long Offset)
{
    public static Geometry Of(Tensor t) => new(t._shape, t._strides, t._offset);

    /// <summary>Elements a storage needs to hold every position of this geometry, counted from its offset.</summary>
    public long Extent
    {
        get
        {
            long extent = 1;
            for (int i = 0; i < Shape.Length; i++)
            {
                if (Shape[i] == 0) return 0;
                extent += (Shape[i] - 1) * Strides[i];
            }
            return extent;
        }
    }
}

// The gradient maps between a view and its base by storage position (PyTorch's as_strided and as_strided_backward): what
// an in-place write through a view (CopySlices) and a view regenerated after one (AsStridedBackward0) run backward.
public partial class Tensor
{
    // A fresh tensor with the base's strides in storage of its own (offset 0), holding `values` or zeros.
    private static Tensor InBaseLayout(Geometry baseGeometry, Tensor? values, DType dtype)
    {
        var storage = Storage.Allocate(dtype, baseGeometry.Extent, zeroed: true);
        var t = new Tensor(storage, (long[])baseGeometry.Shape.Clone(), (long[])baseGeometry.Strides.Clone(), 0);
        if (values is not null) t.CopyRaw(values);
        return t;
    }

    // The view's elements inside a tensor laid out as the base (offset 0).
    private static Tensor ViewIn(Tensor laidOut, Geometry baseGeometry, Geometry view)
        => new(laidOut._storage, view.Shape, view.Strides, view.Offset - baseGeometry.Offset);

    /// <summary>The elements of base-shaped <paramref name="g"/> that the view reads, as a new view-shaped tensor (<c>as_strided</c>); differentiable in g.</summary>
    internal static Tensor AsStridedGather(Tensor g, Geometry baseGeometry, Geometry view)
        => DoubleBackward.Linear("AsStridedBackward0", g,
            gg => ViewIn(InBaseLayout(baseGeometry, gg, gg.DType), baseGeometry, view).ContiguousRaw(),
            gg => AsStridedScatter(gg, baseGeometry, view));

    /// <summary>Zeros shaped as the base with view-shaped <paramref name="g"/> added at the view's positions (<c>as_strided_backward</c>); differentiable in g.</summary>
    internal static Tensor AsStridedScatter(Tensor g, Geometry baseGeometry, Geometry view)
        => DoubleBackward.Linear("AsStridedBackwardBackward0", g, gg =>
        {
            if (gg.DType is not (DType.Float32 or DType.Float64))
                return AsStridedScatter(gg.CastRaw(DType.Float64), baseGeometry, view).CastRaw(gg.DType);
            var result = InBaseLayout(baseGeometry, null, gg.DType);
            var offsets = new long[gg._numel];
            Strided.Offsets(view.Offset - baseGeometry.Offset, view.Shape, view.Strides, offsets);
            // Views that repeat an element (expand) add every gradient that reaches it.
            var values = gg.ContiguousRaw();
            if (gg.DType == DType.Float32) IndexKernels.Put(result._storage.As<float>(), offsets, values.Span<float>(), accumulate: true);
            else IndexKernels.Put(result._storage.As<double>(), offsets, values.Span<double>(), accumulate: true);
            return result;
        }, gg => AsStridedGather(gg, baseGeometry, view));

    /// <summary>
    /// Base-shaped <paramref name="g"/> with the view's elements replaced by <paramref name="part"/> (zeros when null): the
    /// gradient CopySlices passes to the base's earlier history. Differentiable in both under createGraph.
    /// </summary>
    internal static Tensor ReplaceInView(Tensor g, Tensor? part, Geometry baseGeometry, Geometry view)
    {
        if (!Graph.Needs(g) && part?.RequiresGrad != true || !GradMode.IsEnabled)
        {
            var result = InBaseLayout(baseGeometry, g, g.DType);
            var slice = ViewIn(result, baseGeometry, view);
            slice.CopyRaw(part ?? Torch.Zeros([], g.DType));
            return result;
        }
        // g outside the view, part inside: a constant mask keeps both terms differentiable.
        var mask = InBaseLayout(baseGeometry, null, DType.Bool);
        ViewIn(mask, baseGeometry, view).CopyRaw(Torch.Ones([], DType.Bool));
        var kept = g.MaskedFill(mask, 0.0);
        return part is null ? kept : kept + AsStridedScatter(part, baseGeometry, view);
    }
}
