using Nabla.NN;

namespace Nabla.Tests.Attention;

/// <summary>The C# side of each module case of gen_attention.py: the same constructor and the same forward call, by case name.</summary>
internal static class AttentionModuleCases
{
    public sealed record Case(Func<Module> Build, Func<Module, Dictionary<string, Tensor>, Tensor?[]> Forward);

    private static Tensor?[] Mha(Module m, Dictionary<string, Tensor> x, bool needWeights = true, bool average = true)
    {
        var q = x["query"];
        var k = x.GetValueOrDefault("key") ?? q;
        var v = x.GetValueOrDefault("value") ?? k;
        var (o, w) = ((MultiheadAttention)m).Forward(q, k, v, x.GetValueOrDefault("kpm"), needWeights, x.GetValueOrDefault("attn_mask"), average);
        return [o, w];
    }

    private static Tensor?[] EncoderLayer(Module m, Dictionary<string, Tensor> x)
        => [((TransformerEncoderLayer)m).Forward(x["src"], x.GetValueOrDefault("mask"), x.GetValueOrDefault("kpm"))];

    private static Tensor?[] DecoderLayer(Module m, Dictionary<string, Tensor> x)
    {
        Tensor tgt = x["tgt"], memory = x["memory"];
        Tensor? tgtMask = x.GetValueOrDefault("tgt_mask"), memoryMask = x.GetValueOrDefault("memory_mask");
        Tensor? tgtKpm = x.GetValueOrDefault("tgt_kpm"), memoryKpm = x.GetValueOrDefault("memory_kpm");
        return m switch
        {
            TransformerDecoderLayer l => [l.Forward(tgt, memory, tgtMask, memoryMask, tgtKpm, memoryKpm)],
            _ => [((TransformerDecoder)m).Forward(tgt, memory, tgtMask, memoryMask, tgtKpm, memoryKpm)],
        };
    }

    private static Tensor?[] EncoderStack(Module m, Dictionary<string, Tensor> x)
        => [((TransformerEncoder)m).Forward(x["src"], mask: x.GetValueOrDefault("mask"), srcKeyPaddingMask: x.GetValueOrDefault("kpm"))];

    private static Tensor?[] FullTransformer(Module m, Dictionary<string, Tensor> x)
        => [((Transformer)m).Forward(x["src"], x["tgt"], srcMask: x.GetValueOrDefault("src_mask"), tgtMask: x.GetValueOrDefault("tgt_mask"),
            srcKeyPaddingMask: x.GetValueOrDefault("src_kpm"), memoryKeyPaddingMask: x.GetValueOrDefault("memory_kpm"))];

    public static readonly Dictionary<string, Case> Mha_ = new()
    {
        ["self_seq_first"] = new(() => new MultiheadAttention(8, 2), (m, x) => Mha(m, x)),
        ["cross_batch_first_bool_masks_per_head"] = new(() => new MultiheadAttention(8, 4, batchFirst: true), (m, x) => Mha(m, x, average: false)),
        ["kdim_vdim_no_bias_float_mask"] = new(() => new MultiheadAttention(6, 3, bias: false, kdim: 5, vdim: 7, batchFirst: true), (m, x) => Mha(m, x)),
        ["bias_kv_zero_attn_3d_mask"] = new(() => new MultiheadAttention(8, 2, addBiasKv: true, addZeroAttn: true), (m, x) => Mha(m, x)),
        ["float_mask_and_bool_padding"] = new(() => new MultiheadAttention(8, 2, batchFirst: true), (m, x) => Mha(m, x)),
        ["unbatched_3d_mask"] = new(() => new MultiheadAttention(8, 2), (m, x) => Mha(m, x, average: false)),
        ["unbatched_float_padding"] = new(() => new MultiheadAttention(4, 1), (m, x) => Mha(m, x)),
        ["no_weights"] = new(() => new MultiheadAttention(8, 4, batchFirst: true), (m, x) => Mha(m, x, needWeights: false)),
        ["float64"] = new(() => new MultiheadAttention(6, 2, addBiasKv: true, dtype: DType.Float64), (m, x) => Mha(m, x)),
        ["dropout_train"] = new(() => new MultiheadAttention(8, 2, dropout: 0.25, batchFirst: true), (m, x) => Mha(m, x)),
    };

    public static readonly Dictionary<string, Case> Transformer_ = new()
    {
        ["encoder_layer_post_norm_relu"] = new(() => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0), EncoderLayer),
        ["encoder_layer_pre_norm_gelu_padding"] = new(() => new TransformerEncoderLayer(8, 4, dimFeedforward: 12, dropout: 0.0, activation: "gelu",
            batchFirst: true, normFirst: true, layerNormEps: 1e-3), EncoderLayer),
        ["encoder_layer_function_activation_bool_mask"] = new(() => new TransformerEncoderLayer(6, 2, dimFeedforward: 10, dropout: 0.0,
            activation: (Func<Tensor, Tensor>)(t => t.Tanh()), batchFirst: true), EncoderLayer),
        ["encoder_layer_unbatched"] = new(() => new TransformerEncoderLayer(4, 2, dimFeedforward: 8, dropout: 0.0), EncoderLayer),
        ["encoder_layer_float64"] = new(() => new TransformerEncoderLayer(4, 2, dimFeedforward: 8, dropout: 0.0, dtype: DType.Float64, normFirst: true), EncoderLayer),
        ["encoder_layer_dropout_train"] = new(() => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.2, batchFirst: true), EncoderLayer),
        ["decoder_layer_post_norm"] = new(() => new TransformerDecoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0), DecoderLayer),
        ["decoder_layer_pre_norm_batch_first"] = new(() => new TransformerDecoderLayer(8, 4, dimFeedforward: 16, dropout: 0.0, activation: "gelu",
            batchFirst: true, normFirst: true), DecoderLayer),
        ["encoder_stack_norm"] = new(() => new TransformerEncoder(new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0, batchFirst: true), 2,
            norm: new LayerNorm(8)), EncoderStack),
        ["decoder_stack"] = new(() => new TransformerDecoder(new TransformerDecoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0), 2), DecoderLayer),
        ["transformer"] = new(() => new Transformer(dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0.0,
            batchFirst: true), FullTransformer),
        ["transformer_pre_norm_seq_first"] = new(() => new Transformer(dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 8,
            dropout: 0.0, normFirst: true, activation: "gelu"), FullTransformer),
    };

    public static Case For(string group, string name) => (group == "mha" ? Mha_ : Transformer_)[name];
}
