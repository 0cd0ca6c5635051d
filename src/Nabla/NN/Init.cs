using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>Parameter initialisers (<c>torch.nn.init</c>), drawing from the generator exactly as PyTorch does.</summary>
public static partial class Init
{
    /// <summary>(fan_in, fan_out) of a weight: dim 1 and dim 0 times the receptive field (<c>_calculate_fan_in_and_fan_out</c>).</summary>
    public static (long FanIn, long FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        if (tensor.Dim < 2)
            throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        long receptive = 1;
        for (int i = 2; i < tensor.Dim; i++) receptive *= tensor.Size(i);
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    /// <summary>The recommended gain for a nonlinearity (<c>calculate_gain</c>).</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>Fills with U(a, b) (<c>nn.init.uniform_</c>).</summary>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return tensor.Uniform_(a, b, generator);
    }

    /// <summary>Fills with N(mean, std²) (<c>nn.init.normal_</c>).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return tensor.Normal_(mean, std, generator);
    }

    /// <summary>Kaiming/He uniform init (<c>nn.init.kaiming_uniform_</c>): U(-bound, bound), bound = gain * sqrt(3 / fan).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        long fan = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out"),
        };
        // Same double operations as PyTorch, so the bound (and every sample) is bit-identical.
        double gain = CalculateGain(nonlinearity, a);
        double std = gain / Math.Sqrt(fan);
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound, generator);
    }
}
