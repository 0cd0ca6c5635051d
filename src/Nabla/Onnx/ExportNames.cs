namespace Nabla.Onnx;

/// <summary>Graph input and output names and dynamic axes as the exporter's caller gives them, checked against the traced model.</summary>
internal static class ExportNames
{
    /// <summary>The input names: those given, then <c>input</c> (one input) or <c>input_i</c> for the rest.</summary>
    public static string[] Inputs(string[]? given, int count) => Names(given, count, "inputNames", "input", "the model is traced with", []);

    /// <summary>The output names: those given, then <c>output</c> (one output) or <c>output_i</c> for the rest.</summary>
    public static string[] Outputs(string[]? given, int count, string[] inputNames) => Names(given, count, "outputNames", "output", "the forward pass returns", inputNames);

    private static string[] Names(string[]? given, int count, string what, string prefix, string countText, string[] taken)
    {
        given ??= [];
        if (given.Length > count)
            throw new OnnxExportException(
                $"{what} has {given.Length} names ({Join(given)}), but {countText} {count} {(prefix == "input" ? "input" : "output")}{(count == 1 ? "" : "s")}.");
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = i < given.Length ? given[i] : count == 1 ? prefix : $"{prefix}_{i}";
            if (string.IsNullOrEmpty(names[i])) throw new OnnxExportException($"{what}[{i}] is empty; every graph value needs a name.");
            if (Array.IndexOf(names, names[i], 0, i) >= 0 || taken.Contains(names[i]))
                throw new OnnxExportException($"{what} uses the name '{names[i]}' twice (input and output names must all differ).");
        }
        return names;
    }

    /// <summary>Each input's dynamic axes (axis → symbolic name), checked against its rank; keys that are no input name are left for <see cref="OutputAxes"/>.</summary>
    public static IReadOnlyDictionary<int, string>[] InputAxes(Dictionary<string, Dictionary<int, string>>? dynamicAxes, string[] inputNames, Tensor[] inputs)
    {
        var result = inputs.Select(_ => (IReadOnlyDictionary<int, string>)new Dictionary<int, string>()).ToArray();
        if (dynamicAxes is null) return result;
        foreach (var (key, axes) in dynamicAxes)
        {
            int i = Array.IndexOf(inputNames, key);
            if (i >= 0) result[i] = Checked(key, axes, inputs[i], "input");
        }
        return result;
    }

    /// <summary>Each output's dynamic axes; a key that names neither an input nor an output is an error.</summary>
    public static Dictionary<int, string>[] OutputAxes(Dictionary<string, Dictionary<int, string>>? dynamicAxes, string[] inputNames, string[] outputNames, Tensor[] outputs)
    {
        var result = outputs.Select(_ => new Dictionary<int, string>()).ToArray();
        if (dynamicAxes is null) return result;
        foreach (var (key, axes) in dynamicAxes)
        {
            if (inputNames.Contains(key)) continue;
            int i = Array.IndexOf(outputNames, key);
            if (i < 0)
                throw new OnnxExportException(
                    $"dynamicAxes names '{key}', which is neither an input ({Join(inputNames)}) nor an output ({Join(outputNames)}) of the exported graph.");
            result[i] = Checked(key, axes, outputs[i], "output");
        }
        return result;
    }

    private static Dictionary<int, string> Checked(string key, Dictionary<int, string>? axes, Tensor t, string kind)
    {
        if (axes is null) throw new OnnxExportException($"dynamicAxes['{key}'] is null; give a map from axis to name.");
        foreach (var (axis, name) in axes)
        {
            if (axis < 0 || axis >= t.Dim)
                throw new OnnxExportException(
                    $"dynamicAxes['{key}'] names axis {axis}, but {kind} '{key}' has {t.Dim} dimension{(t.Dim == 1 ? "" : "s")} (shape {Shapes.Format(t._shape)}).");
            if (string.IsNullOrWhiteSpace(name))
                throw new OnnxExportException($"dynamicAxes['{key}'] gives axis {axis} an empty name.");
        }
        return new Dictionary<int, string>(axes);
    }

    /// <summary>
    /// Output dims that changed size in the resized run and were not named by the caller: named after the input axis
    /// they equal in both runs, else <c>{output}_dim_{k}</c>.
    /// </summary>
    public static void AddFollowingAxes(Dictionary<int, string>[] outputAxes, string[] outputNames, Tensor[] outputs, Tensor[] otherOutputs,
        IReadOnlyDictionary<int, string>[] inputAxes, Tensor[] inputs, Tensor[] otherInputs)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            long[] a = outputs[i]._shape, b = otherOutputs[i]._shape;
            if (a.Length != b.Length)
                throw new OnnxExportException($"Output '{outputNames[i]}' has shape {Shapes.Format(a)} at the traced size but {Shapes.Format(b)} when a dynamic axis is one larger.");
            for (int k = 0; k < a.Length; k++)
            {
                if (a[k] == b[k] || outputAxes[i].ContainsKey(k)) continue;
                string? name = null;
                for (int j = 0; j < inputs.Length && name is null; j++)
                    foreach (var (axis, axisName) in inputAxes[j])
                        if (inputs[j]._shape[axis] == a[k] && otherInputs[j]._shape[axis] == b[k]) { name = axisName; break; }
                outputAxes[i][k] = name ?? $"{outputNames[i]}_dim_{k}";
            }
        }
    }

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
