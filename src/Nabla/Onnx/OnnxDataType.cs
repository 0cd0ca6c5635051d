namespace Nabla.Onnx;

/// <summary>
/// Element type of an ONNX tensor, numbered as ONNX's <c>TensorProto.DataType</c>
/// (<c>onnx.TensorProto.FLOAT == 1</c>). A file may carry a number this enum does not name (a newer ONNX type);
/// it reads back as that number.
/// </summary>
public enum OnnxDataType
{
    /// <summary>No type (0): not valid for a tensor.</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float (<c>torch.float32</c>).</summary>
    Float = 1,
    /// <summary>Unsigned 8-bit integer (<c>torch.uint8</c>).</summary>
    Uint8 = 2,
    /// <summary>Signed 8-bit integer (<c>torch.int8</c>).</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer.</summary>
    Uint16 = 4,
    /// <summary>Signed 16-bit integer (<c>torch.int16</c>).</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer (<c>torch.int32</c>).</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer (<c>torch.int64</c>).</summary>
    Int64 = 7,
    /// <summary>UTF-8 string.</summary>
    String = 8,
    /// <summary>Boolean, one byte per element (<c>torch.bool</c>).</summary>
    Bool = 9,
    /// <summary>IEEE 754 half precision (<c>torch.float16</c>).</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Double = 11,
    /// <summary>Unsigned 32-bit integer.</summary>
    Uint32 = 12,
    /// <summary>Unsigned 64-bit integer.</summary>
    Uint64 = 13,
    /// <summary>Complex number of two 32-bit floats (<c>torch.complex64</c>).</summary>
    Complex64 = 14,
    /// <summary>Complex number of two 64-bit floats (<c>torch.complex128</c>).</summary>
    Complex128 = 15,
    /// <summary>Brain float: the top 16 bits of a 32-bit float (<c>torch.bfloat16</c>).</summary>
    BFloat16 = 16,
    /// <summary>8-bit float, 4 exponent and 3 mantissa bits, finite only (<c>torch.float8_e4m3fn</c>).</summary>
    Float8E4M3FN = 17,
    /// <summary>8-bit float, 4 exponent and 3 mantissa bits, finite only, no negative zero.</summary>
    Float8E4M3FNUZ = 18,
    /// <summary>8-bit float, 5 exponent and 2 mantissa bits (<c>torch.float8_e5m2</c>).</summary>
    Float8E5M2 = 19,
    /// <summary>8-bit float, 5 exponent and 2 mantissa bits, no infinities, no negative zero.</summary>
    Float8E5M2FNUZ = 20,
    /// <summary>Unsigned 4-bit integer, two per byte.</summary>
    Uint4 = 21,
    /// <summary>Signed 4-bit integer, two per byte.</summary>
    Int4 = 22,
    /// <summary>4-bit float, 2 exponent and 1 mantissa bit, two per byte.</summary>
    Float4E2M1 = 23,
    /// <summary>8-bit power-of-two scale (microscaling formats).</summary>
    Float8E8M0 = 24,
}

/// <summary>Names and storage sizes of <see cref="OnnxDataType"/> values.</summary>
internal static class OnnxDataTypes
{
    /// <summary>ONNX's own spelling (<c>float</c>, <c>int64</c>, <c>bfloat16</c>), or the number for an unknown type.</summary>
    public static string Name(OnnxDataType type) => type switch
    {
        OnnxDataType.Undefined => "undefined",
        OnnxDataType.Float => "float",
        OnnxDataType.Uint8 => "uint8",
        OnnxDataType.Int8 => "int8",
        OnnxDataType.Uint16 => "uint16",
        OnnxDataType.Int16 => "int16",
        OnnxDataType.Int32 => "int32",
        OnnxDataType.Int64 => "int64",
        OnnxDataType.String => "string",
        OnnxDataType.Bool => "bool",
        OnnxDataType.Float16 => "float16",
        OnnxDataType.Double => "double",
        OnnxDataType.Uint32 => "uint32",
        OnnxDataType.Uint64 => "uint64",
        OnnxDataType.Complex64 => "complex64",
        OnnxDataType.Complex128 => "complex128",
        OnnxDataType.BFloat16 => "bfloat16",
        OnnxDataType.Float8E4M3FN => "float8e4m3fn",
        OnnxDataType.Float8E4M3FNUZ => "float8e4m3fnuz",
        OnnxDataType.Float8E5M2 => "float8e5m2",
        OnnxDataType.Float8E5M2FNUZ => "float8e5m2fnuz",
        OnnxDataType.Uint4 => "uint4",
        OnnxDataType.Int4 => "int4",
        OnnxDataType.Float4E2M1 => "float4e2m1",
        OnnxDataType.Float8E8M0 => "float8e8m0",
        _ => $"data_type {(int)type}",
    };

    /// <summary>Bits one element takes in raw_data: 4 for the packed 4-bit types, 0 for string and unknown types.</summary>
    public static int BitsPerElement(OnnxDataType type) => type switch
    {
        OnnxDataType.Uint4 or OnnxDataType.Int4 or OnnxDataType.Float4E2M1 => 4,
        OnnxDataType.Uint8 or OnnxDataType.Int8 or OnnxDataType.Bool or OnnxDataType.Float8E4M3FN
            or OnnxDataType.Float8E4M3FNUZ or OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ
            or OnnxDataType.Float8E8M0 => 8,
        OnnxDataType.Uint16 or OnnxDataType.Int16 or OnnxDataType.Float16 or OnnxDataType.BFloat16 => 16,
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.Uint32 => 32,
        OnnxDataType.Int64 or OnnxDataType.Double or OnnxDataType.Uint64 or OnnxDataType.Complex64 => 64,
        OnnxDataType.Complex128 => 128,
        _ => 0,
    };
}
