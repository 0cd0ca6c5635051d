using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf.Collections;
using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// Checks a <see cref="TensorProto"/>'s dims against the data it holds, and decodes that data into a flat .NET array.
/// Every count is checked against the bytes already in memory before anything is allocated, so a file that claims
/// 10^12 elements over 16 bytes costs nothing but an <see cref="OnnxFormatException"/>.
/// </summary>
internal static class OnnxTensorData
{
    /// <summary>The places a TensorProto may keep its elements.</summary>
    private enum Field { RawData, FloatData, Int32Data, StringData, Int64Data, DoubleData, Uint64Data }

    /// <summary>
    /// The element count that <paramref name="t"/>'s dims give, after checking that the dims are non-negative and do
    /// not overflow, that the data type is a tensor element type, and (for data held in the file) that exactly one
    /// data field holds exactly that many elements. Allocates nothing.
    /// </summary>
    public static long CheckedElementCount(TensorProto t, TensorDescription what)
    {
        long count = ElementCount(t.Dims, what);
        var type = (OnnxDataType)t.DataType;
        int bits = OnnxDataTypes.BitsPerElement(type);
        if (bits == 0 && type != OnnxDataType.String)
            throw new OnnxFormatException(
                $"{what} has data_type {t.DataType}{(Enum.IsDefined(type) ? $" ({OnnxDataTypes.Name(type)})" : "")}, which is not a tensor element type.");
        if (UnsupportedStorage(t, what) is not null)
            return count; // dims are sound; the data itself is refused by Decode
        var present = PresentFields(t);
        if (present.Count > 1)
            throw new OnnxFormatException($"{what} stores data in both {FieldName(present.First)} and {FieldName(present.Second)}; ONNX allows one.");
        if (present.Count == 0)
        {
            if (count != 0)
                throw new OnnxFormatException($"{what}: dims {OnnxText.Dims(t.Dims)} give {count} {OnnxDataTypes.Name(type)} elements, but the tensor holds no data.");
            return count;
        }

        var field = present.First;
        if (field == Field.RawData)
        {
            if (type == OnnxDataType.String)
                throw new OnnxFormatException($"{what} is a string tensor with raw_data; ONNX keeps strings in string_data.");
            Int128 expected = bits == 4 ? ((Int128)count + 1) / 2 : (Int128)count * (bits / 8);
            if (t.RawData.Length != expected)
                throw new OnnxFormatException(
                    $"{what}: dims {OnnxText.Dims(t.Dims)} give {count} {OnnxDataTypes.Name(type)} elements = {expected} bytes, " +
                    $"but raw_data holds {t.RawData.Length} bytes.");
            return WithinArrayLimit(count, t, what);
        }

        var expectedField = TypedField(type);
        if (field != expectedField)
            throw new OnnxFormatException(
                $"{what} is {OnnxDataTypes.Name(type)} but stores its data in {FieldName(field)}; ONNX keeps {OnnxDataTypes.Name(type)} data in " +
                $"{FieldName(expectedField)} or raw_data.");
        Int128 expectedValues = type switch
        {
            OnnxDataType.Complex64 or OnnxDataType.Complex128 => (Int128)count * 2,
            _ when bits == 4 => ((Int128)count + 1) / 2,
            _ => count,
        };
        int actual = TypedCount(t, field);
        if (actual != expectedValues)
            throw new OnnxFormatException(
                $"{what}: dims {OnnxText.Dims(t.Dims)} give {count} {OnnxDataTypes.Name(type)} elements, which take {expectedValues} values " +
                $"in {FieldName(field)}, but it holds {actual}.");
        return WithinArrayLimit(count, t, what);
    }

    /// <summary>The count, once it is known to fit one .NET array (packed 4-bit data can hold more elements than that).</summary>
    private static long WithinArrayLimit(long count, TensorProto t, TensorDescription what) => count <= Array.MaxLength
        ? count
        : throw new OnnxFormatException($"{what}: dims {OnnxText.Dims(t.Dims)} give {count} elements, more than one .NET array holds ({Array.MaxLength}).");

