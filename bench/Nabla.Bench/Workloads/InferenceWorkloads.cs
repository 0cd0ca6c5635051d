using Microsoft.ML.OnnxRuntime;
using Nabla.NN;
using Nabla.Onnx;
using TorchSharp;

namespace Nabla.Bench;

/// <summary>
/// MLP inference in eval mode without grad. ONNX Runtime runs Nabla's own export of the model; its input and
/// output buffers are bound once, so its time is its own. TorchSharp runs the same weights.
/// </summary>
internal static class InferenceWorkloads
{
    public static IEnumerable<Workload> All()
    {
        yield return MlpInference(1);
        yield return MlpInference(64);
    }

    private static Workload MlpInference(int batch) => new(Section.Inference, $"MLP inference, batch {batch}", () =>
    {
        Torch.ManualSeed(0);
        var model = NablaModels.Mlp();
        model.Eval();
        var x = Torch.Randn(batch, 784);
        byte[] onnx = Export(model, x);
        var nabla = new Contender(Library.Nabla, _ => new Step(() =>
        {
            using var noGrad = Torch.NoGrad();
            model.Call(x);
        }));
        var onnxRuntime = new Contender(Library.OnnxRuntime, threads => OnnxRuntimeStep(onnx, x.ToArray<float>(), batch, threads));
        var torchSharp = new Contender(Library.TorchSharp, _ =>
        {
            var twin = TorchSharpModels.Mlp();
            TorchSharpInterop.CopyParameters(model, twin);
            twin.eval();
            var tx = x.ToTorchSharp();
            return new Step(() =>
            {
                using var noGrad = torch.no_grad();
                using var y = twin.call(tx);
            }, () => { twin.Dispose(); tx.Dispose(); });
        });
        return new Contenders(nabla, onnxRuntime, torchSharp);
    });

    /// <summary>Nabla's ONNX export of <paramref name="model"/>, batch axis dynamic, written to a temporary file as a user would.</summary>
    private static byte[] Export(Module model, Tensor x)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-bench-mlp-{Environment.ProcessId}.onnx");
        try
        {
            OnnxExporter.Export(model, x, path, inputNames: ["x"], outputNames: ["y"],
                dynamicAxes: new() { ["x"] = new() { [0] = "batch" }, ["y"] = new() { [0] = "batch" } });
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Step OnnxRuntimeStep(byte[] onnx, float[] input, int batch, int threads)
    {
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        var session = new InferenceSession(onnx, options);
        var runOptions = new RunOptions();
        var inputs = new[] { OrtValue.CreateTensorValueFromMemory(input, [batch, 784]) };
        var outputs = new[] { OrtValue.CreateTensorValueFromMemory(new float[batch * 10], [batch, 10]) };
        string[] inputNames = ["x"], outputNames = ["y"];
        return new Step(() => session.Run(runOptions, inputNames, inputs, outputNames, outputs), () =>
        {
            foreach (var value in inputs.Concat(outputs)) value.Dispose();
            runOptions.Dispose();
            session.Dispose();
            options.Dispose();
        });
    }
}
