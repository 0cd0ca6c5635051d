using Nabla.Cli;
using Spectre.Console;

namespace Nabla.Tests.Cli;

/// <summary>Runs the <c>nabla</c> command in process, capturing its console, plain output and error stream.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Console, string Output, string Error);

    public static Result Run(string[] args, CancellationToken cancel = default)
    {
        var console = new StringWriter();
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter();
        int code = NablaCommand.RunAsync(args, PlainConsole(console, 200), output, error, cancel).GetAwaiter().GetResult();
        return new Result(code, console.ToString(), output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>nabla KIND inspect PATH</c> on a plain 160-column console: its exit code and its lines, right-trimmed.</summary>
    public static (int ExitCode, string[] Lines) Inspect(string kind, string path)
    {
        var writer = new StringWriter();
        int code = NablaCommand.Create(PlainConsole(writer, 160)).Parse([kind, "inspect", path]).Invoke();
        return (code, writer.ToString().Split('\n').Select(l => l.TrimEnd()).ToArray());
    }

    /// <summary>A table row's cells, without the borders.</summary>
    public static string[] Cells(string line) => line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IAnsiConsole PlainConsole(TextWriter writer, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return console;
    }
}
