using Google.Protobuf;
using Nabla.Onnx.Proto;
using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Nabla.Onnx;

// RNN, LSTM and GRU layers and cells, traced as one "rnn" op per call, lowered to ONNX's own RNN / LSTM / GRU ops, one node
// per layer. Those ops loop over the sequence themselves, so the graph holds for any sequence length and batch size. ONNX's
// gates come in another order (LSTM i, o, f, c against PyTorch's i, f, g, o; GRU z, r, h against r, z, n): the weight rows are
// gathered into ONNX's order inside the graph, so the initializers keep PyTorch's names and values. GRU uses
// linear_before_reset = 1, which is PyTorch's n = tanh(W_in x + b_in + r (W_hn h + b_hn)). An LSTM with a projection has no
// ONNX op: it becomes a Scan per direction (Lowerings.ProjectedLstm.cs).
internal static partial class Lowerings
{
    private static void Recurrent(ExportContext cx, TracedOp op)
    {
        string mode = cx.Attr<string>(op, "mode");
        long hidden = cx.Attr<long>(op, "hidden_size");
        int layers = (int)cx.Attr<long>(op, "num_layers");
        bool bidirectional = cx.Attr<bool>(op, "bidirectional");
        bool batchFirst = cx.Attr<bool>(op, "batch_first");
        bool bias = cx.Attr<bool>(op, "bias");
        bool cell = cx.Attr<bool>(op, "cell");
        long proj = cx.Attr<long>(op, "proj_size");
        if (cx.Attr<double>(op, "dropout") > 0)
            throw cx.Unsupported(op, "dropout between layers draws random masks in training mode; export the module in eval mode");
        bool lstm = mode == "LSTM";
        int dirs = bidirectional ? 2 : 1;
        int next = 1;
        string? h0 = cx.Attr<bool>(op, "has_h0") ? cx.In(op, next++) : null;
        string? c0 = cx.Attr<bool>(op, "has_c0") ? cx.In(op, next++) : null;
        bool unbatched = op.Inputs[0].Dim == (cell ? 1 : 2);

        // Sequence-first [seq, batch, feature] input, states [layers·dirs, batch, hidden].
        string x = cx.In(op, 0);
        x = cell ? cx.Unsqueeze(x, unbatched ? [0, 1] : [0]) : unbatched ? cx.Unsqueeze(x, 1) : batchFirst ? Transposed(cx, x, [1, 0, 2]) : x;
        string? State(string? s) => s is null ? null : cell ? cx.Unsqueeze(s, unbatched ? [0, 1] : [0]) : unbatched ? cx.Unsqueeze(s, 1) : s;
        h0 = State(h0);
        c0 = State(c0);

        var finalH = new List<string>();
        var finalC = new List<string>();
        string sequence = x;
        for (int l = 0; l < layers; l++)
        {
            var y = cx.Unique("rnn_y");
            var yh = cx.Unique("rnn_y_h");
            var yc = cx.Unique("rnn_y_c");
            if (proj > 0) (y, yh, yc) = ProjectedLstmLayer(cx, op, sequence, LayerSlice(cx, h0, l, dirs, layers), LayerSlice(cx, c0, l, dirs, layers), hidden, proj, l, dirs, bias, next);
            else
            {
                var (w, r, b) = LayerWeights(cx, op, mode, hidden, l, dirs, bias, next);
                string[] inputs = [sequence, w, r, b ?? "", "", LayerSlice(cx, h0, l, dirs, layers) ?? ""];
                if (lstm) inputs = [.. inputs, LayerSlice(cx, c0, l, dirs, layers) ?? ""];
                cx.Emit(mode == "GRU" ? "GRU" : lstm ? "LSTM" : "RNN", inputs, lstm ? [y, yh, yc] : [y, yh],
                    [.. RecurrentAttributes(mode, hidden, bidirectional)]);
            }
            finalH.Add(yh);
            finalC.Add(yc);
            // Y is [seq, dirs, batch, hidden]; the next layer reads [seq, batch, dirs·hidden].
            sequence = cx.Node("Reshape", [Transposed(cx, y, [0, 2, 1, 3]), cx.Int64s(0, 0, -1)]);
        }

        if (cell)
        {
            cx.Emit("Squeeze", [finalH[0], cx.Int64s(unbatched ? [0, 1] : [0])], cx.Out(op, 0));
            if (lstm && cx.IsUsed(op, 1)) cx.Emit("Squeeze", [finalC[0], cx.Int64s(unbatched ? [0, 1] : [0])], cx.Out(op, 1));
            return;
        }
        if (unbatched) cx.Emit("Squeeze", [sequence, cx.Int64s(1)], cx.Out(op, 0));
        else if (batchFirst) cx.Emit("Transpose", [sequence], cx.Out(op, 0), Ints("perm", [1, 0, 2]));
        else cx.Emit("Identity", [sequence], cx.Out(op, 0));
        EmitStates(cx, op, finalH, 1, unbatched);
        if (lstm) EmitStates(cx, op, finalC, 2, unbatched);
    }

