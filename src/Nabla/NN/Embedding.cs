namespace Nabla.NN;

/// <summary>A lookup table of vectors indexed by integers (<c>torch.nn.Embedding</c>); weight drawn from N(0, 1), the padding row zeroed.</summary>
public class Embedding : Module
{
    /// <summary>The table, [num_embeddings, embedding_dim] (state key <c>weight</c>).</summary>
    [StateName("weight")] public Parameter Weight;

    /// <summary>Rows in the table.</summary>
    public long NumEmbeddings { get; }

    /// <summary>Size of each vector.</summary>
    public long EmbeddingDim { get; }

    /// <summary>The row that stays zero and gets no gradient (non-negative), or null.</summary>
    public long? PaddingIdx { get; }

    /// <summary>Creates the table (<c>nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)</c>); a negative padding index counts from the end.</summary>
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, DType dtype = DType.Float32)
    {
        if (paddingIdx is { } p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings) throw new ArgumentException("Padding_idx must be within num_embeddings");
            PaddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = new Parameter(Torch.Empty([numEmbeddings, embeddingDim], dtype));
        ResetParameters();
    }

    /// <summary>Re-draws the weight from N(0, 1) and zeroes the padding row (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        Init.Normal_(Weight);
        if (PaddingIdx is { } p)
            using (Torch.NoGrad()) Weight.Select(0, p).Fill_(0);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is { } p ? $", padding_idx={p}" : "");
}
