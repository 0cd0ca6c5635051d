using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla.NN;

public static partial class Init
{
    /// <summary>Kaiming/He normal init (<c>nn.init.kaiming_normal_</c>): N(0, std²), std = gain / sqrt(fan).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (tensor.Numel() == 0) return tensor;
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode));
        return Normal_(tensor, 0, std, generator);
    }

    /// <summary>Xavier/Glorot uniform init (<c>nn.init.xavier_uniform_</c>): U(−a, a), a = gain·sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        double a = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -a, a, generator);
    }

    /// <summary>Xavier/Glorot normal init (<c>nn.init.xavier_normal_</c>): N(0, std²), std = gain·sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Fills with <paramref name="value"/> (<c>nn.init.constant_</c>).</summary>
    public static Tensor Constant_(Tensor tensor, double value)
    {
        using (GradMode.Set(false)) return tensor.Fill_(value);
    }

    /// <summary>Fills with zeros (<c>nn.init.zeros_</c>).</summary>
    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    /// <summary>Fills with ones (<c>nn.init.ones_</c>).</summary>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>
    /// Normal samples truncated to [a, b] (<c>nn.init.trunc_normal_</c>), by PyTorch's inverse-CDF method and in its order of operations:
    /// uniform_ in [2Φ((a−mean)/std) − 1, 2Φ((b−mean)/std) − 1], then erfinv, times std·√2, plus mean, clamped to [a, b].
    /// </summary>
    public static Tensor TruncNormal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        static double NormCdf(double x) => (1.0 + Erf.Apply(x / Math.Sqrt(2.0))) / 2.0;
        double l = NormCdf((a - mean) / std), u = NormCdf((b - mean) / std);
        using (GradMode.Set(false))
        {
            tensor.Uniform_(2 * l - 1, 2 * u - 1, generator);
            Erfinv_(tensor);
            tensor.Mul_(std * Math.Sqrt(2.0));
            tensor.Add_(mean);
            return tensor.Clamp_(a, b);
        }
    }

    // In-place erfinv with PyTorch's calc_erfinv, in the tensor's own precision.
    private static void Erfinv_(Tensor tensor)
    {
        tensor.CheckFloating("erfinv_");
        bool fused = CpuCapabilityState.Vectorised;
        Tensor values;
        if (tensor.DType == DType.Float32)
        {
            var v = tensor.Span<float>().ToArray();
            for (int i = 0; i < v.Length; i++) v[i] = ErrorFunction.Erfinv(v[i], fused);
            values = Tensor.FromArray(v, tensor.Shape);
        }
        else
        {
            var v = tensor.Span<double>().ToArray();
            for (int i = 0; i < v.Length; i++) v[i] = ErrorFunction.Erfinv(v[i], fused);
            values = Tensor.FromArray(v, tensor.Shape);
        }
        tensor.CopyRaw(values);
        tensor.BumpVersion();
    }

    private static long CorrectFan(Tensor tensor, string mode)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out"),
        };
    }
}
