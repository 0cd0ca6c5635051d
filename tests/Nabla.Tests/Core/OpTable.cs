using System.Text.Json;
using Nabla.NN;

namespace Nabla.Tests.Core;

/// <summary>
/// The C# side of the op table in tests/goldens/gen_core.py (OPS): each key runs the same expression
/// as the Python lambda, through Nabla's public API. A new op's parity test is one line here plus one
/// <c>case(...)</c> line in the script.
/// </summary>
internal static class OpTable
{
    public delegate Tensor[] Op(Tensor[] x, OpArgs a);

    private static Op One(Func<Tensor[], OpArgs, Tensor> f) => (x, a) => [f(x, a)];

    // Python scalars keep their kind: an int literal is a C# long (integer tensors stay integral), a float is a double.
    private static Tensor Scalar(Tensor t, OpArgs a, Func<Tensor, long, Tensor> asLong, Func<Tensor, double, Tensor> asDouble)
        => a.IsInteger("s") ? asLong(t, a.Long("s")) : asDouble(t, a.Double("s"));

    private static Tensor InPlace(Tensor[] x, Action<Tensor> op)
    {
        var y = x[0] * 1L;
        op(y);
        return y;
    }

    public static readonly Dictionary<string, Op> Ops = new()
    {
        // arithmetic
        ["add"] = One((x, a) => x[0] + x[1]),
        ["sub"] = One((x, a) => x[0] - x[1]),
        ["mul"] = One((x, a) => x[0] * x[1]),
        ["div"] = One((x, a) => x[0] / x[1]),
        ["add_alpha"] = One((x, a) => Torch.Add(x[0], x[1], alpha: a.Double("alpha"))),
        ["sub_alpha"] = One((x, a) => Torch.Sub(x[0], x[1], alpha: a.Double("alpha"))),
        ["add_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t + s, (t, s) => t + s)),
        ["radd_s"] = One((x, a) => Scalar(x[0], a, (t, s) => s + t, (t, s) => s + t)),
        ["sub_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t - s, (t, s) => t - s)),
        ["rsub_s"] = One((x, a) => Scalar(x[0], a, (t, s) => s - t, (t, s) => s - t)),
        ["mul_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t * s, (t, s) => t * s)),
        ["rmul_s"] = One((x, a) => Scalar(x[0], a, (t, s) => s * t, (t, s) => s * t)),
        ["div_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t / s, (t, s) => t / s)),
        ["rdiv_s"] = One((x, a) => a.Double("s") / x[0]),
        ["pow"] = One((x, a) => x[0].Pow(x[1])),
        ["pow_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t.Pow(s), (t, s) => t.Pow(s))),
        ["rpow_s"] = One((x, a) => Torch.Pow(a.Double("s"), x[0])),
        ["maximum"] = One((x, a) => Torch.Maximum(x[0], x[1])),
        ["minimum"] = One((x, a) => Torch.Minimum(x[0], x[1])),
        // comparisons
        ["gt"] = One((x, a) => x[0] > x[1]),
        ["lt"] = One((x, a) => x[0] < x[1]),
        ["ge"] = One((x, a) => x[0] >= x[1]),
        ["le"] = One((x, a) => x[0] <= x[1]),
        ["eq"] = One((x, a) => x[0].Eq(x[1])),
        ["ne"] = One((x, a) => x[0].Ne(x[1])),
        ["gt_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t > s, (t, s) => t > s)),
        ["le_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t <= s, (t, s) => t <= s)),
        ["rlt_s"] = One((x, a) => Scalar(x[0], a, (t, s) => s < t, (t, s) => s < t)),
        ["eq_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t.Eq(s), (t, s) => t.Eq(s))),
        ["ne_s"] = One((x, a) => Scalar(x[0], a, (t, s) => t.Ne(s), (t, s) => t.Ne(s))),
        // unary
        ["neg"] = One((x, a) => -x[0]),
        ["abs"] = One((x, a) => x[0].Abs()),
        ["exp"] = One((x, a) => x[0].Exp()),
        ["log"] = One((x, a) => x[0].Log()),
        ["sqrt"] = One((x, a) => x[0].Sqrt()),
        ["sin"] = One((x, a) => x[0].Sin()),
        ["cos"] = One((x, a) => x[0].Cos()),
        ["tanh"] = One((x, a) => x[0].Tanh()),
        ["sigmoid"] = One((x, a) => x[0].Sigmoid()),
        ["relu"] = One((x, a) => x[0].Relu()),
        ["sign"] = One((x, a) => x[0].Sign()),
        ["clamp"] = One((x, a) => x[0].Clamp(min: a.OptionalDouble("min"), max: a.OptionalDouble("max"))),
        ["where"] = One((x, a) => Torch.Where(x[0], x[1], x[2])),
        // reductions
        ["sum"] = One((x, a) => x[0].Sum()),
        ["sum_dim"] = One((x, a) => x[0].Sum(dim: a.Ints("dim"), keepdim: a.Bool("keepdim"))),
        ["mean"] = One((x, a) => x[0].Mean()),
        ["mean_dim"] = One((x, a) => x[0].Mean(dim: a.Ints("dim"), keepdim: a.Bool("keepdim"))),
        ["max"] = One((x, a) => x[0].Max()),
        ["min"] = One((x, a) => x[0].Min()),
        ["max_dim"] = (x, a) => x[0].Max(dim: a.Int("dim"), keepdim: a.Bool("keepdim")) is var (v, i) ? [v, i] : [],
        ["min_dim"] = (x, a) => x[0].Min(dim: a.Int("dim"), keepdim: a.Bool("keepdim")) is var (v, i) ? [v, i] : [],
        ["argmax"] = One((x, a) => x[0].Argmax()),
        ["argmin"] = One((x, a) => x[0].Argmin()),
        ["argmax_dim"] = One((x, a) => x[0].Argmax(dim: a.Int("dim"), keepdim: a.Bool("keepdim"))),
        ["argmin_dim"] = One((x, a) => x[0].Argmin(dim: a.Int("dim"), keepdim: a.Bool("keepdim"))),
        // matrix products
        ["matmul"] = One((x, a) => x[0].Matmul(x[1])),
        ["matmul_batched"] = One((x, a) => Torch.Matmul(x[0], x[1])),
        ["mm"] = One((x, a) => x[0].Mm(x[1])),
        ["bmm"] = One((x, a) => x[0].Bmm(x[1])),
        // views and copies
        ["view"] = One((x, a) => x[0].View(a.Longs("shape"))),
        ["reshape"] = One((x, a) => x[0].Reshape(a.Longs("shape"))),
        ["t"] = One((x, a) => x[0].T()),
        ["transpose"] = One((x, a) => x[0].Transpose(a.Int("dim0"), a.Int("dim1"))),
        ["permute"] = One((x, a) => x[0].Permute(a.Ints("dims"))),
        ["expand"] = One((x, a) => x[0].Expand(a.Longs("shape"))),
        ["squeeze"] = One((x, a) => x[0].Squeeze()),
        ["squeeze_dim"] = One((x, a) => x[0].Squeeze(a.Int("dim"))),
        ["unsqueeze"] = One((x, a) => x[0].Unsqueeze(a.Int("dim"))),
        ["flatten"] = One((x, a) => x[0].Flatten(a.Int("start"), a.Int("end"))),
        ["contiguous"] = One((x, a) => x[0].Contiguous()),
        ["clone"] = One((x, a) => x[0].Clone()),
        ["narrow"] = One((x, a) => x[0].Narrow(a.Int("dim"), a.Long("start"), a.Long("length"))),
        ["select"] = One((x, a) => x[0].Select(a.Int("dim"), a.Long("index"))),
        ["to_f64"] = One((x, a) => x[0].To(DType.Float64)),
        ["to_f32"] = One((x, a) => x[0].To(DType.Float32)),
        ["cat"] = One((x, a) => Torch.Cat(x, dim: a.Int("dim"))),
        ["stack"] = One((x, a) => Torch.Stack(x, dim: a.Int("dim"))),
        // indexing
        ["index"] = One((x, a) => x[0][a.Index("spec")]),
        ["index_put"] = One((x, a) =>
        {
            var y = x[0] * 1L;
            y[a.Index("spec")] = x[1];
            return y;
        }),
        // nn
        ["linear"] = One((x, a) => Functional.Linear(x[0], x[1], x.Length > 2 ? x[2] : null)),
        ["mse_loss"] = One((x, a) => Functional.MseLoss(x[0], x[1], reduction: a.String("reduction"))),
        // in-place ops on a non-leaf (y = x0 * 1, then y.Op_(...))
        ["add_"] = One((x, a) => InPlace(x, y => y.Add_(x[1], alpha: a.Double("alpha")))),
        ["add_s_"] = One((x, a) => InPlace(x, y => y.Add_(a.Double("s")))),
        ["sub_"] = One((x, a) => InPlace(x, y => y.Sub_(x[1]))),
        ["mul_"] = One((x, a) => InPlace(x, y => y.Mul_(x[1]))),
        ["div_"] = One((x, a) => InPlace(x, y => y.Div_(x[1]))),
        ["pow_"] = One((x, a) => InPlace(x, y => y.Pow_(a.Double("s")))),
        ["clamp_"] = One((x, a) => InPlace(x, y => y.Clamp_(a.Double("min"), a.Double("max")))),
        ["zero_"] = One((x, a) => InPlace(x, y => y.Zero_())),
        ["fill_"] = One((x, a) => InPlace(x, y => y.Fill_(a.Double("s")))),
        ["copy_"] = One((x, a) => InPlace(x, y => y.Copy_(x[1]))),
    };
}

/// <summary>The "args" object of a golden op case.</summary>
internal readonly struct OpArgs(JsonElement json)
{
    private JsonElement Get(string name) => json.GetProperty(name);

    public bool Has(string name) => json.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
    public double Double(string name) => Get(name).GetDouble();
    public double? OptionalDouble(string name) => Has(name) ? Double(name) : null;
    public long Long(string name) => Get(name).GetInt64();
    public int Int(string name) => Get(name).GetInt32();
    public bool Bool(string name) => Get(name).GetBoolean();
    public string String(string name) => Get(name).GetString()!;
    public int[] Ints(string name) => Get(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
    public long[] Longs(string name) => Get(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();

    /// <summary>True when the JSON number was written as a Python int (no decimal point or exponent).</summary>
    public bool IsInteger(string name) => Get(name).GetRawText().All(c => char.IsDigit(c) || c == '-');

    /// <summary>An index spec: [{"int": i} | {"slice": [start, stop, step]} | {"ellipsis": true} | {"none": true} | {"tensor": T}].</summary>
    public TensorIndex[] Index(string name) => Get(name).EnumerateArray().Select(IndexEntry).ToArray();

    private static TensorIndex IndexEntry(JsonElement e)
    {
        if (e.TryGetProperty("int", out var i)) return i.GetInt64();
        if (e.TryGetProperty("slice", out var s))
        {
            var p = s.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (long?)null : v.GetInt64()).ToArray();
            return TensorIndex.Slice(p[0], p[1], p[2] ?? 1);
        }
        if (e.TryGetProperty("ellipsis", out _)) return TensorIndex.Ellipsis;
        if (e.TryGetProperty("none", out _)) return TensorIndex.None;
        return Goldens.Tensor(e.GetProperty("tensor"));
    }
}
