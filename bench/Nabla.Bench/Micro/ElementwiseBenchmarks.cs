using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>Memory-bound kernels on 1M floats.</summary>
public class ElementwiseBenchmarks
{
    private Tensor _a = null!, _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        _a = Torch.Randn(1 << 20);
        _b = Torch.Randn(1 << 20);
    }

    [Benchmark(Description = "a + b, 1M")] public Tensor Add() => _a + _b;

    [Benchmark(Description = "a.Sum(), 1M")] public Tensor Sum() => _a.Sum();
}
