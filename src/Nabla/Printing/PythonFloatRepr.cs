using System.Globalization;

namespace Nabla;

/// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, "1.0" for whole numbers, exponent form below 1e-4 and from 1e16 ("1e-05").</summary>
internal static class PythonFloatRepr
{
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // Shortest round-trip digits and the decimal exponent of the first one.
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string digits;
        int e;
        int exp = shortest.IndexOf('E');
        if (exp >= 0)
        {
            digits = shortest[..exp].Replace(".", "", StringComparison.Ordinal);
            e = int.Parse(shortest[(exp + 1)..], CultureInfo.InvariantCulture);
        }
        else
        {
            int dot = shortest.IndexOf('.');
            string whole = dot < 0 ? shortest : shortest[..dot], fraction = dot < 0 ? "" : shortest[(dot + 1)..];
            if (whole != "0")
            {
                digits = whole + fraction;
                e = whole.Length - 1;
            }
            else
            {
                digits = fraction.TrimStart('0');
                e = -(fraction.Length - digits.Length) - 1;
            }
        }
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        string sign = value < 0 ? "-" : "";
        if (e < -4 || e >= 16)
        {
            string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return sign + mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
        }
        if (e < 0) return sign + "0." + new string('0', -e - 1) + digits;
        if (digits.Length <= e + 1) return sign + digits + new string('0', e + 1 - digits.Length) + ".0";
        return sign + digits[..(e + 1)] + "." + digits[(e + 1)..];
    }
}
