using System.Text;

namespace Nabla;

/// <summary>
/// The shape side of PyTorch's <c>torch._tensor_str</c>: which elements are shown
/// (<c>get_summarized_data</c>) and how their cells nest into brackets and lines
/// (<c>_tensor_str_with_formatter</c>, <c>_vector_str</c>). Knows nothing of element types.
/// </summary>
internal static class TensorLayout
{
    /// <summary>Tensors with more elements than this are summarised (<c>PRINT_OPTS.threshold</c>).</summary>
    public const long Threshold = 1000;

    /// <summary>Elements kept at each end of a summarised dimension (<c>PRINT_OPTS.edgeitems</c>).</summary>
    public const int EdgeItems = 3;

    /// <summary>Target line width (<c>PRINT_OPTS.linewidth</c>).</summary>
    public const int LineWidth = 80;

    /// <summary>Number of elements of <paramref name="shape"/>; 1 for a 0-d tensor.</summary>
    public static long ElementCount(long[] shape)
    {
        long count = 1;
        foreach (long size in shape)
        {
            if (size < 0)
                throw new ArgumentException($"Shape has a negative dimension: [{string.Join(", ", shape)}].", nameof(shape));
            count *= size;
        }
        return count;
    }

    /// <summary>
    /// Row-major flat indices of the elements that are printed, in printing order: all of them, or,
    /// when summarising, the first and last <see cref="EdgeItems"/> of every dimension longer than twice that.
    /// </summary>
    public static long[] ShownIndices(long[] shape, bool summarize)
    {
        var shown = new List<long>();
        AddShown(shape, 0, 0, summarize, shown);
        return [.. shown];
    }

    private static void AddShown(long[] shape, int dim, long offset, bool summarize, List<long> shown)
    {
        if (dim == shape.Length)
        {
            shown.Add(offset);
            return;
        }
        long stride = 1;
        for (int d = dim + 1; d < shape.Length; d++)
            stride *= shape[d];
        foreach (long i in ShownPositions(shape[dim], summarize))
            AddShown(shape, dim + 1, offset + (i * stride), summarize, shown);
    }

    private static IEnumerable<long> ShownPositions(long size, bool summarize)
    {
        bool elide = Elides(size, summarize);
        for (long i = 0; i < size; i++)
        {
            if (!elide || i < EdgeItems || i >= size - EdgeItems)
                yield return i;
        }
    }

    private static bool Elides(long size, bool summarize) => summarize && size > 2 * EdgeItems;

    /// <summary>
    /// Nests already formatted cells (one per shown element, in <see cref="ShownIndices"/> order) into
    /// PyTorch's bracketed text. <paramref name="indent"/> is the column the opening bracket sits at.
    /// </summary>
    public static string Nest(IReadOnlyList<string> cells, long[] shape, bool summarize, int cellWidth, int indent)
    {
        int next = 0;
        return Nest(cells, ref next, shape, 0, summarize, cellWidth, indent);
    }

    private static string Nest(IReadOnlyList<string> cells, ref int next, long[] shape, int dim, bool summarize, int cellWidth, int indent)
    {
        int remaining = shape.Length - dim;
        if (remaining == 0)
            return cells[next++];

        bool elide = Elides(shape[dim], summarize);
        long count = elide ? 2 * EdgeItems : shape[dim];
        var parts = new List<string>();
        for (long i = 0; i < count; i++)
        {
            if (elide && i == EdgeItems)
                parts.Add(remaining == 1 ? " ..." : "...");
            parts.Add(remaining == 1 ? cells[next++] : Nest(cells, ref next, shape, dim + 1, summarize, cellWidth, indent + 1));
        }

        string continuation = new(' ', indent + 1);
        if (remaining > 1)
            return "[" + string.Join("," + new string('\n', remaining - 1) + continuation, parts) + "]";

        // A vector wraps after as many elements as fit; each takes its width plus ", ". The " ..." marker counts as one.
        int perLine = Math.Max(1, (int)Math.Floor((double)(LineWidth - indent) / (cellWidth + 2)));
        var text = new StringBuilder("[");
        for (int start = 0; start < parts.Count; start += perLine)
        {
            if (start > 0)
                text.Append(",\n").Append(continuation);
            text.AppendJoin(", ", parts.Skip(start).Take(perLine));
        }
        return text.Append(']').ToString();
    }
}
