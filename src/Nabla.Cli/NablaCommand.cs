using System.CommandLine;
using System.Globalization;
using SeedExperiment;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>The <c>nabla</c> command line: <c>train</c>, <c>seed</c> and <c>onnx inspect FILE</c>.</summary>
public static class NablaCommand
{
    /// <summary>
    /// The root command, writing its tables and progress to <paramref name="console"/> and the seed notebook's plain text to
    /// <paramref name="output"/> (standard output when null).
    /// </summary>
    public static RootCommand Create(IAnsiConsole console, TextWriter? output = null)
    {
        var root = new RootCommand("Nabla: PyTorch's semantics in pure C#.") { Train(console), Seed(output), Onnx(console) };
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>; a command line that does not parse gives one line on
    /// <paramref name="error"/> and exit code 2. Cancelling <paramref name="cancel"/> (Ctrl-C) stops training cleanly.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter? output, TextWriter error, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parsed = Create(console, output).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', parsed.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name)
                .Append(parsed.CommandResult.Command.Name)).Replace(parsed.RootCommandResult.Command.Name, "nabla", StringComparison.Ordinal);
            await error.WriteLineAsync($"{command}: {parsed.Errors[0].Message} (see {command} --help)").ConfigureAwait(false);
            return 2;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output ?? Console.Out, Error = error }, cancel).ConfigureAwait(false);
    }

    private static Command Train(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "The model: mlp (64-128-10) or cnn (two 3x3 convolutions).", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong(DigitsModels.Names);
        var epochs = Positive(new Option<int>("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 10 });
        var batchSize = Positive(new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 64 });
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 0.01 };
        lr.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--lr must be a positive number."); });
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (momentum 0.9) or adam.", DefaultValueFactory = _ => "sgd" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var seed = new Option<long>("--seed") { Description = "Seed of the split, the initial weights and the shuffles.", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Write the trained model's state dict here (safetensors)." };
        var onnx = new Option<string?>("--onnx") { Description = "Export the trained model to this ONNX file and check it in ONNX Runtime." };
        var plot = new Option<string?>("--plot") { Description = "Draw loss and accuracy curves to this .png or .svg file." };
        var train = new Command("train", "Train a model on the bundled 8x8 digits (1,797 images, 80/20 split) and report its test accuracy.")
        {
            model, epochs, batchSize, lr, optimizer, seed, output, onnx, plot,
        };
        train.SetAction((r, cancel) => Task.FromResult(TrainCommand.Run(new TrainOptions(
            r.GetValue(model)!, r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(optimizer)!, r.GetValue(seed),
            r.GetValue(output), r.GetValue(onnx), r.GetValue(plot)), console, cancel)));
        return train;
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
                r.AddError($"{option.Name} must be a positive integer, not {r.GetValueOrDefault<int>().ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    private static Command Seed(TextWriter? output)
    {
        var seed = new Command("seed", "Run the seed notebook in C#: the same output as samples/SeedExperiment.");
        seed.SetAction(_ =>
        {
            SeedNotebook.Run(output ?? Console.Out, OnnxSection.Run);
            return 0;
        });
        return seed;
    }

    private static Command Onnx(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .onnx file to read." };
        var inspect = new Command("inspect", "Print an ONNX model's inputs, outputs, initializers and nodes as tables.") { file };
        inspect.SetAction(result => OnnxInspectCommand.Run(result.GetValue(file)!.FullName, console));
        return new Command("onnx", "Work with ONNX model files.") { inspect };
    }
}