    private static void EmitStates(ExportContext cx, TracedOp op, List<string> perLayer, int output, bool unbatched)
    {
        if (!cx.IsUsed(op, output)) return;
        string all = perLayer.Count == 1 ? perLayer[0] : cx.Node("Concat", [.. perLayer], Int("axis", 0));
        if (unbatched) cx.Emit("Squeeze", [all, cx.Int64s(1)], cx.Out(op, output));
        else cx.Emit("Identity", [all], cx.Out(op, output));
    }

    /// <summary>W [dirs, G·H, in], R [dirs, G·H, H] and B [dirs, 2·G·H] of layer <paramref name="layer"/>, rows in ONNX's gate order.</summary>
    private static (string W, string R, string? B) LayerWeights(ExportContext cx, TracedOp op, string mode, long hidden, int layer, int dirs, bool bias, int first)
    {
        int perDirection = bias ? 4 : 2;
        var w = new string[dirs];
        var r = new string[dirs];
        var b = new string[dirs];
        string? rows = mode switch
        {
            "LSTM" => cx.Int64s(GateRows(hidden, [0, 3, 1, 2])),
            "GRU" => cx.Int64s(GateRows(hidden, [1, 0, 2])),
            _ => null,
        };
        string Reordered(string value) => rows is null ? value : cx.Node("Gather", [value, rows], Int("axis", 0));
        for (int d = 0; d < dirs; d++)
        {
            int at = first + (layer * dirs + d) * perDirection;
            w[d] = cx.Unsqueeze(Reordered(cx.In(op, at)), 0);
            r[d] = cx.Unsqueeze(Reordered(cx.In(op, at + 1)), 0);
            if (bias) b[d] = cx.Unsqueeze(cx.Node("Concat", [Reordered(cx.In(op, at + 2)), Reordered(cx.In(op, at + 3))], Int("axis", 0)), 0);
        }
        string Stacked(string[] parts) => parts.Length == 1 ? parts[0] : cx.Node("Concat", parts, Int("axis", 0));
        return (Stacked(w), Stacked(r), bias ? Stacked(b) : null);
    }

    /// <summary>The row indices that put PyTorch's gate blocks of <paramref name="hidden"/> rows in the order <paramref name="gates"/>.</summary>
    private static long[] GateRows(long hidden, int[] gates) => [.. gates.SelectMany(g => Enumerable.Range(0, (int)hidden).Select(i => g * hidden + i))];

    /// <summary>The initial states of one layer: [dirs, batch, hidden] out of [layers·dirs, batch, hidden]; null when zeros.</summary>
    private static string? LayerSlice(ExportContext cx, string? states, int layer, int dirs, int layers)
        => states is null || layers == 1 ? states : cx.Node("Slice", [states, cx.Int64s(layer * dirs), cx.Int64s((layer + 1) * dirs), cx.Int64s(0)]);

    private static IEnumerable<AttributeProto> RecurrentAttributes(string mode, long hidden, bool bidirectional)
    {
        yield return Int("hidden_size", hidden);
        yield return Text("direction", bidirectional ? "bidirectional" : "forward");
        if (mode == "GRU") yield return Int("linear_before_reset", 1);
        if (mode is "RNN_TANH" or "RNN_RELU")
        {
            var activations = new AttributeProto { Name = "activations", Type = AttributeType.Strings };
            var name = ByteString.CopyFromUtf8(mode == "RNN_RELU" ? "Relu" : "Tanh");
            activations.Strings.AddRange(bidirectional ? [name, name] : [name]);
            yield return activations;
        }
    }

    private static string Transposed(ExportContext cx, string value, long[] perm) => cx.Node("Transpose", [value], Ints("perm", perm));
}
