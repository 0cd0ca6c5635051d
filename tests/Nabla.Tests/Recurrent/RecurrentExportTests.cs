using Nabla.NN;
using Nabla.Onnx;
using Nabla.Tests.Onnx;
using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>
/// Recurrent layers and cells exported with dynamic batch and sequence axes at opsets 14 and 18: ONNX Runtime must give Nabla's
/// outputs and final states at other batch sizes and sequence lengths than the traced ones. An LSTM with a projection exports as
/// a Scan per direction, the others as ONNX's RNN, LSTM and GRU ops.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class RecurrentExportTests
{
    private sealed record Case(Func<Module> Model, long[] Input, bool BatchFirst, bool States, bool Cell = false);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["lstm_2layer_bidir"] = new(() => new LSTM(4, 5, numLayers: 2, bidirectional: true), [6, 3, 4], false, false),
        ["lstm_batch_first_states"] = new(() => new LSTM(4, 5, numLayers: 2, batchFirst: true), [3, 6, 4], true, true),
        ["lstm_unbatched_bidir_states"] = new(() => new LSTM(4, 5, bidirectional: true), [6, 4], false, true),
        ["lstm_proj_2layer_bidir_states"] = new(() => new LSTM(4, 6, numLayers: 2, bidirectional: true, projSize: 3), [6, 3, 4], false, true),
        ["lstm_proj_batch_first_no_bias"] = new(() => new LSTM(4, 6, bias: false, batchFirst: true, projSize: 2), [3, 6, 4], true, false),
        ["lstm_no_bias"] = new(() => new LSTM(4, 5, bias: false), [6, 3, 4], false, false),
        ["gru_2layer_bidir_states"] = new(() => new GRU(4, 5, numLayers: 2, bidirectional: true), [6, 3, 4], false, true),
        ["gru_batch_first_no_bias"] = new(() => new GRU(4, 5, bias: false, batchFirst: true), [3, 6, 4], true, false),
        ["rnn_tanh_2layer_states"] = new(() => new RNN(4, 5, numLayers: 2), [6, 3, 4], false, true),
        ["rnn_relu_bidir_batch_first"] = new(() => new RNN(4, 5, nonlinearity: "relu", bidirectional: true, batchFirst: true), [3, 6, 4], true, false),
        ["lstm_cell_states"] = new(() => new LSTMCell(4, 5), [3, 4], false, true, Cell: true),
        ["gru_cell"] = new(() => new GRUCell(4, 5), [3, 4], false, false, Cell: true),
        ["rnn_cell_unbatched_states"] = new(() => new RNNCell(4, 5, nonlinearity: "relu"), [4], false, true, Cell: true),
    };

    public static TheoryData<string, int> CaseNames()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Cases.Keys)
            foreach (var opset in new[] { 14, 18 }) data.Add(name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxRuntimeGivesNablasOutputsAtOtherBatchSizesAndLengths(string name, int opset)
    {
        var c = Cases[name];
        Torch.ManualSeed(3);
        var model = c.Model();
        model.Eval();
        var inputs = Inputs(model, c, c.Input);
        var names = Enumerable.Range(0, inputs.Length).Select(i => i == 0 ? "input" : $"state{i}").ToArray();
        var axes = names.ToDictionary(n => n, n => Axes(c, n == "input", inputs[Array.IndexOf(names, n)].Dim));
        var bytes = RecurrentExport.Bytes(model, xs => Run(model, xs), inputs, opset, names, axes);
        var graph = OnnxModel.Load(bytes).Graph;
        Assert.Contains(graph.Nodes, n => n.OpType is "LSTM" or "GRU" or "RNN" or "Scan");
        Assert.Equal(axes["input"].Values.Order(), graph.Inputs[0].Shape!.Where(d => d.Param is not null).Select(d => d.Param!).Order());

        foreach (var (batch, length) in new[] { (1L, 1L), (2L, 9L), (5L, 3L) })
        {
            var shape = Resize(c, c.Input, batch, length);
            var resized = Inputs(model, c, shape);
            Tensor[] expected;
            using (Torch.NoGrad()) expected = Run(model, resized);
            var actual = OrtRunner.Run(bytes, resized);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                TensorAssert.Close(expected[i], actual[i], 1e-5, 1e-5, $"{name} opset {opset} batch {batch} length {length}: output {i}");
        }
    }

    [Fact]
    public void ExportThroughCallKeepsTheOutputSequenceOnly()
    {
        Torch.ManualSeed(4);
        var gru = new GRU(3, 4, numLayers: 2, batchFirst: true);
        var x = Torch.Randn(2, 5, 3);
        using var stream = new MemoryStream();
        OnnxExporter.Export(gru, x, stream, inputNames: ["x"], opsetVersion: 18,
            dynamicAxes: new() { ["x"] = new() { [0] = "batch", [1] = "seq" } });
        var bytes = stream.ToArray();
        Assert.Single(OnnxModel.Load(bytes).Graph.Outputs);
        // The final states nobody reads are not assembled.
        Assert.DoesNotContain(OnnxModel.Load(bytes).Graph.Nodes, n => n.Inputs.Any(i => i.StartsWith("rnn_y_h", StringComparison.Ordinal)));
        var longer = Torch.Randn(3, 8, 3);
        Tensor expected;
        using (Torch.NoGrad()) expected = gru.Call(longer);
        TensorAssert.Close(expected, OrtRunner.Run(bytes, longer)[0], 1e-5, 1e-5);
    }

    private static Tensor[] Run(Module model, Tensor[] xs) => RecurrentParityTests.Invoke(model, xs[0], xs[1..]);

    // The input's batch and sequence axes; the states' batch axis (absent when unbatched).
    private static Dictionary<int, string> Axes(Case c, bool input, int rank)
    {
        if (c.Cell) return rank == 2 ? new() { [0] = "batch" } : [];
        if (input) return rank == 2 ? new() { [0] = "seq" } : c.BatchFirst ? new() { [0] = "batch", [1] = "seq" } : new() { [0] = "seq", [1] = "batch" };
        return rank == 3 ? new() { [1] = "batch" } : [];
    }

    private static long[] Resize(Case c, long[] shape, long batch, long length)
    {
        if (c.Cell) return shape.Length == 2 ? [batch, shape[1]] : shape;
        if (shape.Length == 2) return [length, shape[1]];
        return c.BatchFirst ? [batch, length, shape[2]] : [length, batch, shape[2]];
    }

    private static Tensor[] Inputs(Module model, Case c, long[] shape)
    {
        var x = Torch.Randn(shape);
        if (!c.States) return [x];
        bool unbatched = shape.Length == (c.Cell ? 1 : 2);
        long batch = c.Cell ? shape[0] : c.BatchFirst ? shape[0] : shape[1];
        long[] lead = model switch
        {
            RNNBase m => unbatched ? [m.NumLayers * (m.Bidirectional ? 2 : 1)] : [m.NumLayers * (m.Bidirectional ? 2 : 1), batch],
            _ => unbatched ? [] : [batch],
        };
        long hidden = model is RNNBase r ? r.HiddenSize : ((RNNCellBase)model).HiddenSize;
        long real = model is RNNBase { ProjSize: > 0 } p ? p.ProjSize : hidden;
        bool lstm = model is LSTM or LSTMCell;
        return lstm ? [x, Torch.Randn([.. lead, real]), Torch.Randn([.. lead, hidden])] : [x, Torch.Randn([.. lead, hidden])];
    }
}

/// <summary>Exports to bytes through <see cref="OnnxExporter"/>.</summary>
internal static class RecurrentExport
{
    public static byte[] Bytes(Module model, Func<Tensor[], Tensor[]> forward, Tensor[] inputs, int opset, string[] names, Dictionary<string, Dictionary<int, string>>? axes)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, forward, inputs, stream, inputNames: names, opsetVersion: opset, dynamicAxes: axes);
        return stream.ToArray();
    }
}
