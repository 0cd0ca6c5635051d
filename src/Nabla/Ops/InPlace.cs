using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla;

// In-place ops: compute out of place, write back into this view's storage, bump the version,
// and, when recording, make this tensor the output of the new node (PyTorch's rebase of history).
public partial class Tensor
{
    /// <summary>Writes <paramref name="src"/> (broadcast, converted) into this view's elements; no graph, no version bump.</summary>
    internal void CopyRaw(Tensor src)
    {
        var s = src.CastRaw(DType);
        if (!Shapes.SameShape(s._shape, _shape)) s = s.ExpandRaw(_shape);
        switch (DType)
        {
            case DType.Float32: Strided.Scatter(s.Span<float>(), _storage.As<float>(), _offset, _shape, _strides); break;
            case DType.Float64: Strided.Scatter(s.Span<double>(), _storage.As<double>(), _offset, _shape, _strides); break;
            case DType.Int64: Strided.Scatter(s.Span<long>(), _storage.As<long>(), _offset, _shape, _strides); break;
            case DType.Int32: Strided.Scatter(s.Span<int>(), _storage.As<int>(), _offset, _shape, _strides); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: Strided.Scatter(s.Span<short>(), _storage.As<short>(), _offset, _shape, _strides); break;
            case DType.UInt8 or DType.Int8: Strided.Scatter(s.Span<byte>(), _storage.As<byte>(), _offset, _shape, _strides); break;
            default: Strided.Scatter(s.Span<bool>(), _storage.As<bool>(), _offset, _shape, _strides); break;
        }
    }

    private Tensor ExpandRaw(long[] shape)
    {
        try
        {
            return new Tensor(_storage, shape, Shapes.BroadcastStrides(this, shape), _offset);
        }
        catch (IndexOutOfRangeException)
        {
            throw new ArgumentException($"output with shape {Shapes.Format(shape)} doesn't match the broadcast shape {Shapes.Format(_shape)}");
        }
    }

    internal static void Fill(Tensor t, double value)
    {
        switch (t.DType)
        {
            case DType.Float32: t.MutableSpan<float>().Fill((float)value); break;
            case DType.Float64: t.MutableSpan<double>().Fill(value); break;
            case DType.Int64: t.MutableSpan<long>().Fill((long)value); break;
            case DType.Int32: t.MutableSpan<int>().Fill((int)value); break;
            case DType.Float16: t.MutableSpan<Half>().Fill((Half)(float)value); break;
            case DType.BFloat16: t.MutableSpan<BFloat16>().Fill((BFloat16)(float)value); break;
            case DType.Int16: t.MutableSpan<short>().Fill(unchecked((short)(long)value)); break;
            case DType.Int8: t.MutableSpan<sbyte>().Fill(unchecked((sbyte)(long)value)); break;
            case DType.UInt8: t.MutableSpan<byte>().Fill(unchecked((byte)(long)value)); break;
            default: t.MutableSpan<bool>().Fill(value != 0); break;
        }
    }

    private void CheckInPlace(string op)
    {
        if (GradMode.IsEnabled && IsLeaf && RequiresGrad)
            throw new InvalidOperationException($"a leaf Variable that requires grad is being used in an in-place operation ({op}).");
        if (GradMode.IsEnabled && RequiresGrad && IsView)
            throw new NotSupportedException($"{op}: in-place modification of a view of a tensor that requires grad is not supported; use the out-of-place op instead.");
    }

    /// <summary>Replaces this tensor's values by <paramref name="result"/> (same shape), taking over its history.</summary>
    private Tensor Assign(string op, Tensor result)
    {
        if (!Shapes.SameShape(result._shape, _shape))
            throw new ArgumentException($"{op}: output with shape {Shapes.Format(_shape)} doesn't match the broadcast shape {Shapes.Format(result._shape)}");
        if (DTypeInfo.Category(result.DType) > DTypeInfo.Category(DType))
            throw new ArgumentException($"{op}: result type {result.DType} can't be cast to the desired output type {DType}");
        CopyRaw(result);
        BumpVersion();
        if (result.GradFn is not null && GradMode.IsEnabled)
        {
            GradFn = result.GradFn;
            _outputNr = result._outputNr;
            _requiresGrad = true;
        }
        return this;
    }

