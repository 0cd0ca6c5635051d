using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Shape-taking factories: each accepts Zeros(2, 3) and Zeros([2, 3], dtype: ..., requiresGrad: ...).
public static partial class Torch
{
    private static Tensor Make(long[] size, DType dtype, bool requiresGrad, Action<Tensor> fill)
    {
        foreach (var s in size)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: {Shapes.Format(size)}");
        var t = Nabla.Tensor.Empty((long[])size.Clone(), dtype);
        fill(t);
        return Finish(t, requiresGrad);
    }

    /// <summary>Zeros of the given shape (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(params long[] size) => Zeros(size, DType.Float32);
    /// <summary>Zeros of the given shape and dtype (<c>torch.zeros(size, dtype=..., requires_grad=...)</c>).</summary>
    public static Tensor Zeros(long[] size, DType dtype = DType.Float32, bool requiresGrad = false) => Make(size, dtype, requiresGrad, t => Nabla.Tensor.Fill(t, 0));

    /// <summary>Ones of the given shape (<c>torch.ones</c>).</summary>
    public static Tensor Ones(params long[] size) => Ones(size, DType.Float32);
    /// <summary>Ones of the given shape and dtype.</summary>
    public static Tensor Ones(long[] size, DType dtype = DType.Float32, bool requiresGrad = false) => Make(size, dtype, requiresGrad, t => Nabla.Tensor.Fill(t, 1));

    /// <summary>A tensor filled with <paramref name="value"/> (<c>torch.full</c>); float32 unless told otherwise.</summary>
    public static Tensor Full(long[] size, double value, DType dtype = DType.Float32, bool requiresGrad = false) => Make(size, dtype, requiresGrad, t => Nabla.Tensor.Fill(t, value));

    /// <summary>A tensor filled with an integer: int64 unless told otherwise, as <c>torch.full((2,), 7)</c>.</summary>
    public static Tensor Full(long[] size, long value, DType dtype = DType.Int64, bool requiresGrad = false) => Make(size, dtype, requiresGrad, t => Nabla.Tensor.Fill(t, value));

    /// <summary>A tensor filled with a bool: bool unless told otherwise, as <c>torch.full((2,), True)</c>.</summary>
    public static Tensor Full(long[] size, bool value, DType dtype = DType.Bool, bool requiresGrad = false) => Make(size, dtype, requiresGrad, t => Nabla.Tensor.Fill(t, value ? 1 : 0));

    /// <summary>An uninitialised tensor (<c>torch.empty</c>); in .NET its memory reads as zeros or old values.</summary>
    public static Tensor Empty(params long[] size) => Empty(size, DType.Float32);
    /// <summary>An uninitialised tensor of the given dtype.</summary>
    public static Tensor Empty(long[] size, DType dtype = DType.Float32, bool requiresGrad = false) => Make(size, dtype, requiresGrad, _ => { });

    /// <summary>Standard normal samples from the default generator (<c>torch.randn</c>).</summary>
    public static Tensor Randn(params long[] size) => Randn(size, DType.Float32);
    /// <summary>Standard normal samples (<c>torch.randn(size, dtype=..., requires_grad=..., generator=...)</c>).</summary>
    public static Tensor Randn(long[] size, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null)
        => Make(size, dtype, requiresGrad, t => Nabla.Tensor.NormalRaw(t, 0, 1, generator));

    /// <summary>Uniform samples in [0, 1) (<c>torch.rand</c>).</summary>
    public static Tensor Rand(params long[] size) => Rand(size, DType.Float32);
    /// <summary>Uniform samples in [0, 1) of the given dtype.</summary>
    public static Tensor Rand(long[] size, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null)
        => Make(size, dtype, requiresGrad, t => Nabla.Tensor.UniformRaw(t, 0, 1, generator));

    /// <summary>Integers uniform in [low, high) (<c>torch.randint(low, high, size)</c>); int64 unless told otherwise.</summary>
    public static Tensor Randint(long low, long high, long[] size, DType dtype = DType.Int64, Generator? generator = null)
        => Make(size, dtype, false, t => Nabla.Tensor.RandintRaw(t, low, high, generator));

