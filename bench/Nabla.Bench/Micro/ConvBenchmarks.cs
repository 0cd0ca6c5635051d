using BenchmarkDotNet.Attributes;
using Nabla.NN;

namespace Nabla.Bench;

/// <summary>LeNet's two convolutions, forward only, at batch 64.</summary>
public class ConvBenchmarks
{
    private Tensor _image = null!, _features = null!, _weight1 = null!, _bias1 = null!, _weight2 = null!, _bias2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        _image = Torch.Randn(64, 1, 28, 28);
        _features = Torch.Randn(64, 6, 12, 12);
        (_weight1, _bias1) = (Torch.Randn(6, 1, 5, 5), Torch.Randn(6));
        (_weight2, _bias2) = (Torch.Randn(16, 6, 5, 5), Torch.Randn(16));
    }

    [Benchmark(Description = "Conv2d 1→6 k5 on 64x1x28x28")] public Tensor Conv1() => Functional.Conv2d(_image, _weight1, _bias1);

    [Benchmark(Description = "Conv2d 6→16 k5 on 64x6x12x12")] public Tensor Conv2() => Functional.Conv2d(_features, _weight2, _bias2);
}
