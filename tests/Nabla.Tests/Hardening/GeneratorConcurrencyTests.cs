using Nabla.Tests.Core;
using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>
/// A generator shared by threads hands each draw call a disjoint stretch of its stream, as PyTorch's locked generator
/// does: whatever the interleaving, the blocks drawn are exactly the blocks a serial run draws, in some order, and the
/// generator ends in the serial run's state.
/// </summary>
public class GeneratorConcurrencyTests
{
    private const int Threads = 8;
    private const int BlocksPerThread = 200;

    /// <summary>Each block as its bit patterns, so equal blocks compare equal and the multiset can be sorted.</summary>
    private static string Key(Tensor block) => string.Join(",", block.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));

    private static List<string> Serial(long seed, Func<Generator, Tensor> draw, out uint[] after)
    {
        var g = new Generator().ManualSeed(seed);
        var blocks = Enumerable.Range(0, Threads * BlocksPerThread).Select(_ => Key(draw(g))).ToList();
        after = NextWords(g);
        return blocks;
    }

    private static List<string> Concurrent(long seed, Func<Generator, Tensor> draw, out uint[] after)
    {
        var g = new Generator().ManualSeed(seed);
        var perThread = new List<string>[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            var mine = new List<string>(BlocksPerThread);
            start.SignalAndWait();
            for (int k = 0; k < BlocksPerThread; k++)
                mine.Add(Key(draw(g)));
            perThread[i] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        after = NextWords(g);
        return perThread.SelectMany(blocks => blocks).ToList();
    }

    // 700 words pin down all 624 words of mt19937's state.
    private static uint[] NextWords(Generator g) => Enumerable.Range(0, 700).Select(_ => g.Random()).ToArray();

    public static TheoryData<string> Draws() => ["randn16", "randn40", "randn1", "rand5", "randint7", "randperm9", "normalScalar5"];

    private static Func<Generator, Tensor> Draw(string name) => name switch
    {
        // The vector path (one block, and blocks with a redrawn tail), the scalar path with its cached second value,
        // uniforms, the discrete draws, and the scalar path over a whole tensor (what a non-contiguous normal_ needs).
        "randn16" => g => Torch.Randn([16], generator: g),
        "randn40" => g => Torch.Randn([40], generator: g),
        "randn1" => g => Torch.Randn([1], generator: g),
        "rand5" => g => Torch.Rand([5], generator: g),
        "randint7" => g => Torch.Randint(0, 1000, [7], generator: g),
        "randperm9" => g => Torch.Randperm(9, generator: g),
        _ => NormalScalarBlock,
    };

    private static Tensor NormalScalarBlock(Generator g)
    {
        var values = new double[5];
        g.FillNormalScalar(values, 0, 1);
        return Torch.Tensor(values, DType.Float64);
    }

    [Theory]
    [MemberData(nameof(Draws))]
    public void ConcurrentDrawsAreTheSerialBlocksInSomeOrder(string draw)
    {
        var serial = Serial(1234, Draw(draw), out var serialAfter);
        var concurrent = Concurrent(1234, Draw(draw), out var concurrentAfter);

        Assert.Equal(serial.Order(StringComparer.Ordinal), concurrent.Order(StringComparer.Ordinal));
        Assert.Equal(serialAfter, concurrentAfter);
    }

    [Fact]
    public void ConcurrentWordsAreTheSerialWords()
    {
        var serial = new Generator().ManualSeed(7);
        var expected = Enumerable.Range(0, Threads * 5000).Select(_ => serial.Random()).Order().ToArray();
        var shared = new Generator().ManualSeed(7);
        var drawn = new uint[Threads][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads },
            i => drawn[i] = Enumerable.Range(0, 5000).Select(_ => shared.Random()).ToArray());
        Assert.Equal(expected, drawn.SelectMany(words => words).Order().ToArray());
        Assert.Equal(NextWords(serial), NextWords(shared));
    }
}

/// <summary>The default generator shared by threads: concurrent <c>Torch.Randn</c> calls take disjoint stretches of its stream.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class DefaultGeneratorConcurrencyTests
{
    [Fact]
    public void ConcurrentRandnOnTheDefaultGeneratorMatchesSerialBlocks()
    {
        const int threads = 4, blocks = 100;
        Torch.ManualSeed(99);
        var serial = Enumerable.Range(0, threads * blocks).Select(_ => Key(Torch.Randn([16]))).Order(StringComparer.Ordinal).ToList();
        var serialNext = Torch.Randn([16]).ToArray<float>();

        Torch.ManualSeed(99);
        var drawn = new List<string>[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            i => drawn[i] = Enumerable.Range(0, blocks).Select(_ => Key(Torch.Randn([16]))).ToList());

        Assert.Equal(serial, drawn.SelectMany(b => b).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(serialNext, Torch.Randn([16]).ToArray<float>());
    }

    private static string Key(Tensor block) => string.Join(",", block.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
}