    /// <summary>Integers uniform in [0, high) (<c>torch.randint(high, size)</c>).</summary>
    public static Tensor Randint(long high, long[] size, DType dtype = DType.Int64, Generator? generator = null) => Randint(0, high, size, dtype, generator);

    /// <summary>A random permutation of 0..n-1 (<c>torch.randperm</c>).</summary>
    public static Tensor Randperm(long n, DType dtype = DType.Int64, Generator? generator = null)
        => Make([n], dtype, false, t =>
        {
            var g = generator ?? Generator.Default;
            switch (dtype)
            {
                case DType.Int64: g.Randperm(t.MutableSpan<long>()); break;
                case DType.Int32: g.Randperm(t.MutableSpan<int>()); break;
                case DType.Float32: g.Randperm(t.MutableSpan<float>()); break;
                case DType.Float64: g.Randperm(t.MutableSpan<double>()); break;
                default: throw new ArgumentException("randperm: not implemented for torch.bool");
            }
        });

    /// <summary>0, 1, ..., end-1 as int64 (<c>torch.arange(end)</c>).</summary>
    public static Tensor Arange(long end, DType? dtype = null, bool requiresGrad = false) => Arange(0L, end, 1L, dtype, requiresGrad);

    /// <summary>0, 1, ... below a float end as float32 unless told otherwise (<c>torch.arange(6.0)</c>).</summary>
    public static Tensor Arange(double end, DType? dtype = null, bool requiresGrad = false) => Arange(0.0, end, 1.0, dtype, requiresGrad);

    /// <summary>start, start+step, ... below end as int64 unless told otherwise (<c>torch.arange(start, end, step)</c>).</summary>
    public static Tensor Arange(long start, long end, long step = 1, DType? dtype = null, bool requiresGrad = false)
        => ArangeCore(start, end, step, dtype ?? DType.Int64, requiresGrad);

    /// <summary>start, start+step, ... below end as float32 unless told otherwise.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType? dtype = null, bool requiresGrad = false)
        => ArangeCore(start, end, step, dtype ?? DType.Float32, requiresGrad);

