using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// numpy's <c>str(array)</c> with default print options (what <c>print(numpy_helper.to_array(t))</c> shows): floats
/// with the shortest digits that round-trip in their own precision, at most 8 after the point, padded to a common
/// width (<c>[-0.8021901]</c>, <c>[1.5  0.25]</c>, <c>[1. 2.]</c>); scientific notation when the largest magnitude is
/// 1e8 or more, the smallest nonzero below 1e-4, or their ratio above 1000; integers and bools right-aligned; nested
/// brackets for more dimensions; a 0-d array as its bare value. Rows wrap at 75 columns and arrays of more than 1000
/// elements are summarised with <c>...</c>, as numpy does.
/// </summary>
internal static class NumpyArrayFormat
{
    private const int LineWidth = 75;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    /// <summary>The most dimensions a numpy array has (numpy 2's <c>NPY_MAXDIMS</c>).</summary>
    public const int MaxDims = 64;

    /// <summary>Formats a flat row-major array of float, double, long, int or bool (other element types via ToString) with <paramref name="dims"/>.</summary>
    /// <exception cref="NotSupportedException">More than <see cref="MaxDims"/> dims, which numpy cannot hold either.</exception>
    public static string Format(Array values, IReadOnlyList<long> dims)
    {
        if (dims.Count > MaxDims)
            throw new NotSupportedException($"maximum supported dimension for an ndarray is {MaxDims}, found {dims.Count}");
        if (values.Length == 0) return dims.Count == 0 ? "" : "[]";
        bool summarise = values.Length > Threshold;
        long[] shape = [.. dims];
        var cells = Cells(values, TensorLayout.ShownIndices(shape, summarise));
        if (dims.Count == 0) return cells.Count > 0 ? cells[0].Trim() : "";
        int rank = dims.Count, index = 0;
        var text = new StringBuilder();
        // numpy separates rows by one newline per dimension inside the one that changes, then the indent.
        TensorLayout.AppendNested(text, shape, summarise,
            axis => new string('\n', rank - axis - 1) + new string(' ', axis + 1),
            row => row.Append(Row(rank - 1, dims[^1], summarise, cells, ref index, rank)));
        return text.ToString();
    }

