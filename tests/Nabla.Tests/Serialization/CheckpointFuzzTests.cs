using System.Diagnostics;
using Nabla.Serialization;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.Serialization;

/// <summary>
/// Mutated checkpoints (see <see cref="CheckpointMutator"/>) give only <see cref="CheckpointFormatException"/> (or its
/// <see cref="UnsafeCheckpointException"/>): no other exception, no hang, no allocation out of proportion to the file.
/// The suite runs a quick slice; <c>NABLA_FUZZ_ITERATIONS=10000 dotnet test ... --filter CheckpointFuzz</c> runs a long one.
/// </summary>
public class CheckpointFuzzTests(ITestOutputHelper output)
{
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("NABLA_FUZZ_ITERATIONS"), out int n) ? n : 300;

    /// <summary>Bytes a load may allocate per byte of input, beyond a fixed allowance: objects a pickle builds are a few hundred bytes per opcode byte at most.</summary>
    private const long BytesPerInputByte = 512;
    private const long FixedAllowance = 4 << 20;

    [Fact]
    public void MutatedPtFilesGiveOnlyCheckpointErrors()
    {
        var seeds = new[] { "mlp.pt", "mixed.pt", "train_adam.pt", "cnn_bn.pt" }.Select(f => File.ReadAllBytes(CheckpointFiles.Path(f))).ToArray();
        Fuzz("pt", seeds, (m, d) => m.MutatePt(d), data => Torch.LoadValue(new MemoryStream(data)));
    }

    [Fact]
    public void MutatedSafetensorsFilesGiveOnlyCheckpointErrors()
    {
        var a = new MemoryStream();
        Safetensors.Save(SafetensorsTests.AllDTypes(), a, new() { ["format"] = "pt" });
        var b = new MemoryStream();
        Safetensors.Save(Torch.Load(CheckpointFiles.Path("cnn_bn.pt")), b);
        Fuzz("safetensors", [a.ToArray(), b.ToArray()], (m, d) => m.MutateSafetensors(d), data => Safetensors.Load(new MemoryStream(data)));
    }

    private void Fuzz(string format, byte[][] seeds, Func<CheckpointMutator, byte[], (byte[] Data, string Kind)> mutate, Action<byte[]> load)
    {
        var watch = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        double maxRatio = 0;
        long maxAllocated = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var mutator = new CheckpointMutator(i);
            var (data, kind) = mutate(mutator, seeds[i % seeds.Length]);
            string outcome = "loaded";
            long allocated = 0;
            var run = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { load(data); }
                catch (UnsafeCheckpointException) { outcome = "refused global"; }
                catch (CheckpointFormatException) { outcome = "format error"; }
                catch (Exception e) { outcome = $"UNDOCUMENTED {e.GetType().Name}: {e.Message}"; }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            Assert.True(run.Wait(TimeSpan.FromSeconds(20)), $"{format} iteration {i} ({kind}) did not finish in 20 s");
            Assert.False(outcome.StartsWith("UNDOCUMENTED", StringComparison.Ordinal), $"{format} iteration {i} ({kind}): {outcome}");
            Assert.True(allocated <= FixedAllowance + BytesPerInputByte * data.Length,
                $"{format} iteration {i} ({kind}) allocated {allocated} bytes for a {data.Length}-byte input");
            maxAllocated = Math.Max(maxAllocated, allocated);
            maxRatio = Math.Max(maxRatio, (double)allocated / Math.Max(1, data.Length));
            outcomes[kind + ": " + outcome] = outcomes.GetValueOrDefault(kind + ": " + outcome) + 1;
        }
        output.WriteLine($"{format}: {Iterations} mutated inputs in {watch.Elapsed.TotalSeconds:F1} s; most allocated by one load {maxAllocated} bytes, at most {maxRatio:F1} bytes per input byte");
        foreach (var (k, n) in outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal)) output.WriteLine($"  {k}: {n}");
    }
}
