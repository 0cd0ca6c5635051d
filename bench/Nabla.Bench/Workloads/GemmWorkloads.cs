using TorchSharp;

namespace Nabla.Bench;

/// <summary>Square fp32 matrix products, and one whose right operand is a transposed view as in <c>Linear</c> (x·Wᵀ).</summary>
internal static class GemmWorkloads
{
    public static IEnumerable<Workload> All()
    {
        foreach (int n in new[] { 64, 128, 256, 512, 1024, 2048 }) yield return Square(n, transposedRight: false);
        yield return Square(1024, transposedRight: true);
    }

    private static Workload Square(int n, bool transposedRight) => new(Section.Gemm, transposedRight ? $"GEMM {n} x Wᵀ" : $"GEMM {n}", () =>
    {
        Torch.ManualSeed(n);
        var a = Torch.Randn(n, n);
        var b = Torch.Randn(n, n);
        var nabla = new Contender(Library.Nabla, _ =>
        {
            var right = transposedRight ? b.T() : b;
            return new Step(() =>
            {
                using var c = a.Matmul(right); // disposed at once, as TorchSharp's is
            });
        });
        var torchSharp = new Contender(Library.TorchSharp, _ =>
        {
            var ta = a.ToTorchSharp();
            var tb = b.ToTorchSharp();
            var right = transposedRight ? tb.t() : tb;
            return new Step(() => Multiply(ta, right), () => { right.Dispose(); tb.Dispose(); ta.Dispose(); });
        });
        return new Contenders(nabla, torchSharp);
    }, FlopsPerIteration: 2.0 * n * n * n);

    // TorchSharp's result is disposed at once: without it libtorch memory is freed only by finalizers.
    private static void Multiply(torch.Tensor a, torch.Tensor b)
    {
        using var c = a.matmul(b);
    }
}
