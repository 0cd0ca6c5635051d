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
}