    /// <summary>Why the tensor's data cannot be read here (external file, segment), or null when it is in the file.</summary>
    public static string? UnsupportedStorage(TensorProto t, TensorDescription what)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
        {
            string location = t.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "(no location given)";
            return $"{what} keeps its data in an external file ({OnnxText.Quote(location)}); external data is not supported. " +
                   "Save the model with its data inside the .onnx file (onnx.save_model(model, path, save_as_external_data=False)).";
        }
        if (t.Segment is not null)
            return $"{what} is one segment of a larger tensor; segmented tensors are not supported.";
        return null;
    }

    /// <summary>
    /// The elements as a flat array in row-major order: float[], double[], Half[] (float16), float[] (bfloat16, widened
    /// exactly), sbyte[], byte[], short[], ushort[], int[], uint[], long[], ulong[], bool[], string[], Complex[]
    /// (complex64 and complex128); float8 types as byte[] bit patterns; 4-bit types unpacked one element per
    /// byte (int4 as sbyte[]).
    /// </summary>
    public static Array Decode(TensorProto t, TensorDescription what)
    {
        if (UnsupportedStorage(t, what) is { } refusal)
            throw new OnnxFormatException(refusal);
        int n = (int)CheckedElementCount(t, what);
        var raw = t.HasRawData ? t.RawData.Span : default;
        bool isRaw = t.HasRawData;
        var type = (OnnxDataType)t.DataType;
        return type switch
        {
            OnnxDataType.Float => isRaw ? FromRaw<float>(raw, n) : t.FloatData.ToArray(),
            OnnxDataType.Double => isRaw ? FromRaw<double>(raw, n) : t.DoubleData.ToArray(),
            OnnxDataType.Int64 => isRaw ? FromRaw<long>(raw, n) : t.Int64Data.ToArray(),
            OnnxDataType.Int32 => isRaw ? FromRaw<int>(raw, n) : t.Int32Data.ToArray(),
            OnnxDataType.Int16 => isRaw ? FromRaw<short>(raw, n) : Narrow(t.Int32Data, v => (short)v),
            OnnxDataType.Uint16 => isRaw ? FromRaw<ushort>(raw, n) : Narrow(t.Int32Data, v => (ushort)v),
            OnnxDataType.Int8 => isRaw ? FromRaw<sbyte>(raw, n) : Narrow(t.Int32Data, v => (sbyte)v),
            OnnxDataType.Uint8 => isRaw ? raw.ToArray() : Narrow(t.Int32Data, v => (byte)v),
            OnnxDataType.Bool => isRaw ? Bools(raw) : Narrow(t.Int32Data, v => v != 0),
            OnnxDataType.Float16 => isRaw ? FromRaw<Half>(raw, n) : Narrow(t.Int32Data, v => BitConverter.UInt16BitsToHalf((ushort)v)),
            OnnxDataType.BFloat16 => isRaw ? BFloat16s(FromRaw<ushort>(raw, n)) : Narrow(t.Int32Data, v => BFloat16(unchecked((ushort)v))),
            OnnxDataType.Uint32 => isRaw ? FromRaw<uint>(raw, n) : Narrow(t.Uint64Data, v => (uint)v),
            OnnxDataType.Uint64 => isRaw ? FromRaw<ulong>(raw, n) : t.Uint64Data.ToArray(),
            OnnxDataType.Complex64 => Complexes(isRaw ? FromRaw<float>(raw, 2 * n) : t.FloatData.ToArray()),
            OnnxDataType.Complex128 => Complexes(isRaw ? FromRaw<double>(raw, 2 * n) : t.DoubleData.ToArray()),
            OnnxDataType.String => t.StringData.Select(s => s.ToStringUtf8()).ToArray(),
            OnnxDataType.Float8E4M3FN or OnnxDataType.Float8E4M3FNUZ or OnnxDataType.Float8E5M2
                or OnnxDataType.Float8E5M2FNUZ or OnnxDataType.Float8E8M0 =>
                isRaw ? raw.ToArray() : Narrow(t.Int32Data, v => (byte)v),
            OnnxDataType.Int4 => Nibbles(isRaw ? raw.ToArray() : Narrow(t.Int32Data, v => (byte)v), n, v => (sbyte)((sbyte)(v << 4) >> 4)),
            OnnxDataType.Uint4 or OnnxDataType.Float4E2M1 => Nibbles(isRaw ? raw.ToArray() : Narrow(t.Int32Data, v => (byte)v), n, v => v),
            _ => throw new OnnxFormatException($"{what} has data_type {t.DataType}, which is not a tensor element type."),
        };
    }

    /// <summary>Product of the dims, refusing negative dims and products past 2^63.</summary>
    /// <remarks>Indexed loops: a foreach over a RepeatedField allocates an enumerator, once per tensor of a file.</remarks>
    private static long ElementCount(RepeatedField<long> dims, TensorDescription what)
    {
        bool empty = false;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0)
                throw new OnnxFormatException($"{what} has a negative dimension in dims {OnnxText.Dims(dims)}.");
            empty |= dims[i] == 0;
        }
        if (empty)
            return 0;
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (count > long.MaxValue / dims[i])
                throw new OnnxFormatException($"{what}: dims {OnnxText.Dims(dims)} multiply to more than 2^63 elements.");
            count *= dims[i];
        }
        return count;
    }

    /// <summary>How many data fields hold values, and the first two of them; allocates nothing.</summary>
    private static (int Count, Field First, Field Second) PresentFields(TensorProto t)
    {
        int count = 0;
        Field first = default, second = default;
        void Add(bool present, Field field)
        {
            if (!present) return;
            if (count == 0) first = field;
            else if (count == 1) second = field;
            count++;
        }
        Add(t.HasRawData, Field.RawData);
        Add(t.FloatData.Count > 0, Field.FloatData);
        Add(t.Int32Data.Count > 0, Field.Int32Data);
        Add(t.StringData.Count > 0, Field.StringData);
        Add(t.Int64Data.Count > 0, Field.Int64Data);
        Add(t.DoubleData.Count > 0, Field.DoubleData);
        Add(t.Uint64Data.Count > 0, Field.Uint64Data);
        return (count, first, second);
    }

    /// <summary>The typed repeated field ONNX assigns to an element type.</summary>
    private static Field TypedField(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Complex64 => Field.FloatData,
        OnnxDataType.Double or OnnxDataType.Complex128 => Field.DoubleData,
        OnnxDataType.Int64 => Field.Int64Data,
        OnnxDataType.Uint32 or OnnxDataType.Uint64 => Field.Uint64Data,
        OnnxDataType.String => Field.StringData,
        _ => Field.Int32Data, // every other type is 16 bits or narrower, or int32 itself
    };

    private static int TypedCount(TensorProto t, Field field) => field switch
    {
        Field.FloatData => t.FloatData.Count,
        Field.Int32Data => t.Int32Data.Count,
        Field.StringData => t.StringData.Count,
        Field.Int64Data => t.Int64Data.Count,
        Field.DoubleData => t.DoubleData.Count,
        Field.Uint64Data => t.Uint64Data.Count,
        _ => t.RawData.Length,
    };

    private static string FieldName(Field field) => field switch
    {
        Field.RawData => "raw_data",
        Field.FloatData => "float_data",
        Field.Int32Data => "int32_data",
        Field.StringData => "string_data",
        Field.Int64Data => "int64_data",
        Field.DoubleData => "double_data",
        _ => "uint64_data",
    };

    /// <summary>Fixed-width little-endian elements copied out of raw_data; the caller has checked the length.</summary>
    private static T[] FromRaw<T>(ReadOnlySpan<byte> raw, int count) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(count);
        var bytes = MemoryMarshal.AsBytes(result.AsSpan());
        raw[..bytes.Length].CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            int size = bytes.Length / Math.Max(count, 1);
            for (int i = 0; i + size <= bytes.Length; i += size)
                bytes.Slice(i, size).Reverse();
        }
        return result;
    }

    private static TOut[] Narrow<TIn, TOut>(RepeatedField<TIn> values, Func<TIn, TOut> convert)
    {
        var result = new TOut[values.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = convert(values[i]);
        return result;
    }

    private static bool[] Bools(ReadOnlySpan<byte> raw)
    {
        var result = new bool[raw.Length];
        for (int i = 0; i < raw.Length; i++)
            result[i] = raw[i] != 0;
        return result;
    }

    /// <summary>bfloat16 is the top half of a float32, so widening is exact.</summary>
    private static float BFloat16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static float[] BFloat16s(ushort[] bits) => Array.ConvertAll(bits, BFloat16);

    private static Complex[] Complexes(float[] pairs)
    {
        var result = new Complex[pairs.Length / 2];
        for (int i = 0; i < result.Length; i++)
            result[i] = new Complex(pairs[2 * i], pairs[2 * i + 1]);
        return result;
    }

    private static Complex[] Complexes(double[] pairs)
    {
        var result = new Complex[pairs.Length / 2];
        for (int i = 0; i < result.Length; i++)
            result[i] = new Complex(pairs[2 * i], pairs[2 * i + 1]);
        return result;
    }

    /// <summary>Two 4-bit elements per byte, the first in the low nibble.</summary>
    private static T[] Nibbles<T>(byte[] packed, int count, Func<byte, T> convert)
    {
        var result = new T[count];
        for (int i = 0; i < count; i++)
            result[i] = convert((byte)((packed[i / 2] >> (4 * (i % 2))) & 0xF));
        return result;
    }
}
