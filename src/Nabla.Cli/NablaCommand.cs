using System.CommandLine;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>The <c>nabla</c> command line: <c>nabla onnx inspect FILE</c>.</summary>
public static class NablaCommand
{
    /// <summary>The root command, writing its tables to <paramref name="console"/>.</summary>
    public static RootCommand Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .onnx file to read." };
        var inspect = new Command("inspect", "Print an ONNX model's inputs, outputs, initializers and nodes as tables.") { file };
        inspect.SetAction(result => OnnxInspectCommand.Run(result.GetValue(file)!.FullName, console));
        var onnx = new Command("onnx", "Work with ONNX model files.") { inspect };
        return new RootCommand("Nabla: PyTorch's semantics in pure C#.") { onnx, CheckpointInspectCommand.Create(console) };
    }
}
