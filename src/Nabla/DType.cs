namespace Nabla;

/// <summary>Element type of a tensor. A member's lower-cased name is PyTorch's dtype name (<c>torch.float32</c>).</summary>
public enum DType
{
    /// <summary>32-bit IEEE float, the default (<c>torch.float32</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Float64,
    /// <summary>64-bit signed integer (<c>torch.int64</c>), the default for integer data.</summary>
    Int64,
    /// <summary>32-bit signed integer (<c>torch.int32</c>).</summary>
    Int32,
    /// <summary>Boolean (<c>torch.bool</c>).</summary>
    Bool,
    /// <summary>16-bit IEEE half float (<c>torch.float16</c>, <c>torch.half</c>), stored as <see cref="System.Half"/>; arithmetic computes in float32 and rounds.</summary>
    Float16,
    /// <summary>16-bit brain float (<c>torch.bfloat16</c>), stored as <see cref="Nabla.BFloat16"/>; arithmetic computes in float32 and rounds.</summary>
    BFloat16,
    /// <summary>8-bit unsigned integer (<c>torch.uint8</c>); arithmetic wraps.</summary>
    UInt8,
    /// <summary>8-bit signed integer (<c>torch.int8</c>); arithmetic wraps.</summary>
    Int8,
    /// <summary>16-bit signed integer (<c>torch.int16</c>); arithmetic wraps.</summary>
    Int16,
}
