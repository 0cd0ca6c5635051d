using Nabla.Cli;
using Nabla.Tests.Onnx;
using Xunit;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla train</c> end to end: a one-epoch run, the files it writes, its reproducibility and its refusals.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla_train_").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void OneEpochWritesAnOnnxFileThatOnnxRuntimeRunsAsTheModelDoes()
    {
        var r = CliRunner.Run(["train", "--model", "mlp", "--epochs", "1", "--seed", "5", "--onnx", File("m.onnx"), "--plot", File("c.png"),
            "--out", File("m.safetensors")]);
        Assert.True(r.ExitCode == 0, r.Console + r.Error);
        var lines = r.Console.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Matches(@"^test accuracy: \d+\.\d%$", lines[^1]);
        Assert.Contains(lines, l => l.Contains("ONNX Runtime agrees on 359/359 test predictions", StringComparison.Ordinal));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], System.IO.File.ReadAllBytes(File("c.png")).Take(4));
        Assert.Equal(["c.png", "m.onnx", "m.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());

        // The same seed rebuilds the same model: ONNX Runtime on the written file gives its logits and its accuracy.
        var again = new DigitsTraining(new TrainOptions("mlp", 1, 64, 0.01, "sgd", 5, null, null, null));
        again.RunEpoch(1, null, CancellationToken.None);
        var (_, accuracy, logits) = again.Evaluate();
        var ort = OrtRunner.Run(System.IO.File.ReadAllBytes(File("m.onnx")), again.TestImages)[0];
        TensorAssert.Close(logits, ort, rtol: 1e-4, atol: 1e-5);
        Assert.Equal($"test accuracy: {accuracy * 100:0.0}%", lines[^1]);

        // The checkpoint reloads into a fresh model that gives the same logits, hence the same accuracy.
        var reloaded = DigitsModels.Create("mlp");
        reloaded.Load(File("m.safetensors"));
        reloaded.Eval();
        using (Torch.NoGrad())
            TensorAssert.Close(logits, reloaded.Call(again.TestImages), rtol: 0, atol: 0);
    }

    [Fact]
    public void TheSameSeedPrintsTheSameFigures()
    {
        string[] args = ["train", "--model", "cnn", "--epochs", "1", "--batch-size", "128", "--optimizer", "adam", "--lr", "0.003", "--seed", "7"];
        Assert.Equal(Figures(CliRunner.Run(args)), Figures(CliRunner.Run(args)));

        // The summary row without its speed and time columns, and the final line.
        static string[] Figures(CliRunner.Result r)
        {
            Assert.Equal(0, r.ExitCode);
            var lines = r.Console.Split('\n');
            var row = lines.Single(l => l.TrimStart().StartsWith("│     1 │", StringComparison.Ordinal)).Split('│');
            return [.. row[1..6].Select(c => c.Trim()), lines.Last(l => l.Length > 0).TrimEnd()];
        }
    }

    [Fact]
    public void WritesAnSvgPlot()
    {
        var r = CliRunner.Run(["train", "--epochs", "2", "--plot", File("c.svg")]);
        Assert.Equal(0, r.ExitCode);
        var svg = System.IO.File.ReadAllText(File("c.svg"));
        Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void CancellingStopsBeforeWritingAnyFile()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var r = CliRunner.Run(["train", "--epochs", "3", "--onnx", File("m.onnx"), "--plot", File("c.png")], cancel.Token);
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("stopped after 0 of 3 epochs; no files were written.", r.Console, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "0" }, "nabla train: --epochs must be a positive integer, not '0'. (see nabla train --help)")]
    [InlineData(new[] { "train", "--model", "rnn" }, "nabla train: Argument 'rnn' not recognized. Must be one of: 'mlp' 'cnn' (see nabla train --help)")]
    [InlineData(new[] { "train", "--lr", "fast" }, "nabla train: --lr must be a positive number, not 'fast'. (see nabla train --help)")]
    [InlineData(new[] { "trian" }, "nabla: ")]
    public void BadArgumentsGiveOneLineAndExitCode2(string[] args, string start)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.StartsWith(start, line, StringComparison.Ordinal);
        Assert.Equal("", r.Console);
    }

    [Fact]
    public void AnUnwritableOutputFailsBeforeTraining()
    {
        var r = CliRunner.Run(["train", "--onnx", Path.Combine(_dir, "missing", "m.onnx")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"nabla train: cannot write {Path.Combine(_dir, "missing", "m.onnx")}: the folder {Path.Combine(_dir, "missing")} does not exist.",
            r.Console.TrimEnd());
        var plot = CliRunner.Run(["train", "--plot", File("c.jpg")]);
        Assert.Equal(1, plot.ExitCode);
        Assert.Contains("must end in .png or .svg", plot.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointNamesNeedAKnownExtension()
    {
        var r = CliRunner.Run(["train", "--out", File("m.ckpt")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"nabla train: --out {File("m.ckpt")}: the file name must end in .safetensors, .pt or .pth.", r.Console.TrimEnd());
    }

    [Fact]
    public void AnUnreadableOnnxFileGivesOneLine()
    {
        System.IO.File.WriteAllText(File("bad.onnx"), "not a model");
        var r = CliRunner.Run(["onnx", "inspect", File("bad.onnx")]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("nabla onnx inspect: ", Assert.Single(r.Console.TrimEnd().Split('\n')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "train")]
    [InlineData(new[] { "train", "--help" }, "--batch-size")]
    [InlineData(new[] { "seed", "--help" }, "seed notebook")]
    [InlineData(new[] { "onnx", "inspect", "--help" }, "<file>")]
    public void HelpIsEverywhere(string[] args, string mentions)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(mentions, r.Output + r.Console, StringComparison.Ordinal);
    }
}
