using System.Globalization;
using Nabla.Onnx;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train</c>: trains a model on the bundled digits with a live progress bar per epoch, prints a summary table and
/// the test accuracy, and writes the checkpoint, ONNX file and plot asked for (each whole or not at all).
/// </summary>
public static class TrainCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs the training; returns 0, 1 when a file cannot be written or ONNX Runtime disagrees, 130 when cancelled.</summary>
    public static int Run(TrainOptions options, IAnsiConsole console, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        if (CheckOutputs(options) is { } problem) return Fail(console, problem);

        var training = new DigitsTraining(options);
        console.WriteLine(string.Format(Inv, "training {0} on {1:N0} digits ({2:N0} held out): {3}, lr {4}, batch {5}, seed {6}",
            options.Model, training.Train.Count, training.TestLabels.Shape[0], options.Optimizer, options.Lr, options.BatchSize, options.Seed));
        var history = new List<EpochResult>();
        try
        {
            console.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    for (int epoch = 1; epoch <= options.Epochs; epoch++)
                    {
                        var task = ctx.AddTask(EpochLabel(epoch, options.Epochs), maxValue: training.StepsPerEpoch);
                        int e = epoch;
                        var result = training.RunEpoch(epoch, (step, loss, accuracy, rate) =>
                        {
                            task.Value = step;
                            task.Description = $"{EpochLabel(e, options.Epochs)}  loss {F4(loss)}  acc {Pct(accuracy)}  {rate.ToString("N0", Inv)} samples/s";
                        }, cancel);
                        task.Description = $"{EpochLabel(e, options.Epochs)}  loss {F4(result.TrainLoss)}  acc {Pct(result.TrainAccuracy)}  test {Pct(result.TestAccuracy)}";
                        task.StopTask();
                        history.Add(result);
                    }
                });
        }
        catch (OperationCanceledException)
        {
            console.WriteLine($"nabla train: stopped after {history.Count} of {options.Epochs} epochs; no files were written.");
            return 130;
        }

        console.Write(Summary(history));
        var (_, finalAccuracy, logits) = training.Evaluate();
        try
        {
            int code = WriteFiles(options, training, history, logits, console, cancel);
            if (code != 0) return code;
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("nabla train: stopped before all files were written; those written are complete.");
            return 130;
        }
        console.WriteLine($"test accuracy: {Pct(finalAccuracy)}");
        return 0;
    }

    private static int WriteFiles(TrainOptions o, DigitsTraining training, List<EpochResult> history, Tensor logits, IAnsiConsole console, CancellationToken cancel)
    {
        try
        {
            if (o.Out is { } checkpoint)
            {
                cancel.ThrowIfCancellationRequested();
                training.Model.Save(checkpoint);   // whole or not at all: the library writes a temporary file and renames it
                console.WriteLine($"wrote {checkpoint} (checkpoint)");
            }
            if (o.Onnx is { } onnx)
            {
                int code = WriteOnnx(onnx, training, logits, console, cancel);
                if (code != 0) return code;
            }
            if (o.Plot is { } plot)
            {
                cancel.ThrowIfCancellationRequested();
                CurvesPlot.Save(history, $"{o.Model} on the digits: {o.Optimizer}, lr {o.Lr.ToString(Inv)}, batch {o.BatchSize}, seed {o.Seed}", plot);
                console.WriteLine($"wrote {plot} (loss and accuracy curves)");
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxExportException)
        {
            return Fail(console, e.Message);
        }
    }

    private static int WriteOnnx(string onnx, DigitsTraining training, Tensor logits, IAnsiConsole console, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        training.Model.Eval();
        AtomicFile.Write(onnx, temp => OnnxExporter.Export(training.Model, Torch.Zeros(1, 1, 8, 8), temp,
            inputNames: ["image"], outputNames: ["logits"],
            dynamicAxes: new() { ["image"] = new() { [0] = "batch" }, ["logits"] = new() { [0] = "batch" } }));
        if (OnnxRuntimeCheck.TryCompare(onnx, training.TestImages, logits) is not var (agree, total, difference))
        {
            console.WriteLine($"wrote {onnx} (ONNX); not checked: ONNX Runtime has no native library for this platform");
            return 0;
        }
        console.WriteLine($"wrote {onnx} (ONNX)");
        console.WriteLine($"ONNX Runtime agrees on {agree}/{total} test predictions (logits within {difference.ToString("0.0e+0", Inv)})");
        return agree == total ? 0 : Fail(console, $"ONNX Runtime's predictions differ from Nabla's on {total - agree} of {total} test images.");
    }

    /// <summary>A reason the run could not write its files, found before training; null when all can be written.</summary>
    private static string? CheckOutputs(TrainOptions o)
    {
        if (o.Out is { } checkpoint && Path.GetExtension(checkpoint).ToLowerInvariant() is not (".safetensors" or ".pt" or ".pth"))
            return $"--out {checkpoint}: the file name must end in .safetensors, .pt or .pth.";
        foreach (var path in new[] { o.Out, o.Onnx, o.Plot })
        {
            if (path is null) continue;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(folder)) return $"cannot write {path}: the folder {folder} does not exist.";
            if (Directory.Exists(path)) return $"cannot write {path}: it is a folder.";
        }
        if (o.Plot is { } plot && Path.GetExtension(plot).ToLowerInvariant() is not (".png" or ".svg"))
            return $"--plot {plot}: the file name must end in .png or .svg.";
        return null;
    }

    private static Table Summary(List<EpochResult> history)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("summary") };
        foreach (var c in new[] { "epoch", "train loss", "train acc", "test loss", "test acc", "samples/s", "time" })
            table.AddColumn(new TableColumn(c) { Alignment = Justify.Right });
        foreach (var h in history)
            table.AddRow(h.Epoch.ToString(Inv), F4(h.TrainLoss), Pct(h.TrainAccuracy), F4(h.TestLoss), Pct(h.TestAccuracy),
                h.SamplesPerSecond.ToString("N0", Inv), h.Elapsed.TotalSeconds.ToString("0.00", Inv) + " s");
        return table;
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        console.Write(new Text($"nabla train: {message}\n", new Style(Color.Red)));
        return 1;
    }

    private static string EpochLabel(int epoch, int epochs) => $"epoch {epoch.ToString(Inv).PadLeft(epochs.ToString(Inv).Length)}/{epochs}";

    private static string F4(double v) => v.ToString("0.0000", Inv);

    private static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";
}
