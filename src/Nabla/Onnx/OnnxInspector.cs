using System.Globalization;
using System.Numerics;
using System.Text;

namespace Nabla.Onnx;

/// <summary>
/// Renders an ONNX model for people as plain-text tables: its header, inputs and outputs, initializers (name, value
/// summary, dims, data type) and nodes (index, op type, inputs, outputs). What <c>nabla onnx inspect</c> prints.
/// Names from the file are shown with control characters escaped and long cells cut.
/// </summary>
public static class OnnxInspector
{
    /// <summary>Leading values a summary shows before <c>…</c>.</summary>
    private const int ValuesShown = 4;

    /// <summary>Everything: header line, inputs, outputs, initializers and nodes of the main graph.</summary>
    public static string Render(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var g = model.Graph;
        var opsets = string.Join(", ", model.OpsetImports.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)} {o.Version}"));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"ONNX model: ir_version {model.IrVersion}, producer {model.ProducerName} {model.ProducerVersion}, opset {opsets}\n");
        sb.Append(CultureInfo.InvariantCulture, $"graph {OnnxText.Quote(g.Name)}: inputs {g.Inputs.Count}, outputs {g.Outputs.Count}, initializers {g.Initializers.Count}, nodes {g.Nodes.Count}\n");
        sb.Append("\nInputs\n").Append(RenderValues(g.Inputs));
        sb.Append("\nOutputs\n").Append(RenderValues(g.Outputs));
        sb.Append("\nInitializers\n").Append(RenderInitializers(g));
        sb.Append("\nNodes\n").Append(RenderNodes(g));
        return sb.ToString();
    }

    /// <summary>A table of graph values: name, type, shape (dims as sizes or symbolic names).</summary>
    public static string RenderValues(IReadOnlyList<OnnxValueInfo> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var table = new PlainTextTable("name", "type", "shape");
        foreach (var v in values)
            table.Add(v.Name, v.Type?.ToString() ?? "?", v.Shape is { } s ? "[" + string.Join(", ", s) + "]" : "?");
        return table.ToString();
    }

    /// <summary>A table of the graph's initializers: name, value summary, dims, data_type.</summary>
    public static string RenderInitializers(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var table = new PlainTextTable("name", "values", "dims", "data_type");
        foreach (var t in graph.Initializers)
            table.Add(t.Name, SummarizeValues(t), OnnxText.Dims(t.Dims), OnnxDataTypes.Name(t.DataType));
        return table.ToString();
    }

    /// <summary>A table of the graph's nodes: index, op_type (prefixed by its domain when not standard), inputs, outputs.</summary>
    public static string RenderNodes(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var table = new PlainTextTable("#", "op_type", "inputs", "outputs");
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            string op = n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}::{n.OpType}";
            table.Add(i.ToString(CultureInfo.InvariantCulture), op, string.Join(", ", n.Inputs), string.Join(", ", n.Outputs));
        }
        return table.ToString();
    }

    /// <summary>The first values and the count: <c>[0.1234, -0.5, 0.25, 1, …] (32 values)</c>; <c>(external data)</c> when not in the file.</summary>
    /// <exception cref="OnnxFormatException">The tensor's data cannot be decoded.</exception>
    public static string SummarizeValues(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsExternal)
            return "(external data)";
        var values = tensor.ToArray();
        var shown = Enumerable.Range(0, Math.Min(values.Length, ValuesShown)).Select(i => FormatValue(values.GetValue(i)));
        string list = "[" + string.Join(", ", shown) + (values.Length > ValuesShown ? ", …]" : "]");
        return values.Length == 1 ? list : $"{list} ({values.Length} values)";
    }

    /// <summary>
    /// The tensor's values as numpy prints <c>onnx.numpy_helper.to_array(tensor)</c> (<c>[-0.8021901]</c>,
    /// <c>[[1. 2.]\n [3. 4.]]</c>): what the seed notebook shows for each initializer.
    /// </summary>
    /// <exception cref="OnnxFormatException">The tensor's data is external or cannot be decoded.</exception>
    /// <exception cref="NotSupportedException">The tensor has more than 64 dims, more than a numpy array holds.</exception>
    public static string NumpyString(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return NumpyArrayFormat.Format(tensor.ToArray(), tensor.Dims);
    }

    private static string FormatValue(object? value) => value switch
    {
        float f => f.ToString("G5", CultureInfo.InvariantCulture),
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
        Half h => ((float)h).ToString("G5", CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        string s => "\"" + OnnxText.Printable(s, 40) + "\"",
        Complex c => $"({c.Real.ToString("G5", CultureInfo.InvariantCulture)}{(c.Imaginary < 0 ? "" : "+")}{c.Imaginary.ToString("G5", CultureInfo.InvariantCulture)}j)",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
