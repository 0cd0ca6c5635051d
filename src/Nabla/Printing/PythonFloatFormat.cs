using System.Globalization;
using System.Numerics;

namespace Nabla;

/// <summary>
/// Python's <c>'{:.Nf}'</c> and <c>'{:.Ne}'</c> float formatting, digit for digit: the exact binary
/// value rounded half to even (<c>'{:.4f}'.format(0.03125)</c> is <c>0.0312</c>), the sign of -0.0
/// kept, <c>nan</c>/<c>inf</c>/<c>-inf</c> for non-finite values (a NaN's sign is dropped).
/// </summary>
internal static class PythonFloatFormat
{
    /// <summary><c>'{:.Nf}'.format(value)</c> with N = <paramref name="decimals"/>.</summary>
    public static string Fixed(double value, int decimals)
    {
        if (!double.IsFinite(value))
            return NonFinite(value);
        var (significand, exponent) = ExactDecimal(Math.Abs(value));
        string digits = Invariant(RoundHalfEven(significand, exponent + decimals)).PadLeft(decimals + 1, '0');
        string text = decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
        return Sign(value) + text;
    }

    /// <summary><c>'{:.Ne}'.format(value)</c> with N = <paramref name="decimals"/>: at least two exponent digits.</summary>
    public static string Scientific(double value, int decimals)
    {
        if (!double.IsFinite(value))
            return NonFinite(value);
        BigInteger mantissa = BigInteger.Zero;
        int exponent10 = 0;
        if (value != 0)
        {
            var (significand, exponent) = ExactDecimal(Math.Abs(value));
            int digitCount = Invariant(significand).Length;
            exponent10 = digitCount - 1 + exponent;
            mantissa = RoundHalfEven(significand, decimals - (digitCount - 1));
            if (mantissa == BigInteger.Pow(10, decimals + 1))
            {
                // Rounding carried into a new digit (9.99995 -> 10.0000): renormalise.
                mantissa /= 10;
                exponent10++;
            }
        }
        string digits = Invariant(mantissa).PadLeft(decimals + 1, '0');
        string text = decimals == 0 ? digits : digits[..1] + "." + digits[1..];
        string exponentText = Math.Abs(exponent10).ToString("00", CultureInfo.InvariantCulture);
        return Sign(value) + text + (exponent10 < 0 ? "e-" : "e+") + exponentText;
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    private static string Sign(double value) => double.IsNegative(value) ? "-" : "";

    private static string Invariant(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Exact decimal form of a finite non-negative double: value = significand × 10^exponent.</summary>
    private static (BigInteger Significand, int Exponent) ExactDecimal(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        long mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int exponent2 = (biased == 0 ? 1 : biased) - 1075;
        // m·2^e with e < 0 equals m·5^(-e) / 10^(-e): every double has a finite decimal expansion.
        return exponent2 >= 0
            ? (new BigInteger(mantissa) << exponent2, 0)
            : (mantissa * BigInteger.Pow(5, -exponent2), exponent2);
    }

    /// <summary>round(significand × 10^shift) to an integer, ties to even.</summary>
    private static BigInteger RoundHalfEven(BigInteger significand, int shift)
    {
        if (shift >= 0)
            return significand * BigInteger.Pow(10, shift);
        BigInteger divisor = BigInteger.Pow(10, -shift);
        BigInteger quotient = BigInteger.DivRem(significand, divisor, out BigInteger remainder);
        int half = (remainder * 2).CompareTo(divisor);
        return half > 0 || (half == 0 && !quotient.IsEven) ? quotient + 1 : quotient;
    }
}
