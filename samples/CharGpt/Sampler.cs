using Nabla;

namespace CharGpt;

/// <summary>
/// Draws one index per row of a probability matrix by inverting the cumulative sum at a uniform draw from the default generator.
/// A stand-in until <c>Torch.Multinomial(probs, numSamples: 1)</c> is in the library: replace this class with that call then.
/// </summary>
internal static class Sampler
{
    public static long Draw(Tensor probs)
    {
        var cumulative = probs.Cumsum(-1).ToArray<float>();
        float u = Torch.Rand(1).ToArray<float>()[0] * cumulative[^1];
        int i = Array.FindIndex(cumulative, c => c > u);
        return i < 0 ? cumulative.Length - 1 : i;
    }
}
