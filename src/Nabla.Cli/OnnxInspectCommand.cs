using System.Globalization;
using Nabla.Onnx;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla onnx inspect FILE</c>: what the seed notebook prints with the onnx package (cells 9 and 10), as tables:
/// each initializer's name, values (as numpy prints a short vector; summarised otherwise), dims and data type, and each node's
/// op type, inputs and outputs; with the model's header, inputs and outputs above.
/// </summary>
public static class OnnxInspectCommand
{
    /// <summary>Values of a vector or scalar shown in numpy's form up to this many elements; others are summarised.</summary>
    private const int NumpyElements = 10;

    /// <summary>Prints the model at <paramref name="path"/>; returns 0, or 1 with a message when the file cannot be read as ONNX.</summary>
    public static int Run(string path, IAnsiConsole console)
    {
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(path);
        }
        catch (Exception e) when (e is OnnxFormatException or IOException or UnauthorizedAccessException)
        {
            console.Write(new Text($"nabla onnx inspect: {e.Message}\n", new Style(Color.Red)));
            return 1;
        }
        var g = model.Graph;
        var opsets = string.Join(", ", model.OpsetImports.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)} {o.Version}"));
        console.Write(new Text(
            $"{path}\nir_version {model.IrVersion}, producer {model.ProducerName} {model.ProducerVersion}, opset {opsets}, graph '{g.Name}'\n\n"));

        var values = NewTable("graph inputs and outputs", "", "name", "type", "shape");
        foreach (var v in g.Inputs) values.AddRow(Cells("input", v.Name, v.Type?.ToString() ?? "?", Shape(v)));
        foreach (var v in g.Outputs) values.AddRow(Cells("output", v.Name, v.Type?.ToString() ?? "?", Shape(v)));
        console.Write(values);

        var initializers = NewTable($"initializers ({g.Initializers.Count})", "name", "value", "dims", "data_type");
        foreach (var t in g.Initializers)
            initializers.AddRow(Cells(t.Name, Value(t), "[" + string.Join(", ", t.Dims) + "]",
                $"{((int)t.DataType).ToString(CultureInfo.InvariantCulture)} ({t.DataType.ToString().ToLowerInvariant()})"));
        console.Write(initializers);

        var nodes = NewTable($"nodes ({g.Nodes.Count})", "#", "op_type", "inputs", "outputs");
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            nodes.AddRow(Cells(i.ToString(CultureInfo.InvariantCulture), n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}::{n.OpType}",
                string.Join(", ", n.Inputs), string.Join(", ", n.Outputs)));
        }
        console.Write(nodes);
        return 0;
    }

    private static Table NewTable(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var c in columns) table.AddColumn(new TableColumn(new Text(c)));
        return table;
    }

    // Text cells: names from a file are shown as they are, never read as Spectre markup.
    private static Text[] Cells(params string[] cells) => cells.Select(c => new Text(c)).ToArray();

    private static string Shape(OnnxValueInfo v) => v.Shape is { } s ? "[" + string.Join(", ", s) + "]" : "?";

    private static string Value(OnnxTensor t)
    {
        if (t.IsExternal) return "(external data)";
        try
        {
            return t.ElementCount <= NumpyElements && t.Dims.Length <= 1 ? OnnxInspector.NumpyString(t) : OnnxInspector.SummarizeValues(t);
        }
        catch (OnnxFormatException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }
}