    // The input the out-of-place op sees: a snapshot when recording, so saved values survive the overwrite.
    private Tensor InPlaceInput(string op)
    {
        CheckInPlace(op);
        return RequiresGrad && GradMode.IsEnabled ? Clone() : Detach();
    }

    /// <summary>this += alpha * other (<c>tensor.add_</c>).</summary>
    public Tensor Add_(Tensor other, double alpha = 1) => Assign("add_", InPlaceInput("add_").Add(other, alpha));
    /// <summary>this += value.</summary>
    public Tensor Add_(double value) => Add_(WrapScalar(value));
    /// <summary>this -= alpha * other (<c>tensor.sub_</c>).</summary>
    public Tensor Sub_(Tensor other, double alpha = 1) => Assign("sub_", InPlaceInput("sub_").Sub(other, alpha));
    /// <summary>this -= value.</summary>
    public Tensor Sub_(double value) => Sub_(WrapScalar(value));
    /// <summary>this *= other (<c>tensor.mul_</c>).</summary>
    public Tensor Mul_(Tensor other) => Assign("mul_", InPlaceInput("mul_").Mul(other));
    /// <summary>this *= value.</summary>
    public Tensor Mul_(double value) => Mul_(WrapScalar(value));
    /// <summary>this /= other (<c>tensor.div_</c>).</summary>
    public Tensor Div_(Tensor other) => Assign("div_", InPlaceInput("div_").Div(other));
    /// <summary>this /= value.</summary>
    public Tensor Div_(double value) => Div_(WrapScalar(value));
    /// <summary>this = this ** exponent (<c>tensor.pow_</c>).</summary>
    public Tensor Pow_(double exponent) => Assign("pow_", InPlaceInput("pow_").Pow(exponent));
    /// <summary>Clamps in place (<c>tensor.clamp_</c>).</summary>
    public Tensor Clamp_(double? min = null, double? max = null) => Assign("clamp_", InPlaceInput("clamp_").Clamp(min, max));
    // addcmul_/addcdiv_ round as PyTorch's kernels do: self + ((value * t1) * t2), self + ((value * t1) / t2).
    /// <summary>this += value * t1 * t2 (<c>tensor.addcmul_</c>), rounded in PyTorch's order <c>self + value * t1 * t2</c>.</summary>
    public Tensor Addcmul_(Tensor t1, Tensor t2, double value = 1) => Assign("addcmul_", InPlaceInput("addcmul_").Add(t1 * value * t2));
    /// <summary>this += value * t1 / t2 (<c>tensor.addcdiv_</c>), rounded in PyTorch's order <c>self + value * t1 / t2</c>.</summary>
    public Tensor Addcdiv_(Tensor t1, Tensor t2, double value = 1) => Assign("addcdiv_", InPlaceInput("addcdiv_").Add(t1 * value / t2));
    /// <summary>this = this + weight * (end - this) (<c>tensor.lerp_</c>), rounded as PyTorch's kernel: from <c>end</c> when weight &gt;= 0.5.</summary>
    public Tensor Lerp_(Tensor end, double weight)
    {
        var x = InPlaceInput("lerp_");
        var diff = end - x;
        if (weight < 0.5) return Assign("lerp_", x.Add(diff, weight));
        double oneMinus = DType == DType.Float32 ? 1f - (float)weight : 1 - weight;  // 1 - weight in the tensor's precision
        return Assign("lerp_", end.Sub(diff, oneMinus));
    }

    /// <summary>Fills with zeros (<c>tensor.zero_</c>); the gradient to the old value is zero.</summary>
    public Tensor Zero_() => FillCore("zero_", "ZeroBackward0", 0);

    /// <summary>Fills with <paramref name="value"/> (<c>tensor.fill_</c>); the gradient to the old value is zero.</summary>
    public Tensor Fill_(double value) => FillCore("fill_", "FillBackward2", value);

    private Tensor FillCore(string op, string node, double value)
    {
        CheckInPlace(op);
        var before = HistoryBeforeInPlace();
        CopyRaw(Full(_shape, value, DType));
        BumpVersion();
        if (before is not null) Graph.Record(node, this, [before], g => [Torch.ZerosLike(g)]);
        return this;
    }

