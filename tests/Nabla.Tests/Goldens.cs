using System.Text.Json;
using Xunit;

namespace Nabla.Tests;

/// <summary>Reads the golden JSON files written by tests/goldens/*.py (see golden_util.py for the tensor format).</summary>
public static class Goldens
{
    private static readonly Dictionary<string, JsonElement> s_cache = [];

    /// <summary>The root of goldens/&lt;name&gt;.json.</summary>
    public static JsonElement Load(string name)
    {
        lock (s_cache)
        {
            if (s_cache.TryGetValue(name, out var root)) return root;
            string path = Path.Combine(AppContext.BaseDirectory, "goldens", name + ".json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return s_cache[name] = doc.RootElement.Clone();
        }
    }

    /// <summary>A tensor from {"shape", "dtype", "values"}.</summary>
    public static Tensor Tensor(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var values = e.GetProperty("values").EnumerateArray().ToArray();
        var dtype = Enum.Parse<DType>(e.GetProperty("dtype").GetString()!, ignoreCase: true);
        Array data = dtype switch
        {
            DType.Float32 => values.Select(v => (float)Number(v)).ToArray(),
            DType.Float64 => values.Select(Number).ToArray(),
            DType.Int64 => values.Select(v => v.GetInt64()).ToArray(),
            DType.Int32 => values.Select(v => v.GetInt32()).ToArray(),
            DType.Bool => values.Select(v => v.GetBoolean()).ToArray(),
            // The storage dtypes: their values are exact as float64 or int64, converted without rounding.
            _ when dtype.IsFloatingPoint() => values.Select(Number).ToArray(),
            _ => values.Select(v => v.GetInt64()).ToArray(),
        };
        var t = Nabla.Tensor.FromArray(data, shape);
        return t.DType == dtype ? t : t.To(dtype);
    }

    /// <summary>A JSON number, or "nan" / "inf" / "-inf".</summary>
    public static double Number(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? v.GetString() switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, var s => double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture) }
        : v.GetDouble();
}

/// <summary>Tensor assertions that name the first differing element.</summary>
public static class TensorAssert
{
    /// <summary>Same shape and dtype, and every element within atol + rtol * |expected| (NaN matches NaN).</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string? context = null)
    {
        string where = context is null ? "" : context + ": ";
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{where}shape {Fmt(actual.Shape)} != expected {Fmt(expected.Shape)}");
        Assert.True(expected.DType == actual.DType, $"{where}dtype {actual.DType} != expected {expected.DType}");
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]),
                $"{where}element {i}: {a[i]:R} != expected {e[i]:R} (shape {Fmt(expected.Shape)})");
        }
    }

    /// <summary>Bit-for-bit equality of shape, dtype and values.</summary>
    public static void Equal(Tensor expected, Tensor actual, string? context = null) => Close(expected, actual, 0, 0, context);

    private static string Fmt(long[] s) => "[" + string.Join(", ", s) + "]";
}
