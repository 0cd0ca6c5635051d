using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime (the judge of exports) with Nabla tensors in and out.</summary>
internal static class OrtRunner
{
    /// <summary>Loads <paramref name="model"/> (ONNX Runtime checks it) and runs it on <paramref name="inputs"/>, fed to the graph inputs in order.</summary>
    public static Tensor[] Run(byte[] model, params Tensor[] inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        var inputNames = session.InputMetadata.Keys.ToArray();
        Assert.True(inputNames.Length >= inputs.Length, $"the model has {inputNames.Length} inputs, {inputs.Length} given");
        var values = inputs.Select(ToOrt).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            var outputNames = session.OutputMetadata.Keys.ToArray();
            using var results = session.Run(runOptions, inputNames[..inputs.Length], values, outputNames);
            return results.Select(FromOrt).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static OrtValue ToOrt(Tensor t) => t.DType switch
    {
        DType.Float32 => OrtValue.CreateTensorValueFromMemory(t.ToArray<float>(), t.Shape),
        DType.Float64 => OrtValue.CreateTensorValueFromMemory(t.ToArray<double>(), t.Shape),
        DType.Int64 => OrtValue.CreateTensorValueFromMemory(t.ToArray<long>(), t.Shape),
        DType.Int32 => OrtValue.CreateTensorValueFromMemory(t.ToArray<int>(), t.Shape),
        _ => OrtValue.CreateTensorValueFromMemory(t.ToArray<bool>(), t.Shape),
    };

    private static Tensor FromOrt(OrtValue v)
    {
        var info = v.GetTensorTypeAndShape();
        var shape = info.Shape;
        Array data = info.ElementDataType switch
        {
            TensorElementType.Float => v.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => v.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => v.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => v.GetTensorDataAsSpan<int>().ToArray(),
            TensorElementType.Bool => v.GetTensorDataAsSpan<bool>().ToArray(),
            var other => throw new InvalidOperationException($"unexpected output element type {other}"),
        };
        return Tensor.FromArray(data, shape);
    }
}
