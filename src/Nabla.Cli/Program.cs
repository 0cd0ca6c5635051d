using Nabla.Cli;
using Spectre.Console;

return NablaCommand.Create(AnsiConsole.Console).Parse(args).Invoke();