    private static Tensor ArangeCore(double start, double end, double step, DType dtype, bool requiresGrad)
    {
        if (step == 0) throw new ArgumentException("step must be nonzero");
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        long n = (long)Math.Ceiling((end - start) / step);
        var t = Nabla.Tensor.Empty([n], dtype);
        if (dtype == DType.Float32) RangeFill.Arange(t.MutableSpan<float>(), start, step);
        else if (dtype == DType.Float64) RangeFill.Arange(t.MutableSpan<double>(), start, step);
        else
        {
            var values = new double[n];
            for (long i = 0; i < n; i++) values[i] = start + i * step;
            t = Nabla.Tensor.FromArray(values, [n]).CastRaw(dtype);
        }
        return Finish(t, requiresGrad);
    }

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive (<c>torch.linspace</c>), computed as PyTorch does (from both ends).</summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var t = Nabla.Tensor.Empty([steps], dtype);
        if (dtype == DType.Float32) RangeFill.Linspace(t.MutableSpan<float>(), (float)start, (float)end);
        else if (dtype == DType.Float64) RangeFill.Linspace(t.MutableSpan<double>(), start, end);
        else
        {
            var d = new long[steps];
            RangeFill.Linspace(d, (long)start, (long)end);
            t = Nabla.Tensor.FromArray(d, [steps]).CastRaw(dtype);
        }
        return Finish(t, requiresGrad);
    }

    /// <summary>An n x m identity matrix (<c>torch.eye</c>).</summary>
    public static Tensor Eye(long n, long? m = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        long cols = m ?? n;
        var t = Zeros([n, cols], dtype);
        var one = Tensor(1L);
        for (long i = 0; i < Math.Min(n, cols); i++) t.AsView([], [], i * (cols + 1)).CopyRaw(one);
        return Finish(t, requiresGrad);
    }

    /// <summary>Zeros shaped like <paramref name="t"/> (<c>torch.zeros_like</c>).</summary>
    public static Tensor ZerosLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Zeros(t._shape, dtype ?? t.DType, requiresGrad);
    /// <summary>Ones shaped like <paramref name="t"/> (<c>torch.ones_like</c>).</summary>
    public static Tensor OnesLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Ones(t._shape, dtype ?? t.DType, requiresGrad);
    /// <summary>A tensor shaped like <paramref name="t"/> filled with <paramref name="value"/> (<c>torch.full_like</c>).</summary>
    public static Tensor FullLike(Tensor t, double value, DType? dtype = null, bool requiresGrad = false) => Full(t._shape, value, dtype ?? t.DType, requiresGrad);
    /// <summary>An uninitialised tensor shaped like <paramref name="t"/> (<c>torch.empty_like</c>).</summary>
    public static Tensor EmptyLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Empty(t._shape, dtype ?? t.DType, requiresGrad);
    /// <summary>Normal samples shaped like <paramref name="t"/> (<c>torch.randn_like</c>).</summary>
    public static Tensor RandnLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Randn(t._shape, dtype ?? t.DType, requiresGrad);
    /// <summary>Uniform samples shaped like <paramref name="t"/> (<c>torch.rand_like</c>).</summary>
    public static Tensor RandLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Rand(t._shape, dtype ?? t.DType, requiresGrad);

    /// <summary>Joins tensors along an existing dimension (<c>torch.cat</c>).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        var first = tensors[0];
        int d = Shapes.NormalizeDim(dim, first.Dim);
        var dtype = first.DType;
        long total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.Dim != first.Dim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.Dim} and {t.Dim}");
            for (int k = 0; k < t.Dim; k++)
                if (k != d && t._shape[k] != first._shape[k])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {d}. Expected size {first._shape[k]} but got size {t._shape[k]} for tensor number {i} in the list.");
            dtype = DTypeInfo.Promote(dtype, t.DType);
            total += t._shape[d];
        }
        var shape = first.Shape;
        shape[d] = total;
        var r = Nabla.Tensor.Empty(shape, dtype);
        long at = 0;
        var sizes = new long[tensors.Count];
        using (GradMode.Set(false))
        using (Trace.Suspend())
            for (int i = 0; i < tensors.Count; i++)
            {
                sizes[i] = tensors[i]._shape[d];
                r.Slice(d, at, at + sizes[i]).CopyRaw(tensors[i]);
                at += sizes[i];
            }
        var inputs = tensors.ToArray();
        if (Graph.Needs(inputs))
            Graph.Record("CatBackward0", r, inputs, g =>
            {
                var grads = new Tensor?[inputs.Length];
                long start = 0;
                for (int i = 0; i < inputs.Length; i++)
                {
                    grads[i] = inputs[i].RequiresGrad ? g.Slice(d, start, start + sizes[i]).To(inputs[i].DType) : null;
                    start += sizes[i];
                }
                return grads;
            });
        if (Trace.Active) Trace.Record("cat", inputs, r, new Dictionary<string, object> { ["dim"] = (long)d });
        return r;
    }

    /// <summary>Joins same-shaped tensors along a new dimension (<c>torch.stack</c>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Count; i++)
            if (!Shapes.SameShape(tensors[i]._shape, tensors[0]._shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {Shapes.Format(tensors[0]._shape)} at entry 0 and {Shapes.Format(tensors[i]._shape)} at entry {i}");
        int d = dim < 0 ? dim + tensors[0].Dim + 1 : dim;
        if (d < 0 || d > tensors[0].Dim)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-tensors[0].Dim - 1}, {tensors[0].Dim}], but got {dim})");
        Tensor r;
        // Traced as its parts (unsqueeze, cat); recorded for autograd as one node, as PyTorch does.
        using (GradMode.Set(false))
            r = Cat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
        var inputs = tensors.ToArray();
        if (Graph.Needs(inputs))
            Graph.Record("StackBackward0", r, inputs, g =>
                inputs.Select((t, i) => t.RequiresGrad ? g.Select(d, i).To(t.DType) : null).ToArray());
        return r;
    }
}
