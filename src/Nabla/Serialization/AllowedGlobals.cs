namespace Nabla.Serialization;

/// <summary>What an allowed pickle global stands for once resolved.</summary>
internal enum GlobalKind
{
    OrderedDict,
    Parameter,
    GetLayout,
    Size,
    TensorClass,
    DTypeValue,
    Storage,
    RebuildTensor,
    RebuildTensorV2,
    RebuildParameter,
    Unsupported,
}

/// <summary>A resolved global on the unpickler's stack.</summary>
internal sealed record PickleGlobal(string FullName, GlobalKind Kind, DType DType = DType.Float32);

/// <summary>
/// Exactly the globals <c>torch.load(weights_only=True)</c> allows in PyTorch 1.13 (<c>_get_allowed_globals</c>): OrderedDict,
/// Parameter, <c>_get_layout</c>, <c>torch.Size</c>, <c>torch.Tensor</c>, the dtypes, tensor and storage classes and the
/// <c>_rebuild_*</c> functions. Allowed ones Nabla cannot represent (complex, quantized, sparse, CUDA) are reported as
/// unsupported, not as unsafe.
/// </summary>
internal static class AllowedGlobals
{
    private static readonly Dictionary<string, PickleGlobal> s_allowed = Build();

    /// <summary>Every allowed <c>module.name</c>.</summary>
    public static IEnumerable<string> Names => s_allowed.Keys;

    public static bool TryResolve(string module, string name, out PickleGlobal global)
    {
        string full = module + "." + name;
        return s_allowed.TryGetValue(full, out global!);
    }

    private static Dictionary<string, PickleGlobal> Build()
    {
        var d = new Dictionary<string, PickleGlobal>();
        void Add(string name, GlobalKind kind, DType dtype = DType.Float32) => d[name] = new PickleGlobal(name, kind, dtype);
        Add("collections.OrderedDict", GlobalKind.OrderedDict);
        Add("torch.nn.parameter.Parameter", GlobalKind.Parameter);
        Add("torch.serialization._get_layout", GlobalKind.GetLayout);
        Add("torch.Size", GlobalKind.Size);
        Add("torch.Tensor", GlobalKind.TensorClass);
        foreach (var n in new[] { "complex32", "complex64", "complex128" }) Add("torch." + n, GlobalKind.Unsupported);
        foreach (var (n, t) in new[] { ("float16", DType.Float16), ("float32", DType.Float32), ("float64", DType.Float64), ("int8", DType.Int8), ("int16", DType.Int16), ("int32", DType.Int32), ("int64", DType.Int64) })
            Add("torch." + n, GlobalKind.DTypeValue, t);
        var storages = new (string Prefix, DType? DType)[]
        {
            ("Float", DType.Float32), ("Double", DType.Float64), ("Half", DType.Float16), ("BFloat16", DType.BFloat16), ("Long", DType.Int64),
            ("Int", DType.Int32), ("Short", DType.Int16), ("Char", DType.Int8), ("Byte", DType.UInt8), ("Bool", DType.Bool),
            ("ComplexFloat", null), ("ComplexDouble", null),
        };
        foreach (var (prefix, dtype) in storages)
        {
            if (dtype is { } t) Add($"torch.{prefix}Storage", GlobalKind.Storage, t);
            else Add($"torch.{prefix}Storage", GlobalKind.Unsupported);
            if (prefix.StartsWith("Complex", StringComparison.Ordinal)) Add($"torch.cuda.{prefix}Storage", GlobalKind.Unsupported);
            else
            {
                Add($"torch.cuda.{prefix}Storage", GlobalKind.Unsupported);
                Add($"torch.{prefix}Tensor", GlobalKind.TensorClass);
                Add($"torch.cuda.{prefix}Tensor", GlobalKind.TensorClass);
                if (prefix != "Bool") Add($"torch.sparse.{prefix}Tensor", GlobalKind.TensorClass);
                if (prefix != "Bool") Add($"torch.cuda.sparse.{prefix}Tensor", GlobalKind.TensorClass);
            }
        }
        foreach (var n in new[] { "QUInt2x4", "QUInt4x2", "QInt32", "QInt8", "QUInt8" }) Add($"torch.{n}Storage", GlobalKind.Unsupported);
        Add("torch.storage.TypedStorage", GlobalKind.Unsupported);
        Add("torch.storage.UntypedStorage", GlobalKind.Unsupported);
        Add("torch._utils._rebuild_parameter", GlobalKind.RebuildParameter);
        Add("torch._utils._rebuild_tensor", GlobalKind.RebuildTensor);
        Add("torch._utils._rebuild_tensor_v2", GlobalKind.RebuildTensorV2);
        foreach (var n in new[] { "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage", "_rebuild_sparse_csr_tensor" })
            Add("torch._utils." + n, GlobalKind.Unsupported);
        return d;
    }

    public static string StorageName(DType dtype) => dtype switch
    {
        DType.Float32 => "FloatStorage",
        DType.Float64 => "DoubleStorage",
        DType.Float16 => "HalfStorage",
        DType.BFloat16 => "BFloat16Storage",
        DType.Int64 => "LongStorage",
        DType.Int32 => "IntStorage",
        DType.Int16 => "ShortStorage",
        DType.Int8 => "CharStorage",
        DType.UInt8 => "ByteStorage",
        _ => "BoolStorage",
    };
}
