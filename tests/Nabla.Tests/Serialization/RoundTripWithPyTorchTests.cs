using System.Diagnostics;
using System.Text.Json;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Serialization;
using Xunit;
using Xunit.Abstractions;

namespace Nabla.Tests.Serialization;

/// <summary>
/// State dicts saved by Nabla open in real PyTorch: the .pt in <c>torch.load(weights_only=True)</c>, the .safetensors in a
/// reader written from the format's specification, with the same keys, dtypes, shapes, values and shared storages.
/// Needs Debian's python3-torch at /usr/bin/python3 (.ci/run installs it); without it the test says why and returns.
/// </summary>
public sealed class RoundTripWithPyTorchTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-rt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string? WhyNoTorch()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist (install python3-torch)";
        var (code, _, err) = Run("-c", "import torch");
        return code == 0 ? null : $"{Python} cannot import torch (install python3-torch): {err.Trim()}";
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new TimeoutException("python did not finish in 120 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void SavedCheckpointsOpenInPyTorchWithIdenticalContents()
    {
        if (WhyNoTorch() is { } reason)
        {
            output.WriteLine("Not run: " + reason);
            Console.WriteLine($"{nameof(SavedCheckpointsOpenInPyTorchWithIdenticalContents)} not run: {reason}");
            return;
        }
        var sd = SafetensorsTests.AllDTypes();
        var pt = Path.Combine(_dir, "state.pt");
        var st = Path.Combine(_dir, "state.safetensors");
        var train = Path.Combine(_dir, "train.pt");
        Torch.Save(sd, pt);
        Safetensors.Save(sd, st, metadata: new() { ["format"] = "pt" });

        Torch.ManualSeed(0);
        var model = new Sequential(new Linear(2, 2));
        var adam = new Adam(model.Parameters(), lr: 0.01, betas: (0.8, 0.99));
        F(model).Backward();
        adam.Step();
        Torch.Save(new Dictionary<string, object?> { ["model"] = model.StateDict(), ["optimizer"] = adam.StateDict(), ["epoch"] = 7L }, train);

        var (code, stdout, stderr) = Run(Path.Combine(AppContext.BaseDirectory, "Serialization", "read_checkpoints.py"), pt, st, train);
        Assert.True(code == 0, "python failed: " + stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var part in new[] { "pt", "safetensors" })
        {
            var seen = root.GetProperty(part);
            Assert.Equal(sd.Keys, seen.EnumerateObject().Select(p => p.Name));
            foreach (var (k, v) in sd)
            {
                var e = seen.GetProperty(k);
                Assert.Equal(v.DType.TorchName(), "torch." + e.GetProperty("dtype").GetString());
                Assert.Equal(v.Shape, e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()));
                Assert.Equal(v.ToArray<double>(), e.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()));
            }
        }
        Assert.Equal("OrderedDict", root.GetProperty("pt_type").GetString());
        Assert.Equal([["f32", "f32_t"]], root.GetProperty("pt_shared").EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.GetString()!).ToArray()));
        Assert.Equal([1L, 4L], root.GetProperty("pt_strides").GetProperty("f32_t").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(["param"], root.GetProperty("pt_parameters").EnumerateArray().Select(x => x.GetString()!));
        Assert.IsType<Parameter>(Torch.Load(pt)["param"]);
        Assert.Equal("pt", root.GetProperty("metadata").GetProperty("format").GetString());

        var t = root.GetProperty("training");
        Assert.Equal(7, t.GetProperty("epoch").GetInt64());
        Assert.Equal(0.01, t.GetProperty("lr").GetDouble());
        Assert.Equal([0L, 1L], t.GetProperty("params").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal([0.8, 0.99], t.GetProperty("betas").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(["exp_avg", "exp_avg_sq", "step"], t.GetProperty("state_keys").EnumerateArray().Select(x => x.GetString()!));
        Assert.Equal(1.0, t.GetProperty("step").GetDouble());

        // And back: Nabla reads its own training checkpoint into a fresh optimizer.
        var ckpt = Torch.LoadObject(train);
        var again = new Adam(model.Parameters(), lr: 0.5);
        again.LoadStateDict(OptimizerStateDict.From(ckpt["optimizer"]));
        Assert.Equal(0.01, again.ParamGroups[0].Lr);
    }

    private static Tensor F(Module m) => m.Forward(Torch.Ones(3, 2)).Sum();
}
