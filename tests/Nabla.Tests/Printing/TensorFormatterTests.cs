using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Printing;

/// <summary>
/// Every case of goldens/print.json (made by tests/goldens/gen_print.py from PyTorch 1.13's <c>str(t)</c>)
/// printed by <see cref="TensorFormatter"/> must match character for character.
/// </summary>
public class TensorFormatterTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(LoadCases);

    public static TheoryData<string> TensorCaseNames() => Names(kind => kind != "size");

    public static TheoryData<string> AllCaseNames() => Names(_ => true);

    [Theory]
    [MemberData(nameof(AllCaseNames))]
    public void PrintsAsPyTorch(string name)
    {
        JsonElement c = Cases.Value[name];
        Assert.Equal(c.GetProperty("expected").GetString(), Print(c));
    }

    [Theory]
    [MemberData(nameof(TensorCaseNames))]
    public void SuffixesAreThoseTorchGives(string name)
    {
        JsonElement c = Cases.Value[name];
        string? gradFn = c.GetProperty("grad_fn").GetString();
        var suffixes = TensorFormatter.Suffixes(DTypeOf(c), ShapeOf(c), gradFn, c.GetProperty("requires_grad").GetBoolean());
        Assert.Equal(StringsOf(c.GetProperty("suffixes")), suffixes);
    }

    [Fact]
    public void GoldensCoverAtLeastEightyCases() => Assert.True(Cases.Value.Count >= 80);

    [Fact]
    public void ShapeThatDisagreesWithValueCountIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorFormatter.Format([1.0, 2.0], [3], DType.Float32, []));
        Assert.Contains("has 3 elements but 2 values", error.Message, StringComparison.Ordinal);
    }

    private static string Print(JsonElement c)
    {
        long[] shape = ShapeOf(c);
        string kind = c.GetProperty("kind").GetString()!;
        if (kind == "size")
            return TensorFormatter.FormatSize(shape);

        DType dtype = DTypeOf(c);
        string[] suffixes = StringsOf(c.GetProperty("suffixes"));
        JsonElement values = c.GetProperty("values");
        bool parameter = kind == "parameter";
        if (dtype is DType.Float32 or DType.Float64)
        {
            double[] floats = [.. values.EnumerateArray().Select(ParseFloat)];
            return parameter
                ? TensorFormatter.FormatParameter(floats, shape, dtype, suffixes)
                : TensorFormatter.Format(floats, shape, dtype, suffixes);
        }
        long[] integers = [.. values.EnumerateArray().Select(v => v.GetInt64())];
        return parameter
            ? TensorFormatter.FormatParameter(integers, shape, dtype, suffixes)
            : TensorFormatter.Format(integers, shape, dtype, suffixes);
    }

    // Finite floats are JSON numbers (round-trip reprs); non-finite ones are "nan", "inf", "-inf".
    private static double ParseFloat(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? v.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException($"Unexpected float literal '{s}'."),
        }
        : double.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long[] ShapeOf(JsonElement c) => [.. c.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];

    private static DType DTypeOf(JsonElement c) => Enum.Parse<DType>(c.GetProperty("dtype").GetString()!);

    private static string[] StringsOf(JsonElement array) => [.. array.EnumerateArray().Select(s => s.GetString()!)];

    private static TheoryData<string> Names(Func<string, bool> kindFilter)
    {
        var names = new TheoryData<string>();
        foreach (var (name, c) in Cases.Value)
        {
            if (kindFilter(c.GetProperty("kind").GetString()!))
                names.Add(name);
        }
        return names;
    }

    private static Dictionary<string, JsonElement> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "goldens", "print.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    }
}
