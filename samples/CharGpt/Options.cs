using System.Globalization;

namespace CharGpt;

/// <summary>Command-line options of the form <c>--name value</c>.</summary>
internal sealed class Options(Dictionary<string, double> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, double>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        return new Options(values);
    }

    public double Get(string name, double fallback) => values.GetValueOrDefault(name, fallback);
}
