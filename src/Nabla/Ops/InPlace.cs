using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla;

// In-place ops: compute out of place, write back into this view's storage, bump the version,
// and, when recording, make the new node this tensor's history, or its base's for a view (see ViewHistory.cs).
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

    // PyTorch's check_inplace: a view's refusals when the write will be recorded (this or `other` requires grad), then a leaf's.
    private void CheckInPlace(string op, Tensor? other = null, bool overlapAllowed = false)
    {
        if (!overlapAllowed) CheckNoInternalOverlap();
        if (!GradMode.IsEnabled) return;
        if (_viewBase is { } root && (RequiresGrad || root._requiresGrad || other?.RequiresGrad == true)) CheckInPlaceOnView();
        if (IsLeaf && RequiresGrad)
            throw new InvalidOperationException($"a leaf Variable that requires grad is being used in an in-place operation ({op}).");
    }

    /// <summary>Replaces this tensor's values by <paramref name="result"/> (same shape), taking over its history (through CopySlices for a view).</summary>
    private Tensor Assign(string op, Tensor result)
    {
        if (!Shapes.SameShape(result._shape, _shape))
            throw new ArgumentException($"output with shape {Shapes.Format(_shape)} doesn't match the broadcast shape {Shapes.Format(result._shape)}");
        if (DTypeInfo.Category(result.DType) > DTypeInfo.Category(DType))
            throw new ArgumentException($"result type {ScalarTypeName(result.DType)} can't be cast to the desired output type {ScalarTypeName(DType)}");
        bool record = result.GradFn is not null && GradMode.IsEnabled;
        if (record && IsView) CheckInPlaceOnView();
        CopyRaw(result);
        BumpVersion();
        if (record) RebaseHistory(result.GradFn!, result._outputNr);
        return this;
    }

    // The input the out-of-place op sees: a snapshot when the graph may save it (this requires grad, or the operand that
    // mul_/div_ combine it with does), so saved values survive the overwrite; else this storage itself.
    private Tensor InPlaceInput(string op, Tensor? other = null)
    {
        CheckInPlace(op, other);
        return GradMode.IsEnabled && (RequiresGrad || other?.RequiresGrad == true) ? Clone() : Detach();
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
    public Tensor Mul_(Tensor other) => Assign("mul_", InPlaceInput("mul_", other).Mul(other));
    /// <summary>this *= value.</summary>
    public Tensor Mul_(double value) => Mul_(WrapScalar(value));
    /// <summary>this /= other (<c>tensor.div_</c>).</summary>
    public Tensor Div_(Tensor other) => Assign("div_", InPlaceInput("div_", other).Div(other));
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
        var x = InPlaceInput("lerp_", end);
        Tensor r;
        using (GradMode.Set(false))
        {
            var diff = end - x;
            double oneMinus = DType == DType.Float32 ? 1f - (float)weight : 1 - weight;  // 1 - weight in the tensor's precision
            r = weight < 0.5 ? x.Add(diff, weight) : end.Sub(diff, oneMinus);
        }
        if (Graph.Needs(x, end))
            Graph.Record("LerpBackward0", r, [x, end], g => [x.RequiresGrad ? g * (1 - weight) : null, end.RequiresGrad ? (g * weight).SumTo(end) : null]);
        return Assign("lerp_", r);
    }

    /// <summary>Fills with zeros (<c>tensor.zero_</c>); the gradient to the old value is zero.</summary>
    public Tensor Zero_() => FillCore("zero_", "ZeroBackward0", 0);

    /// <summary>Fills with <paramref name="value"/> (<c>tensor.fill_</c>); the gradient to the old value is zero.</summary>
    public Tensor Fill_(double value) => FillCore("fill_", "FillBackward2", value);

    // zero_ and fill_ write every element once even where elements share memory, as PyTorch's.
    private Tensor FillCore(string op, string node, double value)
        => Overwrite(op, node, () => CopyRaw(Full(_shape, value, DType)), overlapAllowed: true);

    // An in-place op whose new values do not depend on the old ones: its node passes zeros to the old history.
    private Tensor Overwrite(string op, string node, Action write, bool overlapAllowed = false)
    {
        CheckInPlace(op, overlapAllowed: overlapAllowed);
        var before = HistoryBeforeInPlace();
        write();
        BumpVersion();
        if (before is not null) RebaseHistory(Graph.MakeNode(node, [before], g => [Torch.ZerosLike(g)]), 0);
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
        CheckInPlace("copy_", src);
        Shapes.Broadcast(_shape, src._shape);
        bool record = GradMode.IsEnabled && (RequiresGrad || src.RequiresGrad);
        var before = HistoryBeforeInPlace() ?? Detach();
        CopyRaw(src);
        BumpVersion();
        if (record)
            RebaseHistory(Graph.MakeNode("CopyBackwards", [before, src], g => [Torch.ZerosLike(g), src.RequiresGrad ? g.SumTo(src) : null]), 0);
        return this;
    }

    /// <summary>Same as <see cref="Copy_"/> (a .NET-style name).</summary>
    public Tensor CopyFrom(Tensor src) => Copy_(src);

    /// <summary>Fills with normal samples (<c>tensor.normal_(mean, std)</c>), drawing exactly as PyTorch's CPU generator.</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        if (std < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
        return Overwrite("normal_", "NormalBackward0", () => NormalRaw(this, mean, std, generator));
    }

    /// <summary>Fills with uniform samples in [from, to) (<c>tensor.uniform_</c>).</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        if (from > to) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
        return Overwrite("uniform_", "UniformBackward0", () => UniformRaw(this, from, to, generator));
    }

    /// <summary>Fills with 1 with probability p, else 0 (<c>tensor.bernoulli_(p)</c>).</summary>
    public Tensor Bernoulli_(double p = 0.5, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
        return Overwrite("bernoulli_", "BernoulliBackward2", () =>
        {
            var target = _contiguous ? this : StorageOrderView();
            var r = Empty(target._shape, DType.Float64);
            (generator ?? Generator.Default).FillBernoulli(r.MutableSpan<double>(), p);
            target.CopyRaw(r);
        });
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
        // PyTorch samples non-contiguous tensors element by element on the scalar path, in storage order.
        var view = t.StorageOrderView();
        var values = new double[t._numel];
        g.FillNormalScalar(values, mean, std);
        view.CopyRaw(FromArray(values, view._shape));
    }

    internal static void UniformRaw(Tensor t, double from, double to, Generator? generator)
    {
        t.CheckFloating("uniform_");
        var g = generator ?? Generator.Default;
        var view = t._contiguous ? t : t.StorageOrderView();
        var target = t._contiguous ? t : Empty(view._shape, t.DType);
        if (t.DType == DType.Float32) g.FillUniform(target.MutableSpan<float>(), from, to);
        else g.FillUniform(target.MutableSpan<double>(), from, to);
        if (!ReferenceEquals(target, t)) view.CopyRaw(target);
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