    // A handle on this tensor's current place in the graph, taken before an in-place op that records a node
    // over it (the old value is not needed, only the edge); null when nothing is recorded.
    private Tensor? HistoryBeforeInPlace()
    {
        if (!GradMode.IsEnabled || !RequiresGrad) return null;
        var before = new Tensor(_storage, _shape, _strides, _offset) { GradFn = GradFn, _outputNr = _outputNr };
        before.SetRequiresGradUnchecked(true);
        return before;
    }

    private static Tensor Full(long[] shape, double value, DType dtype) => Torch.Full(shape, value, dtype);

    /// <summary>Copies <paramref name="src"/> into this tensor, broadcasting and converting (<c>tensor.copy_</c>); the gradient flows to <paramref name="src"/>.</summary>
    public Tensor Copy_(Tensor src)
    {
        CheckInPlace("copy_");
        Shapes.Broadcast(_shape, src._shape);
        bool record = GradMode.IsEnabled && (RequiresGrad || src.RequiresGrad);
        var before = HistoryBeforeInPlace() ?? Detach();
        CopyRaw(src);
        BumpVersion();
        if (record)
            Graph.Record("CopyBackwards", this, [before, src], g => [Torch.ZerosLike(g), src.RequiresGrad ? g.SumTo(src) : null]);
        return this;
    }

    /// <summary>Same as <see cref="Copy_"/> (a .NET-style name).</summary>
    public Tensor CopyFrom(Tensor src) => Copy_(src);

    /// <summary>Fills with normal samples (<c>tensor.normal_(mean, std)</c>), drawing exactly as PyTorch's CPU generator.</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        CheckInPlace("normal_");
        if (std < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
        NormalRaw(this, mean, std, generator);
        BumpVersion();
        return this;
    }

    /// <summary>Fills with uniform samples in [from, to) (<c>tensor.uniform_</c>).</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        CheckInPlace("uniform_");
        if (from > to) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
        UniformRaw(this, from, to, generator);
        BumpVersion();
        return this;
    }

    /// <summary>Fills with 1 with probability p, else 0 (<c>tensor.bernoulli_(p)</c>).</summary>
    public Tensor Bernoulli_(double p = 0.5, Generator? generator = null)
    {
        CheckInPlace("bernoulli_");
        if (p < 0 || p > 1) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
        var g = generator ?? Generator.Default;
        var r = Empty(_shape, DType.Float64);
        g.FillBernoulli(r.MutableSpan<double>(), p);
        CopyRaw(r);
        BumpVersion();
        return this;
    }

    internal static void NormalRaw(Tensor t, double mean, double std, Generator? generator)
    {
        t.CheckFloating("normal_");
        var g = generator ?? Generator.Default;
        if (t._contiguous)
        {
            if (t.DType == DType.Float32) g.FillNormal(t.MutableSpan<float>(), mean, std);
            else g.FillNormal(t.MutableSpan<double>(), mean, std);
            return;
        }
        // PyTorch samples non-contiguous tensors element by element on the scalar path.
        var values = new double[t._numel];
        g.FillNormalScalar(values, mean, std);
        t.CopyRaw(FromArray(values, t._shape));
    }

    internal static void UniformRaw(Tensor t, double from, double to, Generator? generator)
    {
        t.CheckFloating("uniform_");
        var g = generator ?? Generator.Default;
        var target = t._contiguous ? t : Empty(t._shape, t.DType);
        if (t.DType == DType.Float32) g.FillUniform(target.MutableSpan<float>(), from, to);
        else g.FillUniform(target.MutableSpan<double>(), from, to);
        if (!ReferenceEquals(target, t)) t.CopyRaw(target);
    }

    internal static void RandintRaw(Tensor t, long low, long high, Generator? generator)
    {
        var g = generator ?? Generator.Default;
        switch (t.DType)
        {
            case DType.Int64: g.FillRandint(t.MutableSpan<long>(), low, high); break;
            case DType.Int32: g.FillRandint(t.MutableSpan<int>(), low, high); break;
            case DType.Float32: g.FillRandint(t.MutableSpan<float>(), low, high); break;
            case DType.Float64: g.FillRandint(t.MutableSpan<double>(), low, high); break;
            default: throw new ArgumentException("randint: not implemented for torch.bool");
        }
    }
}
