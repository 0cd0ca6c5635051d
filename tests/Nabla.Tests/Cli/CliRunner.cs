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
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(console),
        });
        ansi.Profile.Width = 200;
        int code = NablaCommand.RunAsync(args, ansi, output, error, cancel).GetAwaiter().GetResult();
        return new Result(code, console.ToString(), output.ToString(), error.ToString());
    }
}
