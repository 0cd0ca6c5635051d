using Microsoft.ML.OnnxRuntime;

namespace Nabla.Cli;

/// <summary>Runs an exported classifier in ONNX Runtime and compares its predictions with Nabla's.</summary>
public static class OnnxRuntimeCheck
{
    /// <summary>
    /// How many of the images ONNX Runtime classifies as Nabla does (argmax of the logits), and the largest logit difference;
    /// null where ONNX Runtime has no native library for the platform.
    /// </summary>
    public static (int Agree, int Total, double MaxDifference)? TryCompare(string onnxPath, Tensor images, Tensor nablaLogits)
    {
        try
        {
            return Compare(onnxPath, images, nablaLogits);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException
                                      || e is TypeInitializationException { InnerException: DllNotFoundException or EntryPointNotFoundException })
        {
            return null;
        }
    }

    private static (int Agree, int Total, double MaxDifference) Compare(string onnxPath, Tensor images, Tensor nablaLogits)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(nablaLogits);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnxPath, options);
        using var input = OrtValue.CreateTensorValueFromMemory(images.ToArray<float>(), images.Shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [session.InputMetadata.Keys.First()], [input], [session.OutputMetadata.Keys.First()]);
        var ort = results[0].GetTensorDataAsSpan<float>().ToArray();
        var nabla = nablaLogits.ToArray<float>();
        int classes = (int)nablaLogits.Shape[1], total = (int)nablaLogits.Shape[0], agree = 0;
        double maxDifference = 0;
        for (int i = 0; i < total; i++)
        {
            var a = nabla.AsSpan(i * classes, classes);
            var b = ort.AsSpan(i * classes, classes);
            if (ArgMax(a) == ArgMax(b)) agree++;
            for (int c = 0; c < classes; c++) maxDifference = Math.Max(maxDifference, Math.Abs(a[c] - b[c]));
        }
        return (agree, total, maxDifference);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
