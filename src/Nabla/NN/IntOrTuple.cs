using System.Runtime.CompilerServices;

namespace Nabla.NN;

/// <summary>
/// A size argument given as one int or as a tuple, as PyTorch's <c>kernel_size</c>, <c>stride</c> and friends are:
/// <c>2</c>, <c>(2, 3)</c> or <c>[2, 3]</c>. It remembers which form it was given in, because module reprs print it as given.
/// </summary>
[CollectionBuilder(typeof(IntOrTuple), nameof(Create))]
public readonly struct IntOrTuple : IEquatable<IntOrTuple>
{
    private readonly long[]? _values;

    private IntOrTuple(long[] values, bool isScalar)
    {
        _values = values;
        IsScalar = isScalar;
    }

    /// <summary>True when given as a single int (it then applies to every dimension).</summary>
    public bool IsScalar { get; }

    /// <summary>The values as given: one for a scalar, else the tuple.</summary>
    public IReadOnlyList<long> Values => _values ?? [];

    /// <summary>Builds a tuple from a collection expression (<c>[2, 3]</c>).</summary>
    public static IntOrTuple Create(ReadOnlySpan<long> values) => new(values.ToArray(), false);

    /// <summary>Enumerates <see cref="Values"/>.</summary>
    public IEnumerator<long> GetEnumerator() => Values.GetEnumerator();

    /// <summary>A single int.</summary>
    public static implicit operator IntOrTuple(long value) => new([value], true);

    /// <summary>A single int.</summary>
    public static implicit operator IntOrTuple(int value) => new([value], true);

    /// <summary>A pair.</summary>
    public static implicit operator IntOrTuple((long, long) pair) => new([pair.Item1, pair.Item2], false);

    /// <summary>A tuple from an array.</summary>
    public static implicit operator IntOrTuple(long[] values) => new((long[])values.Clone(), false);

    /// <summary>The value per dimension for an op of <paramref name="n"/> spatial dimensions (PyTorch's <c>_single</c>, <c>_pair</c>).</summary>
    public long[] Expand(int n, string name)
    {
        var v = _values ?? throw new ArgumentException($"{name} must be given");
        if (IsScalar) return Enumerable.Repeat(v[0], n).ToArray();
        if (v.Length == 1 && n > 1) return Enumerable.Repeat(v[0], n).ToArray();
        if (v.Length != n) throw new ArgumentException($"{name} must be an int or a tuple of {n} ints, got {this}");
        return (long[])v.Clone();
    }

    /// <summary>The same values as a tuple of <paramref name="n"/> (what PyTorch stores after <c>_pair(x)</c>).</summary>
    public IntOrTuple AsTuple(int n, string name) => new(Expand(n, name), false);

    /// <summary>Python's repr: <c>2</c>, <c>(2, 3)</c> or <c>(2,)</c>.</summary>
    public override string ToString() => IsScalar ? Values[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : PythonRepr.Tuple(Values);

    /// <inheritdoc/>
    public bool Equals(IntOrTuple other) => IsScalar == other.IsScalar && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IntOrTuple o && Equals(o);

    /// <inheritdoc/>
    public override int GetHashCode() => Values.Aggregate(IsScalar.GetHashCode(), HashCode.Combine);

    /// <summary>Same form and values.</summary>
    public static bool operator ==(IntOrTuple a, IntOrTuple b) => a.Equals(b);

    /// <summary>Different form or values.</summary>
    public static bool operator !=(IntOrTuple a, IntOrTuple b) => !a.Equals(b);
}

/// <summary>
/// A convolution's <c>padding</c>: an int, a tuple, or the strings <c>"same"</c> / <c>"valid"</c> as in <c>nn.Conv2d(..., padding="same")</c>.
/// </summary>
[CollectionBuilder(typeof(ConvPadding), nameof(Create))]
public readonly struct ConvPadding
{
    private ConvPadding(IntOrTuple sizes, string? mode)
    {
        Sizes = sizes;
        Mode = mode;
    }

    /// <summary>The padding per side when given as numbers.</summary>
    public IntOrTuple Sizes { get; }

    /// <summary><c>"same"</c> or <c>"valid"</c> when given as a string, else null.</summary>
    public string? Mode { get; }

    /// <summary>Numeric padding per dimension from a collection expression (<c>[1, 2]</c>).</summary>
    public static ConvPadding Create(ReadOnlySpan<long> sizes) => new(IntOrTuple.Create(sizes), null);

    /// <summary>Enumerates the numeric sizes (empty for "same"/"valid").</summary>
    public IEnumerator<long> GetEnumerator() => Sizes.GetEnumerator();

    /// <summary>Numeric padding.</summary>
    public static implicit operator ConvPadding(IntOrTuple sizes) => new(sizes, null);

    /// <summary>Numeric padding.</summary>
    public static implicit operator ConvPadding(int size) => new(size, null);

    /// <summary>Numeric padding.</summary>
    public static implicit operator ConvPadding(long size) => new(size, null);

    /// <summary>Numeric padding per dimension.</summary>
    public static implicit operator ConvPadding((long, long) pair) => new(pair, null);

    /// <summary>Numeric padding per dimension.</summary>
    public static implicit operator ConvPadding(long[] sizes) => new(sizes, null);

    /// <summary><c>"same"</c> or <c>"valid"</c>.</summary>
    public static implicit operator ConvPadding(string mode)
    {
        if (mode is not ("same" or "valid"))
            throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}");
        return new(default, mode);
    }

    /// <summary>As PyTorch prints it: <c>same</c>, <c>valid</c>, <c>1</c> or <c>(1, 2)</c>.</summary>
    public override string ToString() => Mode ?? Sizes.ToString();
}
