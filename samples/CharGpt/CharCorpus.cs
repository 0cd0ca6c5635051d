using Nabla;

namespace CharGpt;

/// <summary>A text as character ids: the vocabulary is the sorted set of its characters; the first 90% trains, the rest validates.</summary>
internal sealed class CharCorpus
{
    private readonly char[] _chars;
    private readonly Dictionary<char, long> _ids;
    private readonly long[] _train, _val;

    public CharCorpus(string text)
    {
        _chars = text.Distinct().Order().ToArray();
        _ids = _chars.Select((c, i) => (c, (long)i)).ToDictionary(p => p.c, p => p.Item2);
        var ids = Encode(text);
        int split = ids.Length * 9 / 10;
        _train = ids[..split];
        _val = ids[split..];
    }

    public int VocabSize => _chars.Length;

    public int TrainLength => _train.Length;

    public int ValLength => _val.Length;

    public long[] Encode(string s) => s.Select(c => _ids[c]).ToArray();

    public string Decode(IEnumerable<long> ids) => new(ids.Select(i => _chars[i]).ToArray());

    /// <summary>
    /// <paramref name="batch"/> random windows of <paramref name="block"/> characters and the same windows one character later
    /// (the targets), as <c>[batch, block]</c> int64 tensors. Offsets come from <paramref name="random"/>.
    /// </summary>
    public (Tensor X, Tensor Y) Batch(bool train, int batch, int block, Random random)
    {
        var data = train ? _train : _val;
        var x = new long[batch * block];
        var y = new long[batch * block];
        for (int b = 0; b < batch; b++)
        {
            int start = random.Next(data.Length - block - 1);
            Array.Copy(data, start, x, b * block, block);
            Array.Copy(data, start + 1, y, b * block, block);
        }
        return (Tensor.FromArray(x, [batch, block]), Tensor.FromArray(y, [batch, block]));
    }
}
