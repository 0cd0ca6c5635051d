using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Pads the last dimensions (<c>F.pad(input, pad, mode='constant', value=0)</c>): <paramref name="pad"/> is
    /// (left, right) for the last dimension, then for the one before, and so on. "constant" fills with
    /// <paramref name="value"/> and accepts negative pads (cropping); "reflect" mirrors without repeating the edge and
    /// "replicate" repeats the edge, both on the last 1-3 dimensions of a 2-D to 5-D input.
    /// </summary>
    public static Tensor Pad(Tensor input, long[] pad, string mode = "constant", double value = 0)
    {
        if (pad.Length % 2 != 0) throw new ArgumentException("Padding length must be divisible by 2");
        if (pad.Length / 2 > input.Dim)
            throw new ArgumentException($"Padding length should be less than or equal to two times the input dimension but got padding length {pad.Length} and input of dimension {input.Dim}");
        Tensor r = mode switch
        {
            "constant" => ConstantPad(input, pad, value),
            "reflect" or "replicate" => IndexPad(input, pad, mode == "reflect"),
            "circular" => throw new NotSupportedException("F.pad: circular padding is not supported"),
            _ => throw new ArgumentException($"Unrecognised padding mode {mode}"),
        };
        if (Trace.Active)
            Trace.Record("pad", [input], r, new Dictionary<string, object> { ["pads"] = (long[])pad.Clone(), ["mode"] = mode, ["value"] = value });
        return r;
    }

    private static Tensor ConstantPad(Tensor input, long[] pad, double value)
    {
        var shape = input.Shape;
        int pairs = pad.Length / 2;
        for (int p = 0; p < pairs; p++)
        {
            int d = input.Dim - 1 - p;
            long size = shape[d] + pad[2 * p] + pad[2 * p + 1];
            if (size < 0)
                throw new ArgumentException(
                    $"The input size {shape[d]}, plus negative padding {pad[2 * p]} and {pad[2 * p + 1]} resulted in a negative output size, which is invalid. Check dimension {d} of your input.");
            shape[d] = size;
        }
        var r = Torch.Full(shape, value, input.DType);
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            Tensor dst = r, src = input.Detach();
            for (int p = 0; p < pairs; p++)
            {
                int d = input.Dim - 1 - p;
                long left = pad[2 * p], right = pad[2 * p + 1], n = input._shape[d];
                long from = Math.Max(0, -left), to = n - Math.Max(0, -right);
                if (to <= from) { src = src.Narrow(d, 0, 0); dst = dst.Narrow(d, 0, 0); continue; }
                src = src.Slice(d, from, to);
                dst = dst.Narrow(d, Math.Max(0, left), to - from);
            }
            dst.CopyRaw(src);
        }
        if (Graph.Needs(input))
        {
            var negated = pad.Select(p => -p).ToArray();
            Graph.Record("ConstantPadNdBackward0", r, [input], g => [ConstantPad(g, negated, 0)]);
        }
        return r;
    }

    private static Tensor IndexPad(Tensor input, long[] pad, bool reflect)
    {
        int pairs = pad.Length / 2;
        string name = reflect ? "Reflection" : "Replication";
        if (pairs > 3 || input.Dim < pairs + 1 || input.Dim > pairs + 2)
            throw new NotSupportedException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        var maps = new Tensor[pairs];
        for (int p = 0; p < pairs; p++)
        {
            int d = input.Dim - 1 - p;
            long left = pad[2 * p], right = pad[2 * p + 1], n = input._shape[d];
            if (left < 0 || right < 0) throw new NotSupportedException($"{name.ToLowerInvariant()} padding with negative pads is not supported");
            if (reflect && (left >= n || right >= n))
                throw new ArgumentException(
                    $"Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({left}, {right}) at dimension {d} of input {Shapes.Format(input._shape)}");
            if (!reflect && n == 0 && left + right > 0) throw new ArgumentException($"input tensor must have non-zero size at dimension {d} for replication padding");
            var map = new long[n + left + right];
            for (long j = 0; j < map.Length; j++)
            {
                long i = j - left;
                map[j] = reflect ? (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i) : Math.Clamp(i, 0, n - 1);
            }
            maps[p] = Tensor.FromArray(map, [map.Length]);
        }
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            r = input.Detach();
            for (int p = 0; p < pairs; p++) r = r.IndexSelect(input.Dim - 1 - p, maps[p]);
        }
        if (Graph.Needs(input))
            Graph.Record($"{name}Pad{pairs}DBackward0", r, [input], g =>
            {
                // Each output position adds its gradient to the input position it copied.
                for (int p = pairs - 1; p >= 0; p--)
                {
                    int d = input.Dim - 1 - p;
                    var shape = g.Shape;
                    shape[d] = input._shape[d];
                    g = Tensor.IndexAddInto(shape, d, maps[p], g);
                }
                return [g];
            });
        return r;
    }
}
