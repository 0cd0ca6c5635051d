using System.Globalization;

namespace Nabla.NN;

/// <summary>Python's <c>repr</c> of the values that module reprs print: floats, bools, tuples, None.</summary>
internal static class PythonRepr
{
    /// <summary><c>repr(float)</c>: the shortest round-trip digits, fixed for 1e-4 &lt;= |x| &lt; 1e16, else <c>1e-05</c> style; <c>1.0</c> for integral values.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // "R" gives the shortest digits that round-trip, as Python's repr does; only the layout differs.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? r : r[..e];
        int exp10 = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        string all = intPart + fracPart;
        string digits = all.TrimStart('0');
        int exponent = intPart.Length - 1 - (all.Length - digits.Length) + exp10;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        string sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16)
        {
            string m = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            return $"{sign}{m}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (exponent < 0) return sign + "0." + new string('0', -exponent - 1) + digits;
        if (digits.Length <= exponent + 1) return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0";
        return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

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
