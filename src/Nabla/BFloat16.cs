using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// The storage element of <see cref="DType.BFloat16"/> tensors (<c>torch.bfloat16</c>): the upper 16 bits of a float32.
/// Conversion from float rounds to nearest even, NaN stays NaN, as <c>c10::BFloat16</c> does.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    /// <summary>The raw bits: sign, 8 exponent bits, 7 mantissa bits.</summary>
    public ushort Bits { get; }

    private BFloat16(ushort bits) => Bits = bits;

    /// <summary>The value with the given raw bits.</summary>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>Rounds a float to the nearest bfloat16, ties to even (<c>c10::BFloat16(float)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator BFloat16(float value)
    {
        if (float.IsNaN(value)) return new(0x7FC0);
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return new((ushort)((bits + rounding) >> 16));
    }

    /// <summary>The exact float value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.Bits << 16);

    /// <inheritdoc/>
    public bool Equals(BFloat16 other) => (float)this == (float)other;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BFloat16 b && Equals(b);

    /// <inheritdoc/>
    public override int GetHashCode() => ((float)this).GetHashCode();

    /// <summary>Value equality as floats (NaN is unequal to itself).</summary>
    public static bool operator ==(BFloat16 a, BFloat16 b) => a.Equals(b);

    /// <summary>Value inequality as floats.</summary>
    public static bool operator !=(BFloat16 a, BFloat16 b) => !a.Equals(b);

    /// <summary>The value as a float, in invariant culture.</summary>
    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
