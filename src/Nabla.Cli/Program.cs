using Nabla.Cli;
using Spectre.Console;

Console.OutputEncoding = System.Text.Encoding.UTF8;
using var stop = new CancellationTokenSource();
// Ctrl-C asks the running command to stop between steps; a second Ctrl-C ends the process at once.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
return await NablaCommand.RunAsync(args, AnsiConsole.Console, Console.Out, Console.Error, stop.Token);
