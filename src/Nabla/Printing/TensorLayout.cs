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
    /// <remarks>An odometer over the shown positions, so no recursion grows with the rank.</remarks>
    public static long[] ShownIndices(long[] shape, bool summarize)
    {
        int rank = shape.Length;
        long[] counts = ShownCounts(shape, summarize);
        var strides = new long[rank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }

        long total = 1;
        foreach (long count in counts)
            total = checked(total * count);
        var shown = new long[total];
        var position = new long[rank];
        for (long k = 0; k < total; k++)
        {
            long offset = 0;
            for (int d = 0; d < rank; d++)
                offset += ShownPosition(shape[d], position[d], summarize) * strides[d];
            shown[k] = offset;
            for (int d = rank - 1; d >= 0 && ++position[d] == counts[d]; d--)
                position[d] = 0;
        }
        return shown;
    }

    /// <summary>How many positions of each dimension are shown: all, or twice <see cref="EdgeItems"/> when elided.</summary>
    private static long[] ShownCounts(long[] shape, bool summarize) =>
        Array.ConvertAll(shape, size => Elides(size, summarize) ? 2 * EdgeItems : size);

    /// <summary>The index along a dimension of its <paramref name="k"/>-th shown position.</summary>
    private static long ShownPosition(long size, long k, bool summarize) =>
        Elides(size, summarize) && k >= EdgeItems ? size - (2 * EdgeItems) + k : k;

    private static bool Elides(long size, bool summarize) => summarize && size > 2 * EdgeItems;

    /// <summary>
    /// Nests already formatted cells (one per shown element, in <see cref="ShownIndices"/> order) into
    /// PyTorch's bracketed text. <paramref name="indent"/> is the column the opening bracket sits at.
    /// </summary>
    public static string Nest(IReadOnlyList<string> cells, long[] shape, bool summarize, int cellWidth, int indent)
    {
        int rank = shape.Length;
        if (rank == 0)
            return cells[0];
        var text = new StringBuilder();
        int next = 0;
        // Rows of dimension d are separated by a comma, one newline per dimension inside it, and the indent.
        AppendNested(text, shape, summarize,
            d => "," + new string('\n', rank - 1 - d) + new string(' ', indent + d + 1),
            row => next = AppendVector(row, cells, next, shape[^1], summarize, cellWidth, indent + rank - 1));
        return text.ToString();
    }

    /// <summary>
    /// The brackets around the innermost rows of a tensor of rank 1 or more, which <paramref name="appendRow"/> writes
    /// (brackets included) in printing order. Between two rows that differ first in dimension d come the closing
    /// brackets of the dimensions inside d, <paramref name="separator"/>(d), the "..." of an elided dimension with its
    /// separator again, and the opening brackets.
    /// </summary>
    /// <remarks>An odometer over the outer dimensions, so the stack used does not grow with the rank.</remarks>
    public static void AppendNested(StringBuilder text, long[] shape, bool summarize, Func<int, string> separator, Action<StringBuilder> appendRow)
    {
        int rank = shape.Length;
        long[] counts = ShownCounts(shape, summarize);
        var position = new long[rank - 1];
        text.Append('[', rank - 1);
        while (true)
        {
            appendRow(text);
            int d = rank - 2;
            for (; d >= 0 && position[d] + 1 == counts[d]; d--)
                position[d] = 0;
            if (d < 0)
                break;
            position[d]++;
            int closed = rank - 2 - d;
            string between = separator(d);
            text.Append(']', closed).Append(between);
            if (Elides(shape[d], summarize) && position[d] == EdgeItems)
                text.Append("...").Append(between);
            text.Append('[', closed);
        }
        text.Append(']', rank - 1);
    }

    /// <summary>
    /// One innermost row, <c>_vector_str</c>: it wraps after as many cells as fit, each taking its width plus ", ";
    /// the " ..." marker counts as one. Returns the index of the next unused cell.
    /// </summary>
    private static int AppendVector(StringBuilder text, IReadOnlyList<string> cells, int next, long size, bool summarize, int cellWidth, int indent)
    {
        bool elide = Elides(size, summarize);
        long items = elide ? (2 * EdgeItems) + 1 : size;
        int perLine = Math.Max(1, (int)Math.Floor((double)(LineWidth - indent) / (cellWidth + 2)));
        text.Append('[');
        for (long item = 0; item < items; item++)
        {
            if (item > 0 && item % perLine == 0)
                text.Append(",\n").Append(' ', indent + 1);
            else if (item > 0)
                text.Append(", ");
            text.Append(elide && item == EdgeItems ? " ..." : cells[next++]);
        }
        text.Append(']');
        return next;
    }
}
