using System.Globalization;

namespace Nabla.NN;

/// <summary>Python's <c>repr</c> of the values that module reprs print: floats, bools, tuples, None.</summary>
internal static class PythonRepr
{
    /// <summary><c>repr(float)</c>: the shortest round-trip digits, fixed for 1e-4 &lt;= |x| &lt; 1e16, else <c>1e-05</c> style; <c>1.0</c> for integral values.</summary>
    public static string Float(double value) => PythonFloatRepr.Format(value);

    /// <summary><c>True</c> / <c>False</c>.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>A tuple of ints: <c>(2, 3)</c>, <c>(2,)</c>, <c>()</c>.</summary>
    public static string Tuple(IEnumerable<long> values)
    {
        var items = values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        return items.Length == 1 ? $"({items[0]},)" : "(" + string.Join(", ", items) + ")";
    }

    /// <summary>A tuple whose entries may be None: <c>(2, None)</c>.</summary>
    public static string Tuple(IEnumerable<long?> values)
    {
        var items = values.Select(v => v is { } x ? x.ToString(CultureInfo.InvariantCulture) : "None").ToArray();
        return items.Length == 1 ? $"({items[0]},)" : "(" + string.Join(", ", items) + ")";
    }
}
