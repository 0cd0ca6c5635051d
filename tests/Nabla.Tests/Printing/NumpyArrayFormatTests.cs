using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Printing;

/// <summary>numpy's str(array), as the seed notebook prints ONNX initializers, against numpy_print.json (gen_numpy_print.py).</summary>
public class NumpyArrayFormatTests
{
    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Goldens.Load("numpy_print").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void FormatsAsNumpyPrints(int index)
    {
        var c = Goldens.Load("numpy_print")[index];
        var shape = c.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var values = c.GetProperty("values").EnumerateArray().ToArray();
        Array array = c.GetProperty("dtype").GetString() switch
        {
            "float32" => values.Select(v => (float)Number(v)).ToArray(),
            "float64" => values.Select(Number).ToArray(),
            "int64" => values.Select(v => v.GetInt64()).ToArray(),
            "int32" => values.Select(v => v.GetInt32()).ToArray(),
            "bool" => values.Select(v => v.GetBoolean()).ToArray(),
            var other => throw new InvalidOperationException(other),
        };
        Assert.Equal(c.GetProperty("str").GetString(), NumpyArrayFormat.Format(array, shape));
    }

    private static double Number(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String => v.GetString() == "inf" ? double.PositiveInfinity : double.NegativeInfinity,
        _ => v.GetDouble(),
    };
}
