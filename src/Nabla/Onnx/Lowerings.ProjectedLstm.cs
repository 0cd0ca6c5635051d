using Nabla.Onnx.Proto;
using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Nabla.Onnx;

// An LSTM layer with an output projection (proj_size > 0), which ONNX's LSTM op lacks: one Scan per direction over the
// sequence (reversed for the second direction), whose body is PyTorch's step written out: gates = x W_ihᵀ + b_ih + h W_hhᵀ +
// b_hh split in i, f, g, o; c' = σ(f) c + σ(i) tanh(g); h' = (σ(o) tanh(c')) W_hrᵀ. The body reads the weights from the
// enclosing graph. Outputs come in ONNX LSTM's layout (Y [seq, dirs, batch, proj], Y_h, Y_c) so the layers stack alike.
internal static partial class Lowerings
{
    private static (string Y, string Yh, string Yc) ProjectedLstmLayer(ExportContext cx, TracedOp op, string x, string? h0, string? c0,
        long hidden, long proj, int layer, int dirs, bool bias, int first)
    {
        var dtype = op.Outputs[0].DType;
        int perDirection = bias ? 5 : 3;
        var ys = new string[dirs];
        var hs = new string[dirs];
        var cs = new string[dirs];
        for (int d = 0; d < dirs; d++)
        {
            int at = first + (layer * dirs + d) * perDirection;
            string wih = Transposed(cx, cx.In(op, at), [1, 0]);
            string whh = Transposed(cx, cx.In(op, at + 1), [1, 0]);
            string? bih = bias ? cx.In(op, at + 2) : null;
            string? bhh = bias ? cx.In(op, at + 3) : null;
            string whr = Transposed(cx, cx.In(op, at + (bias ? 4 : 2)), [1, 0]);
            string hInit = h0 is null ? Zeros(cx, x, proj, dtype) : cx.Node("Gather", [h0, cx.Scalar(d, DType.Int64)], Int("axis", 0));
            string cInit = c0 is null ? Zeros(cx, x, hidden, dtype) : cx.Node("Gather", [c0, cx.Scalar(d, DType.Int64)], Int("axis", 0));
            var body = StepBody(cx, dtype, hidden, wih, whh, bih, bhh, whr);
            string hLast = cx.Unique("lstm_h"), cLast = cx.Unique("lstm_c"), y = cx.Unique("lstm_y");
            cx.Emit("Scan", [hInit, cInit, x], [hLast, cLast, y],
                new AttributeProto { Name = "body", Type = AttributeType.Graph, G = body },
                Int("num_scan_inputs", 1), Ints("scan_input_directions", [d]), Ints("scan_output_directions", [d]));
            ys[d] = cx.Unsqueeze(y, 1);
            hs[d] = cx.Unsqueeze(hLast, 0);
            cs[d] = cx.Unsqueeze(cLast, 0);
        }
        string Stacked(string[] parts, int axis) => parts.Length == 1 ? parts[0] : cx.Node("Concat", parts, Int("axis", axis));
        return (Stacked(ys, 1), Stacked(hs, 0), Stacked(cs, 0));
    }

    /// <summary>The Scan body: (h, c, x_t) → (h', c', h').</summary>
    private static GraphProto StepBody(ExportContext cx, DType dtype, long hidden, string wih, string whh, string? bih, string? bhh, string whr)
    {
        var graph = new GraphProto { Name = cx.Unique("lstm_step") };
        string h = cx.Unique("h"), c = cx.Unique("c"), xt = cx.Unique("x_t");
        graph.Input.AddRange([Typed(h, dtype), Typed(c, dtype), Typed(xt, dtype)]);
        string Node(string opType, string[] inputs, params AttributeProto[] attributes)
        {
            string output = cx.Unique("lstm_" + opType.ToLowerInvariant());
            graph.Node.Add(NodeOf(cx, opType, inputs, [output], attributes));
            return output;
        }
        string inputGates = Node("MatMul", [xt, wih]);
        if (bih is not null) inputGates = Node("Add", [inputGates, bih]);
        string hiddenGates = Node("MatMul", [h, whh]);
        if (bhh is not null) hiddenGates = Node("Add", [hiddenGates, bhh]);
        string gates = Node("Add", [hiddenGates, inputGates]);
        var parts = Enumerable.Range(0, 4).Select(_ => cx.Unique("lstm_gate")).ToArray();
        graph.Node.Add(NodeOf(cx, "Split", [gates, cx.Int64s(hidden, hidden, hidden, hidden)], parts, Int("axis", 1)));
        string i = Node("Sigmoid", [parts[0]]), f = Node("Sigmoid", [parts[1]]), g = Node("Tanh", [parts[2]]), o = Node("Sigmoid", [parts[3]]);
        string cNext = Node("Add", [Node("Mul", [f, c]), Node("Mul", [i, g])]);
        string hNext = Node("MatMul", [Node("Mul", [o, Node("Tanh", [cNext])]), whr]);
        string y = Node("Identity", [hNext]);
        graph.Output.AddRange([Typed(hNext, dtype), Typed(cNext, dtype), Typed(y, dtype)]);
        return graph;
    }

    private static NodeProto NodeOf(ExportContext cx, string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = cx.Unique($"node_{opType}") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static ValueInfoProto Typed(string name, DType dtype)
        => new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)dtype.ToOnnx() } } };

    /// <summary>Zeros [batch, <paramref name="size"/>] with the batch of the sequence-first input <paramref name="x"/>.</summary>
    private static string Zeros(ExportContext cx, string x, long size, DType dtype)
    {
        string batch = cx.Node("Slice", [cx.Node("Shape", [x]), cx.Int64s(1), cx.Int64s(2)]);
        string shape = cx.Node("Concat", [batch, cx.Int64s(size)], Int("axis", 0));
        var zero = OnnxTensorProtos.FromTensor(Torch.Zeros([1], dtype), "");
        return cx.Node("ConstantOfShape", [shape], TensorAttribute("value", zero));
    }
}
