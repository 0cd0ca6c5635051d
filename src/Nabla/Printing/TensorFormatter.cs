using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>
/// Prints tensors exactly as PyTorch 1.13's <c>torch._tensor_str</c> does (<c>str(t)</c>), from values
/// the caller has already gathered in logical row-major order; independent of the Tensor class.
/// </summary>
/// <remarks>
/// A tensor's <c>ToString()</c> is
/// <c>Format(values, shape, dtype, Suffixes(dtype, shape, gradFnName, requiresGrad))</c>;
/// a parameter's is <see cref="FormatParameter(ReadOnlySpan{double}, long[], DType, IReadOnlyList{string})"/>
/// with the same arguments (<c>Parameter containing:</c> then the tensor).
/// </remarks>
internal static class TensorFormatter
{
    private const string ParameterHeader = "Parameter containing:\n";

    /// <summary>
    /// Prints a floating tensor. <paramref name="values"/> are all elements in logical
    /// row-major order (widened to double); <paramref name="shape"/> is empty for a 0-d tensor.
    /// </summary>
    public static string Format(ReadOnlySpan<double> values, long[] shape, DType dtype, IReadOnlyList<string> suffixes, string prefix = "tensor(")
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"Expected a floating dtype, got {TorchName(dtype)}.", nameof(dtype));
        var (indices, summarize) = Shown(values.Length, shape);
        double[] shown = Gather(values, indices);
        var formatter = ElementFormatter.ForFloats(shown);
        return Assemble(Array.ConvertAll(shown, formatter.Format), formatter.Width, shape, summarize, suffixes, prefix);
    }

    /// <summary>Prints an integer or bool tensor (bools as 0/1); otherwise as the double overload.</summary>
    public static string Format(ReadOnlySpan<long> values, long[] shape, DType dtype, IReadOnlyList<string> suffixes, string prefix = "tensor(")
    {
        if (dtype.IsFloatingPoint())
            throw new ArgumentException($"Expected an integer or bool dtype, got {TorchName(dtype)}.", nameof(dtype));
        var (indices, summarize) = Shown(values.Length, shape);
        long[] shown = Gather(values, indices);
        var formatter = ElementFormatter.ForIntegers(shown, dtype == DType.Bool);
        return Assemble(Array.ConvertAll(shown, formatter.Format), formatter.Width, shape, summarize, suffixes, prefix);
    }

    /// <summary><c>str(nn.Parameter(t))</c>: <c>Parameter containing:</c>, a newline, then the tensor.</summary>
    public static string FormatParameter(ReadOnlySpan<double> values, long[] shape, DType dtype, IReadOnlyList<string> suffixes) =>
        ParameterHeader + Format(values, shape, dtype, suffixes);

    /// <inheritdoc cref="FormatParameter(ReadOnlySpan{double}, long[], DType, IReadOnlyList{string})"/>
    public static string FormatParameter(ReadOnlySpan<long> values, long[] shape, DType dtype, IReadOnlyList<string> suffixes) =>
        ParameterHeader + Format(values, shape, dtype, suffixes);

    /// <summary><c>str(t.shape)</c>: <c>torch.Size([2, 3])</c>.</summary>
    public static string FormatSize(long[] shape) => "torch.Size([" + string.Join(", ", shape) + "])";

    /// <summary>
    /// The suffixes <c>_str_intern</c> gives a dense CPU tensor, in its order: for an empty tensor
    /// <c>size=(0, 3)</c> unless 1-d and <c>dtype=</c> unless float32; otherwise <c>dtype=</c> unless
    /// float32, int64 or bool; then <c>grad_fn=&lt;Name&gt;</c>, or else <c>requires_grad=True</c>.
    /// </summary>
    public static List<string> Suffixes(DType dtype, long[] shape, string? gradFnName, bool requiresGrad)
    {
        var suffixes = new List<string>();
        if (TensorLayout.ElementCount(shape) == 0)
        {
            if (shape.Length != 1)
                suffixes.Add("size=" + PythonTuple(shape));
            // An empty tensor has no elements to hint that it is integral, so even int64 is named.
            if (dtype != DType.Float32)
                suffixes.Add("dtype=" + TorchName(dtype));
        }
        else if (dtype is not (DType.Float32 or DType.Int64 or DType.Bool))
        {
            suffixes.Add("dtype=" + TorchName(dtype));
        }

        if (gradFnName is not null)
            suffixes.Add($"grad_fn=<{gradFnName}>");
        else if (requiresGrad)
            suffixes.Add("requires_grad=True");
        return suffixes;
    }

    private static (long[] Indices, bool Summarize) Shown(int valueCount, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = TensorLayout.ElementCount(shape);
        if (count != valueCount)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has {count} elements but {valueCount} values were given.", nameof(shape));
        if (count == 0)
            return ([], false);
        bool summarize = count > TensorLayout.Threshold;
        return (TensorLayout.ShownIndices(shape, summarize), summarize);
    }

    private static T[] Gather<T>(ReadOnlySpan<T> values, long[] indices)
    {
        var shown = new T[indices.Length];
        for (int i = 0; i < indices.Length; i++)
            shown[i] = values[checked((int)indices[i])];
        return shown;
    }

    private static string Assemble(string[] cells, int cellWidth, long[] shape, bool summarize, IReadOnlyList<string> suffixes, string prefix)
    {
        string body = cells.Length == 0 ? "[]" : TensorLayout.Nest(cells, shape, summarize, cellWidth, prefix.Length);
        return AddSuffixes(prefix + body, suffixes, prefix.Length);
    }

    /// <summary><c>_add_suffixes</c>: ", "-joined, each suffix that would pass the line width starting a new line at the indent.</summary>
    private static string AddSuffixes(string text, IReadOnlyList<string> suffixes, int indent)
    {
        var result = new StringBuilder(text);
        // PyTorch's own arithmetic, which overcounts the last line by two; kept so lines break where PyTorch's do.
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > TensorLayout.LineWidth)
            {
                result.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                result.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return result.Append(')').ToString();
    }

    private static string PythonTuple(long[] shape) =>
        shape.Length == 1
            ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
            : "(" + string.Join(", ", shape) + ")";

    private static string TorchName(DType dtype) => dtype.TorchName();
}
