using Nabla;
using Nabla.NN;
using F = Nabla.NN.Functional;

namespace CharGpt;

/// <summary>Causal self-attention: one projection to queries, keys and values, heads attending to earlier positions only, and an output projection.</summary>
internal sealed class CausalSelfAttention(long dModel, long heads) : Module
{
    private readonly Linear qkv = new(dModel, 3 * dModel);
    private readonly Linear proj = new(dModel, dModel);

    public override Tensor Forward(Tensor x)
    {
        long b = x.Size(0), t = x.Size(1), headDim = dModel / heads;
        var parts = qkv.Call(x).Reshape(b, t, 3, heads, headDim).Permute(2, 0, 3, 1, 4);
        var y = F.ScaledDotProductAttention(parts.Select(0, 0), parts.Select(0, 1), parts.Select(0, 2), isCausal: true);
        return proj.Call(y.Permute(0, 2, 1, 3).Reshape(b, t, dModel));
    }
}

/// <summary>A pre-norm Transformer block: x + attention(norm(x)), then x + MLP(norm(x)).</summary>
internal sealed class Block(long dModel, long heads) : Module
{
    private readonly LayerNorm ln1 = new(dModel);
    private readonly CausalSelfAttention attn = new(dModel, heads);
    private readonly LayerNorm ln2 = new(dModel);
    private readonly Linear fc = new(dModel, 4 * dModel);
    private readonly Linear fcOut = new(4 * dModel, dModel);

    public override Tensor Forward(Tensor x)
    {
        x = x + attn.Call(ln1.Call(x));
        return x + fcOut.Call(F.Gelu(fc.Call(ln2.Call(x))));
    }
}

/// <summary>
/// A decoder-only character model: token and position embeddings, pre-norm blocks, a final norm, and logits from the token embedding
/// itself (weight tying: the output layer is the transposed embedding, so it has no weights of its own).
/// </summary>
internal sealed class Gpt : Module
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList blocks;
    private readonly LayerNorm lnF;

    public long BlockSize { get; }

    public Gpt(long vocab, long blockSize, long dModel, long heads, long layers)
    {
        BlockSize = blockSize;
        tokens = new Embedding(vocab, dModel);
        positions = new Embedding(blockSize, dModel);
        blocks = new ModuleList(Enumerable.Range(0, (int)layers).Select(_ => (Module)new Block(dModel, heads)));
        lnF = new LayerNorm(dModel);
        // GPT-2's init: small normal weights, which suit the tied embedding as an output layer.
        foreach (var (name, p) in NamedParameters())
            if (name.EndsWith("weight", StringComparison.Ordinal) && p.Dim == 2) Init.Normal_(p, 0, 0.02);
    }

    /// <summary>Logits <c>[batch, time, vocab]</c> for token ids <c>[batch, time]</c>, time at most <see cref="BlockSize"/>.</summary>
    public override Tensor Forward(Tensor idx)
    {
        long t = idx.Size(1);
        var x = tokens.Call(idx) + positions.Weight.Narrow(0, 0, t);
        foreach (var block in blocks) x = block.Call(x);
        return F.Linear(lnF.Call(x), tokens.Weight);
    }
}
