using System.Globalization;
using System.Text;

namespace Nabla.Onnx;

/// <summary>How names and dims read from a file appear in messages and tables: quoted, bounded, free of control characters.</summary>
internal static class OnnxText
{
    /// <summary>Longest name a message repeats; a hostile file's megabyte-long name is cut.</summary>
    private const int MaxQuotedLength = 200;

    /// <summary><c>'name'</c>, cut past <see cref="MaxQuotedLength"/> characters, control characters escaped.</summary>
    public static string Quote(string text) => "'" + Printable(text, MaxQuotedLength) + "'";

    /// <summary>The text with control characters written as <c>\uXXXX</c> and cut with an ellipsis past <paramref name="maxLength"/>.</summary>
    public static string Printable(string text, int maxLength)
    {
        bool cut = text.Length > maxLength;
        var span = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        if (!cut && !span.ContainsAnyInRange('\0', '\u001f') && !span.ContainsAnyInRange('\u007f', '\u009f'))
            return text;
        var sb = new StringBuilder(span.Length + 8);
        foreach (char c in span)
        {
            if (char.IsControl(c))
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                sb.Append(c);
        }
        if (cut)
            sb.Append('…');
        return sb.ToString();
    }

    /// <summary>Dims as ONNX prints them: <c>[2, 3]</c>; at most 16 shown.</summary>
    public static string Dims(IReadOnlyList<long> dims)
    {
        const int maxShown = 16;
        var shown = dims.Take(maxShown).Select(d => d.ToString(CultureInfo.InvariantCulture));
        return "[" + string.Join(", ", shown) + (dims.Count > maxShown ? $", … ({dims.Count} dims)" : "") + "]";
    }
}
