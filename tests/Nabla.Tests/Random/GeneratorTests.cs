using System.Text.Json;
using Nabla;
using Xunit;

namespace Nabla.Tests.Random;

/// <summary>
/// Replays the call sequences of goldens/rng.json (made by tests/goldens/gen_rng.py with PyTorch 1.13) on
/// <see cref="Generator"/> and asserts bit equality with PyTorch's output.
/// </summary>
public class GeneratorTests
{
    private static readonly Lazy<JsonElement[]> GoldenCases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "goldens", "rng.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    });

    public static TheoryData<string> CaseIds()
    {
        var ids = new TheoryData<string>();
        foreach (JsonElement c in GoldenCases.Value)
            ids.Add(CaseId(c));
        return ids;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void GoldenSequenceMatchesPyTorchBitForBit(string caseId)
    {
        JsonElement golden = GoldenCases.Value.Single(c => CaseId(c) == caseId);
        JsonElement seed = golden.GetProperty("seed");
        Generator g = seed.ValueKind == JsonValueKind.Null ? new Generator() : new Generator().ManualSeed(seed.GetInt64());
        Assert.Equal(golden.GetProperty("initial_seed").GetInt64(), g.InitialSeed());
        int index = 0;
        foreach (JsonElement step in golden.GetProperty("steps").EnumerateArray())
            AssertStepMatches(g, step, $"{caseId} step {index++} ({step})");
    }

    [Fact]
    public void FreshGeneratorHasPyTorchDefaultSeed() => Assert.Equal(67280421310721, new Generator().InitialSeed());

    [Fact]
    public void ManualSeedUsesOnlyLow32BitsButReportsFullSeed()
    {
        Generator wide = new Generator().ManualSeed((1L << 32) + 5);
        Generator narrow = new Generator().ManualSeed(5);
        Assert.Equal((1L << 32) + 5, wide.InitialSeed());
        for (int i = 0; i < 1000; i++)
            Assert.Equal(narrow.Random(), wide.Random());
    }

    [Fact]
    public void EngineIsStandardMt19937()
    {
        // C++ [rand.predef]: the 10000th output of a default-constructed std::mt19937 (seed 5489) is 4123659995.
        var engine = new MersenneTwister(5489);
        for (int i = 0; i < 9999; i++)
            engine.NextUInt32();
        Assert.Equal(4123659995u, engine.NextUInt32());
    }

    [Fact]
    public void ManualSeedDropsCachedNormal()
    {
        Generator g = new Generator().ManualSeed(7);
        double first = g.NextNormalScalar(0, 1);
        g.NextNormalScalar(0, 1); // the cached sine value
        g.NextNormalScalar(0, 1); // draws again and caches a new one
        g.ManualSeed(7);
        Assert.Equal(first, g.NextNormalScalar(0, 1));
    }

    [Fact]
    public void FiveScalarNormalsEqualOneSmallFill()
    {
        // randn(1) five times equals randn(5): both take the scalar path and share the cached value.
        Generator a = new Generator().ManualSeed(3), b = new Generator().ManualSeed(3);
        var five = new float[5];
        a.FillNormal(five, 0, 1);
        var one = new float[1];
        for (int i = 0; i < 5; i++)
        {
            b.FillNormal(one, 0, 1);
            Assert.Equal(five[i], one[0]);
        }
    }

    [Fact]
    public void RandintRejectsEmptyRange() =>
        Assert.Throws<ArgumentException>(() => new Generator().FillRandint(new long[3], 5, 5));

    /// <summary>Runs one golden step (a gen_rng.py op) on <paramref name="g"/> and asserts the values bit for bit.</summary>
    internal static void AssertStepMatches(Generator g, JsonElement step, string what)
    {
        string op = step.GetProperty("op").GetString()!;
        string dtype = step.TryGetProperty("dtype", out JsonElement dt) ? dt.GetString()! : "float32";
        int n = step.TryGetProperty("n", out JsonElement nn) ? nn.GetInt32() : 0;
        JsonElement expected = step.GetProperty("expected");
        switch (op)
        {
            case "randn":
                AssertFloats(expected, Fill(dtype, n, (f => g.FillNormal(f, 0, 1), d => g.FillNormal(d, 0, 1))), what);
                break;
            case "normal":
                double mean = step.GetProperty("mean").GetDouble(), std = step.GetProperty("std").GetDouble();
                AssertFloats(expected, Fill(dtype, n, (f => g.FillNormal(f, mean, std), d => g.FillNormal(d, mean, std))), what);
                break;
            case "rand":
                AssertFloats(expected, Fill(dtype, n, (f => g.FillUniform(f, 0, 1), d => g.FillUniform(d, 0, 1))), what);
                break;
            case "uniform":
                double from = step.GetProperty("from").GetDouble(), to = step.GetProperty("to").GetDouble();
                AssertFloats(expected, Fill(dtype, n, (f => g.FillUniform(f, from, to), d => g.FillUniform(d, from, to))), what);
                break;
            case "randint":
                AssertRandint(g, step, dtype, n, expected, what);
                break;
            case "randperm":
                var perm = new long[n];
                g.Randperm<long>(perm);
                AssertIntegers(expected, perm, what);
                break;
            case "random64":
                AssertIntegers(expected, [.. Enumerable.Range(0, n).Select(_ => (long)(g.Random64() % (1UL << 63)))], what);
                break;
            case "bernoulli_scalar":
                double p = step.GetProperty("p").GetDouble();
                AssertFloats(expected, Fill(dtype, n, (f => g.FillBernoulli(f, p), d => g.FillBernoulli(d, p))), what);
                break;
            case "bernoulli_tensor":
                bool single = step.GetProperty("probs_dtype").GetString() == "float32";
                double[] draws = [.. step.GetProperty("probs").EnumerateArray().Select(pr =>
                    (single ? g.NextBernoulli((float)pr.GetDouble()) : g.NextBernoulli(pr.GetDouble())) ? 1.0 : 0.0)];
                AssertFloats(expected, draws, what);
                break;
            default:
                Assert.Fail($"unknown golden op '{op}' in {what}");
                break;
        }
    }

    private static void AssertRandint(Generator g, JsonElement step, string dtype, int n, JsonElement expected, string what)
    {
        long low = step.GetProperty("low").GetInt64(), high = step.GetProperty("high").GetInt64();
        switch (dtype)
        {
            case "int64":
                var l = new long[n];
                g.FillRandint<long>(l, low, high);
                AssertIntegers(expected, l, what);
                break;
            case "int32":
                var i = new int[n];
                g.FillRandint<int>(i, low, high);
                AssertIntegers(expected, [.. i.Select(v => (long)v)], what);
                break;
            default:
                AssertFloats(expected, Fill(dtype, n, (f => g.FillRandint<float>(f, low, high), d => g.FillRandint<double>(d, low, high))), what);
                break;
        }
    }

    // Runs the float32 or float64 kernel into a fresh buffer; float32 results widen to double exactly.
    private static double[] Fill(string dtype, int n, (Action<float[]> Single, Action<double[]> Double) kernels)
    {
        if (dtype == "float32")
        {
            var f = new float[n];
            kernels.Single(f);
            return [.. f.Select(v => (double)v)];
        }
        Assert.Equal("float64", dtype);
        var d = new double[n];
        kernels.Double(d);
        return d;
    }

    /// <summary>Asserts <paramref name="actual"/> equals the golden floats bit for bit, naming the first mismatch.</summary>
    internal static void AssertFloats(JsonElement expected, double[] actual, string what)
    {
        double[] want = [.. expected.EnumerateArray().Select(e => e.GetDouble())];
        Assert.True(want.Length == actual.Length, $"{what}: expected {want.Length} values, got {actual.Length}");
        for (int i = 0; i < want.Length; i++)
        {
            if (BitConverter.DoubleToUInt64Bits(want[i]) != BitConverter.DoubleToUInt64Bits(actual[i]))
                Assert.Fail($"{what}: first mismatch at [{i}]: PyTorch {want[i]:R}, Nabla {actual[i]:R}");
        }
    }

    private static void AssertIntegers(JsonElement expected, long[] actual, string what)
    {
        long[] want = [.. expected.EnumerateArray().Select(e => e.GetInt64())];
        Assert.True(want.Length == actual.Length, $"{what}: expected {want.Length} values, got {actual.Length}");
        for (int i = 0; i < want.Length; i++)
        {
            if (want[i] != actual[i])
                Assert.Fail($"{what}: first mismatch at [{i}]: PyTorch {want[i]}, Nabla {actual[i]}");
        }
    }

    private static string CaseId(JsonElement c)
    {
        JsonElement seed = c.GetProperty("seed");
        return $"{c.GetProperty("name").GetString()}@{(seed.ValueKind == JsonValueKind.Null ? "fresh" : seed.GetRawText())}";
    }
}
