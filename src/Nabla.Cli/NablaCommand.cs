using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SeedExperiment;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>The <c>nabla</c> command line: <c>train</c>, <c>seed</c>, <c>onnx inspect FILE</c> and <c>checkpoint inspect FILE</c>.</summary>
public static class NablaCommand
{
    /// <summary>
    /// The root command, writing its tables and progress to <paramref name="console"/> and the seed notebook's plain text to
    /// <paramref name="output"/> (standard output when null).
    /// </summary>
    public static RootCommand Create(IAnsiConsole console, TextWriter? output = null)
    {
        return new RootCommand("Nabla: PyTorch's semantics in pure C#.")
        {
            Train(console), Seed(output), Onnx(console), CheckpointInspectCommand.Create(console),
        };
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
            var message = string.Join(' ', parsed.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            await error.WriteLineAsync($"{command}: {message} (see {command} --help)").ConfigureAwait(false);
            return 2;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output ?? Console.Out, Error = error }, cancel).ConfigureAwait(false);
    }

    private static Command Train(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "The model: mlp (64-128-10) or cnn (two 3x3 convolutions).", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong(DigitsModels.Names);
        var epochs = PositiveInt("--epochs", "Passes over the training split.", 10);
        var batchSize = PositiveInt("--batch-size", "Samples per step.", 64);
        var lr = new Option<double>("--lr")
        {
            Description = "Learning rate.",
            DefaultValueFactory = _ => 0.01,
            CustomParser = r => Positive(r, "--lr", (string t, out double v) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v), "number"),
        };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (momentum 0.9) or adam.", DefaultValueFactory = _ => "sgd" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var seed = new Option<long>("--seed") { Description = "Seed of the split, the initial weights and the shuffles.", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Write the trained model's state dict here: .safetensors, or .pt/.pth as torch.save writes it." };
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

    private delegate bool TryParse<T>(string token, out T value);

    private static Option<int> PositiveInt(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Positive(r, name, (string t, out int v) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "integer"),
    };

    // One clear message for a value that is not a positive number of the option's kind.
    private static T Positive<T>(ArgumentResult result, string name, TryParse<T> parse, string kind) where T : struct, System.Numerics.INumber<T>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (parse(token, out var value) && value > T.Zero) return value;
        result.AddError($"{name} must be a positive {kind}, not '{token}'.");
        return T.Zero;
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
