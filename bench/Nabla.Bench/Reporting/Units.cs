using System.Globalization;

namespace Nabla.Bench;

/// <summary>Numbers as the report prints them: a unit that keeps three significant digits readable.</summary>
internal static class Units
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Time(double seconds) => seconds switch
    {
        < 1e-6 => string.Create(Invariant, $"{seconds * 1e9:0} ns"),
        < 1e-3 => string.Create(Invariant, $"{seconds * 1e6:0.0} µs"),
        < 1 => string.Create(Invariant, $"{seconds * 1e3:0.00} ms"),
        _ => string.Create(Invariant, $"{seconds:0.00} s"),
    };

    public static string Bytes(double bytes) => bytes switch
    {
        < 1024 => string.Create(Invariant, $"{bytes:0} B"),
        < 1024 * 1024 => string.Create(Invariant, $"{bytes / 1024:0.0} KiB"),
        _ => string.Create(Invariant, $"{bytes / (1024 * 1024):0.0} MiB"),
    };

    public static string Ratio(double ratio) => string.Create(Invariant, $"{ratio:0.00}");

    public static string Number(double value, string format = "0.0") => value.ToString(format, Invariant);
}
