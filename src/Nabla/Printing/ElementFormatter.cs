using System.Globalization;

namespace Nabla;

/// <summary>
/// PyTorch's <c>torch._tensor_str._Formatter</c>: picks one notation and one width for all elements
/// from the values that will be shown, then renders each element right-aligned to that width.
/// </summary>
internal sealed class ElementFormatter
{
    private const int Precision = 4;

    private readonly Notation notation;

    private enum Notation
    {
        /// <summary>int64/int32: <c>str(value)</c>.</summary>
        Integer,
        /// <summary><c>True</c> / <c>False</c>.</summary>
        Boolean,
        /// <summary><c>'{:.0f}.'</c>: every nonzero finite value is a whole number.</summary>
        IntegerValuedFloat,
        /// <summary><c>'{:.4f}'</c>.</summary>
        Fixed,
        /// <summary><c>'{:.4e}'</c>.</summary>
        Scientific,
    }

    private ElementFormatter(Notation notation, int width)
    {
        this.notation = notation;
        Width = width;
    }

    /// <summary>The width every element is padded to (<c>max_width</c>; at least 1).</summary>
    public int Width { get; }

    /// <summary>Chooses the notation for a floating tensor's shown values, as <c>_Formatter.__init__</c> does.</summary>
    public static ElementFormatter ForFloats(ReadOnlySpan<double> values)
    {
        bool any = false, integerValued = true;
        double min = double.PositiveInfinity, max = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v) || v == 0)
                continue;
            any = true;
            min = Math.Min(min, Math.Abs(v));
            max = Math.Max(max, Math.Abs(v));
            integerValued &= v == Math.Ceiling(v);
        }
        if (!any)
            return new ElementFormatter(Notation.IntegerValuedFloat, 1);

        // PyTorch tests min < 1e-4 only when not integer-valued; a nonzero whole number is >= 1 anyway.
        bool scientific = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
        Notation notation = scientific ? Notation.Scientific : integerValued ? Notation.IntegerValuedFloat : Notation.Fixed;
        var measuring = new ElementFormatter(notation, 1);
        int width = 1;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && v != 0)
                width = Math.Max(width, measuring.Render(v).Length);
        }
        return new ElementFormatter(notation, width);
    }

    /// <summary>An integer or bool tensor: the width of the longest shown value.</summary>
    public static ElementFormatter ForIntegers(ReadOnlySpan<long> values, bool boolean)
    {
        var measuring = new ElementFormatter(boolean ? Notation.Boolean : Notation.Integer, 1);
        int width = 1;
        foreach (long v in values)
            width = Math.Max(width, measuring.Render(v).Length);
        return new ElementFormatter(measuring.notation, width);
    }

    /// <summary>One element, padded on the left to <see cref="Width"/>.</summary>
    public string Format(double value) => Render(value).PadLeft(Width);

    /// <inheritdoc cref="Format(double)"/>
    public string Format(long value) => Render(value).PadLeft(Width);

    private string Render(double value) => notation switch
    {
        Notation.Scientific => PythonFloatFormat.Scientific(value, Precision),
        Notation.Fixed => PythonFloatFormat.Fixed(value, Precision),
        // A trailing '.' marks a whole number as floating; nan and inf get none.
        _ => PythonFloatFormat.Fixed(value, 0) + (double.IsFinite(value) ? "." : ""),
    };

    private string Render(long value) => notation == Notation.Boolean
        ? (value != 0 ? "True" : "False")
        : value.ToString(CultureInfo.InvariantCulture);
}
