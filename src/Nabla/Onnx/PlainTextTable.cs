using System.Text;

namespace Nabla.Onnx;

/// <summary>A left-aligned text table with a header and a dashed rule, columns two spaces apart. Cells are printable and bounded.</summary>
internal sealed class PlainTextTable(params string[] headers)
{
    /// <summary>Widest a cell may be; longer text is cut with an ellipsis so one hostile name cannot swamp the table.</summary>
    public const int MaxCellWidth = 80;

    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; missing cells are empty.</summary>
    public void Add(params string[] cells) =>
        _rows.Add(headers.Select((_, i) => i < cells.Length ? OnnxText.Printable(cells[i], MaxCellWidth) : "").ToArray());

    /// <summary>The table, one line per row, each line ending in a newline.</summary>
    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        AppendLine(sb, headers, widths);
        AppendLine(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows)
            AppendLine(sb, row, widths);
        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
                line.Append("  ");
            line.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
