using System.CommandLine;
using System.Globalization;
using Nabla.Serialization;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla checkpoint inspect FILE</c>: a .pt or .safetensors checkpoint's tensors as a table (key, dtype, shape,
/// elements, bytes) with totals, its other values and metadata; for a hostile .pt, the global that was refused.
/// </summary>
public static class CheckpointInspectCommand
{
    /// <summary>The <c>checkpoint</c> command with its <c>inspect</c> subcommand, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The .pt, .pth, .safetensors or .safetensors.index.json file to read." };
        var inspect = new Command("inspect", "Print a checkpoint's keys, dtypes, shapes and sizes as a table, with totals.") { file };
        inspect.SetAction(result => Run(result.GetValue(file)!.FullName, console));
        return new Command("checkpoint", "Work with PyTorch (.pt) and safetensors checkpoints.") { inspect };
    }

    /// <summary>Prints the checkpoint at <paramref name="path"/>; returns 0, 1 when it cannot be read, 2 when it was refused as unsafe.</summary>
    public static int Run(string path, IAnsiConsole console)
    {
        CheckpointSummary summary;
        try
        {
            summary = CheckpointInspector.Inspect(path);
        }
        catch (UnsafeCheckpointException e)
        {
            console.Write(new Text($"nabla checkpoint inspect: refused {path}: it names the global {e.Global}, which torch.load(weights_only=True) " +
                "does not allow. Nothing from the file was run.\n", new Style(Color.Red)));
            return 2;
        }
        catch (Exception e) when (e is CheckpointFormatException or IOException or UnauthorizedAccessException)
        {
            console.Write(new Text($"nabla checkpoint inspect: {e.Message}\n", new Style(Color.Red)));
            return 1;
        }
        console.Write(new Text($"{path}\nformat {summary.Format}\n\n"));
        var table = new Table { Title = new TableTitle($"tensors ({summary.Entries.Count})"), Border = TableBorder.Rounded };
        foreach (var c in new[] { "key", "dtype", "shape", "elements", "bytes" }) table.AddColumn(new TableColumn(new Text(c)));
        foreach (var e in summary.Entries)
            table.AddRow(Cells(e.Key, e.DType.TorchName(), "[" + string.Join(", ", e.Shape) + "]", Number(e.Elements), Number(e.Bytes)));
        table.AddRow(Cells("total", "", "", Number(summary.TotalElements), Number(summary.TotalBytes)));
        console.Write(table);
        console.Write(new Text($"tensor data in the file: {Number(summary.StorageBytes)} bytes (shared storages counted once)\n"));
        if (summary.Values.Count > 0)
        {
            var values = new Table { Title = new TableTitle("other values"), Border = TableBorder.Rounded };
            values.AddColumn(new TableColumn(new Text("key")));
            values.AddColumn(new TableColumn(new Text("value")));
            foreach (var (k, v) in summary.Values) values.AddRow(Cells(k, v));
            console.Write(values);
        }
        foreach (var (k, v) in summary.Metadata) console.Write(new Text($"metadata {k} = {v}\n"));
        return 0;
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    // Text cells: keys from a file are shown as they are, never read as Spectre markup.
    private static Text[] Cells(params string[] cells) => cells.Select(c => new Text(c)).ToArray();
}
