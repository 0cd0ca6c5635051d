using Nabla.Tracing;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Int64 one-hot rows: shape [..., numClasses] with a 1 at each index (<c>F.one_hot(tensor, num_classes=-1)</c>);
    /// -1 infers numClasses as the largest index + 1.
    /// </summary>
    public static Tensor OneHot(Tensor tensor, long numClasses = -1)
    {
        if (tensor.DType != DType.Int64) throw new ArgumentException("one_hot is only applicable to index tensor.");
        var values = tensor.Span<long>();
        if (numClasses == -1)
        {
            if (values.Length == 0) throw new ArgumentException("Can not infer total number of classes from empty tensor.");
            long max = long.MinValue;
            foreach (var v in values) max = Math.Max(max, v);
            numClasses = max + 1;
        }
        foreach (var v in values)
        {
            if (v < 0) throw new ArgumentException("Class values must be non-negative.");
            if (v >= numClasses) throw new ArgumentException("Class values must be smaller than num_classes.");
        }
        var r = Torch.Zeros([.. tensor._shape, numClasses], DType.Int64);
        var index = Tensor.FromArray(values.ToArray(), [.. tensor._shape, 1]);
        r.ScatterRaw(tensor.Dim, index, Torch.Ones([.. tensor._shape, 1], DType.Int64));
        if (Trace.Active) Trace.Record("one_hot", [tensor], r, new Dictionary<string, object> { ["num_classes"] = numClasses });
        return r;
    }
}