    /// <summary>One innermost row at <paramref name="axis"/>, wrapped as numpy's <c>_formatArray</c> wraps it.</summary>
    private static string Row(int axis, long n, bool summarise, List<string> cells, ref int index, int indent)
    {
        bool cut = summarise && n > 2 * EdgeItems;
        long count = cut ? 2 * EdgeItems : n;
        var sb = new StringBuilder("[");
        // The first line counts the enclosing brackets' indentation, as numpy's hanging indent does.
        int lineStart = -axis;
        for (long i = 0; i < count; i++)
        {
            if (cut && i == EdgeItems) Word(sb, "...", ref lineStart, indent, LineWidth - axis);
            Word(sb, cells[index++], ref lineStart, indent, LineWidth - axis - (i == count - 1 ? 1 : 0));
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Appends a word after a space, or on a new indented line when the line would pass <paramref name="width"/> (numpy's _extendLine).</summary>
    private static void Word(StringBuilder sb, string word, ref int lineStart, int indent, int width)
    {
        if (sb.Length > 1)
        {
            if (sb.Length - lineStart + 1 + word.Length > width)
            {
                while (sb[^1] == ' ') sb.Length--;
                sb.Append('\n');
                lineStart = sb.Length;
                sb.Append(' ', indent);
            }
            else sb.Append(' ');
        }
        sb.Append(word);
    }

    /// <summary>The shown elements as cells of one width.</summary>
    private static List<string> Cells(Array values, long[] shown)
    {
        switch (values)
        {
            case float[] f: return FloatCells(shown.Select(i => ((double)f[i], Shortest(f[i].ToString("R", CultureInfo.InvariantCulture)))).ToList());
            case double[] d: return FloatCells(shown.Select(i => (d[i], Shortest(d[i].ToString("R", CultureInfo.InvariantCulture)))).ToList());
            case Half[] h: return FloatCells(shown.Select(i => ((double)h[i], Shortest(h[i].ToString(CultureInfo.InvariantCulture)))).ToList());
            case bool[] b: return RightAligned(shown.Select(i => b[i] ? "True" : "False").ToList());
            default: return RightAligned(shown.Select(i => Convert.ToString(values.GetValue(i), CultureInfo.InvariantCulture) ?? "").ToList());
        }
    }

    private static List<string> RightAligned(List<string> words)
    {
        int width = words.Count == 0 ? 0 : words.Max(w => w.Length);
        return words.Select(w => w.PadLeft(width)).ToList();
    }

    /// <summary>A shortest round-trip text split into its significant digits and the decimal exponent of the first.</summary>
    private readonly record struct Digits(string Significant, int Exponent, bool Negative);

    private static Digits Shortest(string text)
    {
        bool negative = text.StartsWith('-');
        if (negative) text = text[1..];
        int exponent = 0;
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        int point = text.IndexOf('.');
        string all = text.Replace(".", "");
        int intDigits = point < 0 ? text.Length : point;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        string significant = all[lead..].TrimEnd('0');
        if (significant.Length == 0) return new Digits("0", 0, negative);
        return new Digits(significant, exponent + intDigits - lead - 1, negative);
    }

    private static List<string> FloatCells(List<(double Value, Digits Digits)> values)
    {
        var finite = values.Where(v => double.IsFinite(v.Value)).ToList();
        var magnitudes = finite.Select(v => Math.Abs(v.Value)).Where(a => a != 0).ToList();
        bool scientific = magnitudes.Count > 0 &&
            (magnitudes.Max() >= 1e8 || magnitudes.Min() < 1e-4 || magnitudes.Max() / magnitudes.Min() > 1e3);
        var texts = finite.Select(v => scientific ? Scientific(v) : Positional(v)).ToList();
        var mantissas = texts.Select(t => scientific ? t[..t.IndexOf('e')] : t).ToList();
        int padLeft = mantissas.Select(m => m.IndexOf('.')).DefaultIfEmpty(1).Max();
        int padRight = mantissas.Select(m => m.Length - m.IndexOf('.') - 1).DefaultIfEmpty(0).Max();
        int expSize = scientific ? texts.Select(t => t.Length - t.IndexOf('e') - 2).Max() : 0;
        int rightOfPoint = padRight + (scientific ? 2 + expSize : 0);
        if (finite.Count < values.Count)
        {
            int infLength = values.Any(v => double.IsNegativeInfinity(v.Value)) ? 4 : 3;
            padLeft = Math.Max(padLeft, Math.Max(3, infLength) - rightOfPoint - 1);
        }
        int width = padLeft + 1 + rightOfPoint;
        var cells = new List<string>(values.Count);
        int k = 0;
        foreach (var (value, _) in values)
        {
            if (!double.IsFinite(value))
            {
                cells.Add((double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf").PadLeft(width));
                continue;
            }
            string text = texts[k], mantissa = mantissas[k++];
            int dot = mantissa.IndexOf('.');
            // Fixed notation pads the fraction with spaces; scientific with zeros (numpy's trim='k').
            string cell = mantissa[..dot].PadLeft(padLeft) + "." + mantissa[(dot + 1)..].PadRight(padRight, scientific ? '0' : ' ');
            if (scientific)
            {
                int e = text.IndexOf('e');
                cell += "e" + text[e + 1] + text[(e + 2)..].PadLeft(expSize, '0');
            }
            cells.Add(cell);
        }
        return cells;
    }

    /// <summary>numpy's dragon4_positional(unique, precision 8, trim '.'): <c>-0.8021901</c>, <c>1.</c>, <c>0.</c>.</summary>
    private static string Positional((double Value, Digits Digits) v)
    {
        var (s, exp, negative) = v.Digits;
        int fraction = Math.Max(0, s.Length - 1 - exp);
        if (fraction > 8)
        {
            string rounded = PythonFloatFormat.Fixed(v.Value, 8).TrimEnd('0');
            return rounded;
        }
        string intPart = exp >= 0 ? (s.Length > exp + 1 ? s[..(exp + 1)] : s.PadRight(exp + 1, '0')) : "0";
        string fracPart = exp >= 0 ? (s.Length > exp + 1 ? s[(exp + 1)..] : "") : new string('0', -exp - 1) + s;
        return (negative ? "-" : "") + intPart + "." + fracPart;
    }

    /// <summary>numpy's dragon4_scientific(unique, precision 8, trim '.'): <c>1.2345679e-05</c>, <c>1.e+00</c>.</summary>
    private static string Scientific((double Value, Digits Digits) v)
    {
        var (s, exp, negative) = v.Digits;
        if (s.Length - 1 > 8)
        {
            string rounded = PythonFloatFormat.Scientific(v.Value, 8);
            int e = rounded.IndexOf('e');
            return rounded[..e].TrimEnd('0') + rounded[e..];
        }
        string exponent = Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        return (negative ? "-" : "") + s[0] + "." + s[1..] + (exp < 0 ? "e-" : "e+") + exponent;
    }
}
