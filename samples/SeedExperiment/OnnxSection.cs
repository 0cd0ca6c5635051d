using Nabla;
using Nabla.Onnx;

namespace SeedExperiment;

/// <summary>
/// Section 6 of the seed notebook (cells 8-10): export the trained model to ONNX, load the file back, and print its
/// initializers and nodes as the notebook prints them with the onnx package.
/// </summary>
public static class OnnxSection
{
    /// <summary>Exports <paramref name="model"/> (in eval mode) to the temp folder and prints what the file holds.</summary>
    public static void Run(ExperimentModel model, TextWriter o)
    {
        // Cell 8: export. (PyTorch 2.x also logs its export steps here; Nabla's exporter is silent.)
        o.WriteLine("=== ONNX 导出分析 ===");
        var onnxPath = Path.Combine(Path.GetTempPath(), "experiment_model.onnx");
        model.Eval();
        var dummyInput = Torch.Tensor(new[] { 1.0f });
        OnnxExporter.Export(model, dummyInput, onnxPath, inputNames: ["input_x"], outputNames: ["output"], opsetVersion: 18);
        o.WriteLine($"模型已导出到: {onnxPath}");

        // Cell 9: the initializers (numpy_helper.to_array of each, printed by numpy).
        var graph = OnnxModel.Load(onnxPath).Graph;
        o.WriteLine("\n--- ONNX 图的 initializer (模型参数) ---");
        if (graph.Initializers.Count == 0)
            o.WriteLine("  (无 initializer)");
        foreach (var initializer in graph.Initializers)
        {
            o.WriteLine($"\n名字: {initializer.Name}");
            o.WriteLine($"  - 值: {OnnxInspector.NumpyString(initializer)}");
            o.WriteLine($"  - 形状: [{string.Join(", ", initializer.Dims)}]");
            o.WriteLine($"  - 数据类型: {(int)initializer.DataType}");
        }

        // Cell 10: the nodes.
        o.WriteLine("\n--- ONNX 图的节点 (计算图) ---");
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            o.WriteLine($"\n节点 {i}: {node.OpType}");
            o.WriteLine($"  - 输入: {PyList(node.Inputs)}");
            o.WriteLine($"  - 输出: {PyList(node.Outputs)}");
        }
    }

    // Python's repr of a list of strings: ['input_x', 'my_tensor'].
    private static string PyList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(PyRepr)) + "]";

    private static string PyRepr(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var escaped = s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
        if (quote == '\'') escaped = escaped.Replace("'", "\\'");
        return quote + escaped + quote;
    }
}
