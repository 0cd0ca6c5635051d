using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>GEMM shapes that matter: square, a Linear layer's x·Wᵀ (64×784 by 784×256), and a single row (matrix-vector).</summary>
public class GemmBenchmarks
{
    private Tensor _square256 = null!, _square1024 = null!, _batch = null!, _row = null!, _weight = null!;

    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        _square256 = Torch.Randn(256, 256);
        _square1024 = Torch.Randn(1024, 1024);
        _batch = Torch.Randn(64, 784);
        _row = Torch.Randn(1, 784);
        _weight = Torch.Randn(256, 784);
    }

    [Benchmark] public Tensor Square256() => _square256.Matmul(_square256);

    [Benchmark] public Tensor Square1024() => _square1024.Matmul(_square1024);

    [Benchmark(Description = "64x784 · (256x784)ᵀ")] public Tensor LinearBatch64() => _batch.Matmul(_weight.T());

    [Benchmark(Description = "1x784 · (256x784)ᵀ")] public Tensor LinearRow() => _row.Matmul(_weight.T());
}
