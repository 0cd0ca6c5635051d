using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla;

// repeat and tile: whole copies of the tensor laid side by side along each dimension.
public partial class Tensor
{
    /// <summary>
    /// Repeats the tensor <c>repeats[i]</c> times along dimension i; extra leading repeats add dimensions
    /// (<c>tensor.repeat(*sizes)</c>). Copies, unlike <see cref="Expand"/>.
    /// </summary>
    public Tensor Repeat(params long[] repeats)
    {
        if (repeats.Length < Dim)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        foreach (var r in repeats)
            if (r < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {r}: {Shapes.Format(repeats)}");
        int lead = repeats.Length - Dim;
        // View as [r0, s0, r1, s1, ...] with stride 0 on every r, copy, then merge each pair.
        var pairShape = new long[2 * repeats.Length];
        var pairStrides = new long[2 * repeats.Length];
        var outShape = new long[repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            long size = i < lead ? 1 : _shape[i - lead];
            pairShape[2 * i] = repeats[i];
            pairShape[2 * i + 1] = size;
            pairStrides[2 * i + 1] = i < lead ? 0 : _strides[i - lead];
            outShape[i] = repeats[i] * size;
        }
        // Always a fresh copy: with all repeats 1 the pair view is already contiguous.
        var r0 = new Tensor(_storage, pairShape, pairStrides, _offset).CloneRaw();
        var result = new Tensor(r0._storage, outShape);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("RepeatBackward0", result, [x], g =>
            {
                var pairs = g.Reshape(pairShape);
                var summed = pairs.Sum(Enumerable.Range(0, repeats.Length).Select(i => 2 * i).ToArray());
                return [summed.Reshape(x._shape)];
            });
        if (Trace.Active) Trace.Record("repeat", [x], result, new Dictionary<string, object> { ["repeats"] = (long[])repeats.Clone() });
        return result;
    }

    /// <summary>Repeats along each dimension, padding <paramref name="dims"/> with leading ones when shorter than the tensor's rank (<c>torch.tile</c>).</summary>
    public Tensor Tile(params long[] dims)
    {
        if (dims.Length >= Dim) return Repeat(dims);
        var full = new long[Dim];
        Array.Fill(full, 1L);
        dims.CopyTo(full, Dim - dims.Length);
        return Repeat(full);
    }
}
