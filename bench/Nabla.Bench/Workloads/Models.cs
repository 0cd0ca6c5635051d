using Nabla.NN;
using TorchSharp;
using TsParameter = TorchSharp.Modules.Parameter;

namespace Nabla.Bench;

/// <summary>The benchmark models in Nabla, written as a PyTorch user would.</summary>
internal static class NablaModels
{
    /// <summary>784-256-128-10 with ReLUs: the classic MNIST MLP.</summary>
    public static NN.Sequential Mlp() => new(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));

    /// <summary>LeNet-5 on 1×28×28 (no padding, so the flattened features are 16×4×4 = 256).</summary>
    public static NN.Sequential LeNet() => new(
        new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(256, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
}

/// <summary>The same models in TorchSharp; parameter names match Nabla's (<c>0.weight</c>, ...) so weights can be copied by name.</summary>
internal static class TorchSharpModels
{
    public static torch.nn.Module<torch.Tensor, torch.Tensor> Mlp() => torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10));

    public static torch.nn.Module<torch.Tensor, torch.Tensor> LeNet() => torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(256, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10));
}

/// <summary>Moves values between Nabla and TorchSharp so both sides start from identical weights and inputs.</summary>
internal static class TorchSharpInterop
{
    public static torch.Tensor ToTorchSharp(this Tensor t) => t.DType switch
    {
        DType.Float32 => torch.tensor(t.Contiguous().ToArray<float>(), t.Shape),
        DType.Int64 => torch.tensor(t.Contiguous().ToArray<long>(), t.Shape),
        _ => throw new NotSupportedException($"no TorchSharp conversion for {t.DType}"),
    };

    /// <summary>Copies every parameter of <paramref name="from"/> into the parameter of the same name in <paramref name="to"/>.</summary>
    public static void CopyParameters(Module from, torch.nn.Module to)
    {
        var targets = to.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var sources = from.NamedParameters().ToList();
        if (sources.Count != targets.Count) throw new InvalidOperationException($"Nabla has {sources.Count} parameters, TorchSharp {targets.Count}");
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in sources)
        {
            if (!targets.TryGetValue(name, out TsParameter? target)) throw new InvalidOperationException($"TorchSharp model has no parameter '{name}'");
            using var value = parameter.ToTorchSharp();
            target.copy_(value);
        }
    }
}
