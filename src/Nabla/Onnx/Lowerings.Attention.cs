using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Attention: the causal mask is computed from the query's and key's lengths at run time, so sequence axes stay dynamic.
internal static partial class Lowerings
{
    /// <summary><c>Range(S)[None, :] &gt; Range(L)[:, None]</c>, with L and S read from the shapes of the query and the key.</summary>
    private static void CausalMask(ExportContext cx, TracedOp op)
    {
        string Positions(int input)
        {
            var length = cx.Node("Gather", [cx.Node("Shape", [cx.In(op, input)]), cx.Scalar(op.Inputs[input].Dim - 2, DType.Int64)], Int("axis", 0));
            return cx.Node("Range", [cx.Scalar(0, DType.Int64), length, cx.Scalar(1, DType.Int64)]);
        }
        var rows = cx.Unsqueeze(Positions(0), 1);
        cx.Emit("Greater", [Positions(1), rows], cx.Out(op));
    }
}
