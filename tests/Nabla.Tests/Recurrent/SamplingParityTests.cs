using Xunit;

namespace Nabla.Tests.Recurrent;

/// <summary>torch.multinomial and torch.bernoulli draws of gen_rnn.py, bit for bit after the same seed, and the stream position after them.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class SamplingParityTests
{
    public static TheoryData<int> MultinomialCases() => [.. Enumerable.Range(0, Goldens.Load("rnn").GetProperty("multinomial").GetArrayLength())];

    public static TheoryData<int> BernoulliCases() => [.. Enumerable.Range(0, Goldens.Load("rnn").GetProperty("bernoulli").GetArrayLength())];

    [Theory]
    [MemberData(nameof(MultinomialCases))]
    public void MultinomialDrawsArePyTorchsBitForBit(int index)
    {
        var golden = Goldens.Load("rnn").GetProperty("multinomial")[index];
        var probs = Goldens.Tensor(golden.GetProperty("probs"));
        if (golden.GetProperty("transposed").GetBoolean()) probs = probs.T().Contiguous().T();
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var result = Torch.Multinomial(probs, golden.GetProperty("num_samples").GetInt64(), golden.GetProperty("replacement").GetBoolean());
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("result")), result, $"case {index}");
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("rand_after")), Torch.Rand(3), $"case {index}: generator position after drawing");
    }

    [Theory]
    [MemberData(nameof(BernoulliCases))]
    public void BernoulliDrawsArePyTorchsBitForBit(int index)
    {
        var golden = Goldens.Load("rnn").GetProperty("bernoulli")[index];
        var probs = Goldens.Tensor(golden.GetProperty("probs"));
        var p = golden.GetProperty("p");
        long seed = golden.GetProperty("seed").GetInt64();
        Torch.ManualSeed(seed);
        var result = p.ValueKind == System.Text.Json.JsonValueKind.Null ? Torch.Bernoulli(probs) : Torch.Bernoulli(probs, p.GetDouble());
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("result")), result, $"case {index}");
        Torch.ManualSeed(seed);
        var inplace = Torch.Zeros(probs.Shape, probs.DType);
        if (p.ValueKind == System.Text.Json.JsonValueKind.Null) inplace.Bernoulli_(probs);
        else inplace.Bernoulli_(p.GetDouble());
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("inplace")), inplace, $"case {index}: bernoulli_");
    }

    [Fact]
    public void MultinomialChecksArePyTorchs()
    {
        var p = Torch.Tensor(new[] { 0.2f, 0.8f });
        Assert.Equal("cannot sample n_sample > prob_dist.size(-1) samples without replacement", Assert.Throws<ArgumentException>(() => Torch.Multinomial(p, 3)).Message);
        Assert.Equal("cannot sample n_sample <= 0 samples", Assert.Throws<ArgumentException>(() => Torch.Multinomial(p, 0)).Message);
        Assert.Equal("prob_dist must be 1 or 2 dim", Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Ones(2, 2, 2), 1)).Message);
        Assert.Equal("probability tensor contains either `inf`, `nan` or element < 0",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Tensor(new[] { -0.1f, 1f }), 1)).Message);
        Assert.Equal("invalid multinomial distribution (sum of probabilities <= 0)",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Zeros(2, 3), 1, replacement: true)).Message);
        Assert.Equal(DType.Int64, Torch.Multinomial(p, 2, replacement: true).DType);
    }
}
