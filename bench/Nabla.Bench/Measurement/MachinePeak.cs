using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Bench;

/// <summary>
/// The machine's fp32 FMA peak as this process sees it: independent FMA chains that live in registers, enough
/// of them (12) to cover FMA latency (4-5 cycles) on two FMA pipes, run on 1..n threads at once.
/// </summary>
internal static class MachinePeak
{
    private const int Chains = 12;
    private const long Iterations = 20_000_000;

    /// <summary>Best of three runs, in GFLOPS, with <paramref name="threads"/> threads each running the loop.</summary>
    public static double Gflops(int vectorBits, int threads)
    {
        Func<long, float> loop = vectorBits == 512 ? FmaChains<Width512, Vector512<float>> : FmaChains<Width256, Vector256<float>>;
        double flops = 2.0 * (vectorBits / 32) * Chains * Iterations * threads;
        loop(1000); // JIT before timing
        return Enumerable.Range(0, 3).Max(_ => flops / TimeOnThreads(loop, threads) / 1e9);
    }

    private static double TimeOnThreads(Func<long, float> loop, int threads)
    {
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => { start.SignalAndWait(); Sink(loop(Iterations)); })).ToList();
        workers.ForEach(w => w.Start());
        start.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        workers.ForEach(w => w.Join());
        return Stopwatch.GetElapsedTime(begin).TotalSeconds;
    }

    // Fully optimised at once: a tier-0 or on-stack-replaced loop would keep the accumulators in memory.
    // acc = acc * m + c converges to c / (1 - m): no overflow, no denormals to slow the loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains<TWidth, TVector>(long iterations) where TWidth : IFmaWidth<TVector>
    {
        TVector m = TWidth.Broadcast(0.999f), c = TWidth.Broadcast(0.001f);
        TVector a0 = TWidth.Broadcast(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TWidth.Fma(a0, m, c); a1 = TWidth.Fma(a1, m, c); a2 = TWidth.Fma(a2, m, c); a3 = TWidth.Fma(a3, m, c);
            a4 = TWidth.Fma(a4, m, c); a5 = TWidth.Fma(a5, m, c); a6 = TWidth.Fma(a6, m, c); a7 = TWidth.Fma(a7, m, c);
            a8 = TWidth.Fma(a8, m, c); a9 = TWidth.Fma(a9, m, c); a10 = TWidth.Fma(a10, m, c); a11 = TWidth.Fma(a11, m, c);
        }
        var (b0, b1, b2) = (TWidth.Add(TWidth.Add(a0, a1), TWidth.Add(a2, a3)), TWidth.Add(TWidth.Add(a4, a5), TWidth.Add(a6, a7)), TWidth.Add(TWidth.Add(a8, a9), TWidth.Add(a10, a11)));
        return TWidth.Sum(TWidth.Add(TWidth.Add(b0, b1), b2));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sink(float _) { }

    /// <summary>One vector width, plugged into the loop as a struct so the JIT compiles it per width.</summary>
    private interface IFmaWidth<TVector>
    {
        static abstract TVector Broadcast(float value);
        static abstract TVector Fma(TVector a, TVector b, TVector c);
        static abstract TVector Add(TVector a, TVector b);
        static abstract float Sum(TVector value);
    }

    private readonly struct Width256 : IFmaWidth<Vector256<float>>
    {
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
        public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
        public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    }

    private readonly struct Width512 : IFmaWidth<Vector512<float>>
    {
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
        public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    }
}
