using System.Text.Json;
using Nabla.Data;
using Xunit;

namespace Nabla.Tests.Data;

/// <summary>random_split and DataLoader orders equal PyTorch 1.13's for the same seed (goldens from gen_data.py).</summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class DataGoldenTests
{
    private static JsonElement Golden => Goldens.Load("data");

    /// <summary>A dataset of the numbers 0..n-1 as int64 0-d tensors, as <c>TensorDataset(torch.arange(n))</c> yields them.</summary>
    private sealed class Numbers(int n) : Dataset<Tensor>
    {
        private readonly Tensor _values = Torch.Arange(n);
        public override int Count => n;
        public override Tensor this[int index] => _values[index];
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static long[] After(Generator? g) => Torch.Randint(0, 1000, [3], generator: g).ToArray<long>();

    [Fact]
    public void EmptyInt64RandomIsAWordModulo2To63()
    {
        foreach (var c in Golden.GetProperty("random_int64").EnumerateArray())
        {
            Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var expected = c.GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            Assert.Equal(expected, expected.Select(_ => SampleOrder.RandomInt64(Generator.Default)).ToArray());
        }
    }

    [Fact]
    public void RandomSplitIndicesMatchPyTorch()
    {
        foreach (var c in Golden.GetProperty("random_split").EnumerateArray())
        {
            int n = c.GetProperty("n").GetInt32();
            var lengths = c.GetProperty("lengths").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Generator? g = null;
            if (c.GetProperty("generator").GetBoolean()) g = new Generator().ManualSeed(c.GetProperty("seed").GetInt64());
            else Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var split = Dataset.RandomSplit(new Numbers(n), lengths, g);
            var expected = c.GetProperty("indices").EnumerateArray().Select(Ints).ToArray();
            Assert.Equal(expected.Length, split.Count);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], split[i].Indices);
            Assert.Equal(c.GetProperty("after").EnumerateArray().Select(x => x.GetInt64()), After(g));
        }
    }

    [Fact]
    public void DataLoaderBatchesMatchPyTorch()
    {
        foreach (var c in Golden.GetProperty("loader").EnumerateArray())
        {
            int n = c.GetProperty("n").GetInt32();
            Generator? g = null;
            if (c.GetProperty("generator").GetBoolean()) g = new Generator().ManualSeed(c.GetProperty("seed").GetInt64());
            else Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var loader = new DataLoader<Tensor>(new Numbers(n), batchSize: c.GetProperty("batch_size").GetInt32(),
                shuffle: c.GetProperty("shuffle").GetBoolean(), dropLast: c.GetProperty("drop_last").GetBoolean(), generator: g);
            Assert.Equal(c.GetProperty("len").GetInt32(), loader.Count);
            foreach (var epoch in c.GetProperty("epochs").EnumerateArray())
            {
                var expected = epoch.EnumerateArray().Select(Ints).ToArray();
                var actual = loader.Select(b => b.ToArray<long>().Select(v => (int)v).ToArray()).ToArray();
                Assert.Equal(expected, actual);
            }
            Assert.Equal(c.GetProperty("after").EnumerateArray().Select(x => x.GetInt64()), After(g));
        }
    }

    [Fact]
    public void PrefetchingGivesTheSameBatchesAndGeneratorState()
    {
        var plain = Batches(prefetch: 0, out var afterPlain);
        var ahead = Batches(prefetch: 3, out var afterAhead);
        Assert.Equal(plain, ahead);
        Assert.Equal(afterPlain, afterAhead);

        static long[][] Batches(int prefetch, out long[] after)
        {
            Torch.ManualSeed(9);
            var loader = new DataLoader<Tensor>(new Numbers(50), batchSize: 8, shuffle: true, prefetch: prefetch);
            var batches = loader.Concat(loader).Select(b => b.ToArray<long>()).ToArray();
            after = After(null);
            return batches;
        }
    }
}
