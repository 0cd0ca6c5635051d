using System.Diagnostics;

namespace Nabla.Tests.Cli;

/// <summary>Runs a program (the dotnet CLI, an installed tool) to completion and returns its exit code and output.</summary>
internal static class DotnetProcess
{
    public static (int ExitCode, string Output) Run(string fileName, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
