using Nabla.Data;
using Xunit;

namespace Nabla.Tests.Data;

/// <summary>DataLoader's collate step, prefetch and argument checks; TensorDataset and the bundled digits.</summary>
public sealed class DataLoaderTests
{
    private static TensorDataset Pairs(int n) =>
        new(Torch.Arange(n * 2).To(DType.Float32).View(n, 2), Torch.Arange(n));

    [Fact]
    public void TupleSamplesAreStackedElementwise()
    {
        var loader = new DataLoader<(Tensor, Tensor)>(Pairs(5), batchSize: 2, generator: new Generator());
        var batches = loader.ToArray();
        Assert.Equal(3, batches.Length);
        Assert.Equal([2L, 2], batches[0].Item1.Shape);
        Assert.Equal([0f, 1, 2, 3], batches[0].Item1.ToArray<float>());
        Assert.Equal([1L, 2], batches[2].Item1.Shape);
        Assert.Equal([8f, 9], batches[2].Item1.ToArray<float>());
        Assert.Equal([4L], batches[2].Item2.ToArray<long>());
    }

    [Fact]
    public void ArraySamplesAreStackedPerPosition()
    {
        var data = Pairs(4);
        var arrays = new Subset<(Tensor, Tensor)>(data, [3, 1]);
        var loader = new DataLoader<Tensor[]>(new ArrayView(arrays), batchSize: 2, generator: new Generator());
        var batch = Assert.Single(loader);
        Assert.Equal([6f, 7, 2, 3], batch[0].ToArray<float>());
        Assert.Equal([3L, 1], batch[1].ToArray<long>());
    }

    private sealed class ArrayView(Dataset<(Tensor, Tensor)> pairs) : Dataset<Tensor[]>
    {
        public override int Count => pairs.Count;
        public override Tensor[] this[int index] => [pairs[index].Item1, pairs[index].Item2];
    }

    [Fact]
    public void OtherSampleTypesNeedACollateFunction()
    {
        var loader = new DataLoader<string>(new Words(), batchSize: 2, generator: new Generator());
        var e = Assert.Throws<NotSupportedException>(() => loader.First());
        Assert.Contains("collate", e.Message, StringComparison.Ordinal);
        var joined = new DataLoader<string>(new Words(), batchSize: 2, collate: s => string.Join("+", s), generator: new Generator());
        Assert.Equal(["a+b", "c"], joined.ToArray());
    }

    private sealed class Words : Dataset<string>
    {
        public override int Count => 3;
        public override string this[int index] => "abc"[index].ToString();
    }

    [Fact]
    public void PrefetchRethrowsTheDatasetsErrorAfterTheBatchesBefore()
    {
        var loader = new DataLoader<Tensor>(new Failing(), batchSize: 1, prefetch: 2, generator: new Generator());
        var seen = new List<long>();
        Assert.Throws<InvalidDataException>(() => { foreach (var b in loader) seen.Add(b.ToArray<long>()[0]); });
        Assert.Equal([0L, 1], seen);
    }

    private sealed class Failing : Dataset<Tensor>
    {
        public override int Count => 4;
        public override Tensor this[int index] => index < 2 ? Torch.Tensor(index) : throw new InvalidDataException("bad sample");
    }

    [Fact]
    public void BadArgumentsUsePyTorchsMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataLoader<(Tensor, Tensor)>(Pairs(3), batchSize: 0));
        Assert.Equal("batch_size should be a positive integer value, but got batch_size=0", e.Message);
        var s = Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(Pairs(3), [1, 1], new Generator()));
        Assert.Equal("Sum of input lengths does not equal the length of the input dataset!", s.Message);
        var f = Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(Pairs(3), [1.5, -0.5], new Generator()));
        Assert.Equal("Fraction at index 0 is not between 0 and 1", f.Message);
        Assert.Equal("Size mismatch between tensors",
            Assert.Throws<ArgumentException>(() => new TensorDataset(Torch.Zeros(3, 2), Torch.Zeros(4))).Message);
    }

    [Fact]
    public void TheBundledDigitsLoadWithoutNetwork()
    {
        var digits = Digits.Load();
        Assert.Equal(1797, digits.Count);
        Assert.Equal([1797L, 1, 8, 8], digits.Inputs.Shape);
        var labels = digits.Targets.ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (long)d), labels.Distinct().Order());
        // The first row of the file is a 0: "0,0,5,13,9,1,0,0,..." ends with label 0.
        Assert.Equal(0L, labels[0]);
        Assert.Equal([0f, 0, 5 / 16f, 13 / 16f], digits[0].Item1.Reshape(-1).ToArray<float>().Take(4));
        var pixels = digits.Inputs.ToArray<float>();
        Assert.Equal(0f, pixels.Min());
        Assert.Equal(1f, pixels.Max());
    }
}
