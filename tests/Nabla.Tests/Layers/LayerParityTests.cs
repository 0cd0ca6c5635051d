using System.Text.Json;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Layers;

/// <summary>
/// Every layer case of gen_layers.py: built after Torch.ManualSeed like PyTorch, it must have PyTorch's default init (bit for bit),
/// repr, state_dict keys, forward output, grad_fn name, and gradients of (out * w).sum() for the input and each parameter.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class LayerParityTests
{
    // One line per case of gen_layers.py, same names and constructor arguments.
    private static readonly Dictionary<string, Func<Module>> Cases = new()
    {
        ["conv1d_basic"] = () => new Conv1d(3, 4, 3),
        ["conv1d_strided_groups"] = () => new Conv1d(4, 6, 5, stride: 2, padding: 2, groups: 2, bias: false),
        ["conv1d_same_dilated"] = () => new Conv1d(2, 3, 4, padding: "same", dilation: 2),
        ["conv1d_unbatched"] = () => new Conv1d(2, 3, 3, padding: 1),
        ["conv2d_basic"] = () => new Conv2d(3, 4, 3),
        ["conv2d_strided_dilated_groups"] = () => new Conv2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 2), dilation: (2, 1), groups: 2),
        ["conv2d_depthwise_same"] = () => new Conv2d(3, 6, 3, padding: "same", groups: 3, bias: false),
        ["conv2d_even_kernel_same"] = () => new Conv2d(2, 3, 4, padding: "same"),
        ["conv2d_valid"] = () => new Conv2d(2, 2, 3, padding: "valid"),
        ["conv2d_unbatched"] = () => new Conv2d(2, 3, 3, stride: 2),
        ["conv_transpose2d_basic"] = () => new ConvTranspose2d(3, 4, 3),
        ["conv_transpose2d_strided_groups"] = () => new ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2),
        ["conv_transpose2d_dilated"] = () => new ConvTranspose2d(2, 3, (3, 2), stride: (2, 3), dilation: 2, bias: false),
        ["conv_transpose2d_output_padding_dilation"] = () => new ConvTranspose2d(2, 2, 3, dilation: 2, outputPadding: 1),
        ["max_pool1d_basic"] = () => new MaxPool1d(3),
        ["max_pool1d_ceil_dilated"] = () => new MaxPool1d(3, stride: 2, padding: 1, dilation: 2, ceilMode: true),
        ["max_pool2d_basic"] = () => new MaxPool2d(2),
        ["max_pool2d_padded_dilated_ceil"] = () => new MaxPool2d((3, 2), stride: (2, 1), padding: 1, dilation: (1, 2), ceilMode: true),
        ["max_pool2d_ceil"] = () => new MaxPool2d(3, stride: 2, ceilMode: true),
        ["avg_pool1d_basic"] = () => new AvgPool1d(3),
        ["avg_pool1d_ceil_exclude_pad"] = () => new AvgPool1d(4, stride: 2, padding: 2, ceilMode: true, countIncludePad: false),
        ["avg_pool2d_basic"] = () => new AvgPool2d(2),
        ["avg_pool2d_ceil_exclude_pad"] = () => new AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
        ["avg_pool2d_include_pad"] = () => new AvgPool2d((3, 2), stride: (1, 2), padding: (1, 0)),
        ["avg_pool2d_divisor_override"] = () => new AvgPool2d(2, divisorOverride: 3),
        ["adaptive_avg_pool2d_uneven"] = () => new AdaptiveAvgPool2d((3, 4)),
        ["adaptive_avg_pool2d_global"] = () => new AdaptiveAvgPool2d(1),
        ["adaptive_avg_pool2d_none"] = () => new AdaptiveAvgPool2d(null, 3),
        ["batch_norm1d_2d_input"] = () => new BatchNorm1d(4),
        ["batch_norm1d_3d_input"] = () => new BatchNorm1d(4),
        ["batch_norm2d_train"] = () => new BatchNorm2d(3),
        ["batch_norm2d_momentum_none"] = () => new BatchNorm2d(3, momentum: null),
        ["batch_norm2d_no_affine"] = () => new BatchNorm2d(3, affine: false, eps: 1e-3, momentum: 0.3),
        ["batch_norm1d_no_running_stats"] = () => new BatchNorm1d(4, trackRunningStats: false),
        ["batch_norm1d_no_running_stats_eval"] = () => new BatchNorm1d(4, trackRunningStats: false),
        ["batch_norm2d_eval"] = () => new BatchNorm2d(3),
        ["layer_norm_basic"] = () => new LayerNorm(6),
        ["layer_norm_2d_shape"] = () => new LayerNorm([3, 4]),
        ["layer_norm_no_affine"] = () => new LayerNorm(5, elementwiseAffine: false),
        ["layer_norm_1d_input"] = () => new LayerNorm(4, eps: 1e-3),
        ["group_norm_basic"] = () => new GroupNorm(2, 6),
        ["group_norm_no_affine"] = () => new GroupNorm(3, 6, affine: false),
        ["group_norm_one_group"] = () => new GroupNorm(1, 4, eps: 1e-3),
        ["embedding_basic"] = () => new Embedding(10, 3),
        ["embedding_padding_idx"] = () => new Embedding(10, 3, paddingIdx: 0),
        ["embedding_negative_padding_idx"] = () => new Embedding(8, 4, paddingIdx: -1),
        ["embedding_16_rows"] = () => new Embedding(16, 2),
        ["dropout_train"] = () => new Dropout(0.3),
        ["dropout_eval"] = () => new Dropout(),
        ["flatten_default"] = () => new Flatten(),
        ["flatten_range"] = () => new Flatten(0, 2),
        ["unflatten"] = () => new Unflatten(1, [2, 3]),
        ["identity"] = () => new Identity(),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var p in Goldens.Load("layers").GetProperty("layers").EnumerateObject()) data.Add(p.Name);
        return data;
    }

    private static JsonElement Case(string name) => Goldens.Load("layers").GetProperty("layers").GetProperty(name);

    /// <summary>The module after ManualSeed, its input drawn from the generator as the script drew it (checked against the golden), and its output.</summary>
    private static (Module Module, Tensor Input, Tensor Output, JsonElement Golden) Run(string name)
    {
        var golden = Case(name);
        Assert.True(Cases.ContainsKey(name), $"no C# constructor for golden case {name}");
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var module = Cases[name]();
        module.Train(golden.GetProperty("training").GetBoolean());
        var expectedInput = Goldens.Tensor(golden.GetProperty("input"));
        Tensor input;
        if (expectedInput.DType == DType.Int64) input = expectedInput;
        else
        {
            input = Torch.Randn(expectedInput.Shape);
            TensorAssert.Equal(expectedInput, input, $"{name}: input drawn after init");
            input.RequiresGrad = true;
        }
        return (module, input, module.Call(input), golden);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DefaultInitAfterManualSeedIsPyTorchsBitForBit(string name)
    {
        var golden = Case(name);
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var state = Cases[name]().StateDict();
        foreach (var p in golden.GetProperty("init").EnumerateObject())
            TensorAssert.Equal(Goldens.Tensor(p.Value), state[p.Name], $"{name}.{p.Name}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReprClassNameAndStateKeysArePyTorchs(string name)
    {
        var golden = Case(name);
        var module = Cases[name]();
        Assert.Equal(golden.GetProperty("repr").GetString(), module.ToString());
        Assert.Equal(golden.GetProperty("class").GetString(), module.GetType().Name);
        Assert.Equal(golden.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()!), module.StateDict().Keys);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var (module, input, output, golden) = Run(name);
        // float32 within 1e-5 relative; the atol covers elements that are sums of several products and land near zero,
        // where PyTorch's oneDNN convolution and our GEMM add the same products in a different order.
        const double rtol = 1e-5, atol = 2e-6;
        TensorAssert.Close(Goldens.Tensor(golden.GetProperty("output")), output, rtol, atol, $"{name}: output");
        var gradFn = golden.GetProperty("grad_fn");
        Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), output.GradFn?.Name);

        var w = Torch.Randn(output.Shape);
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("w")), w, $"{name}: w drawn after forward");
        if (output.RequiresGrad) (output * w).Sum().Backward();
        if (golden.GetProperty("grad_input").ValueKind != JsonValueKind.Null)
            TensorAssert.Close(Goldens.Tensor(golden.GetProperty("grad_input")), input.Grad!, rtol, atol, $"{name}: input grad");
        var parameters = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var g in golden.GetProperty("grads").EnumerateObject())
            TensorAssert.Close(Goldens.Tensor(g.Value), parameters[g.Name].Grad!, rtol, atol, $"{name}: {g.Name} grad");
        var buffers = module.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
        foreach (var b in golden.GetProperty("buffers_after").EnumerateObject())
            TensorAssert.Close(Goldens.Tensor(b.Value), buffers[b.Name], rtol, atol, $"{name}: buffer {b.Name} after forward");
    }

    [Fact]
    public void EveryCSharpCaseHasAGolden()
    {
        var names = Goldens.Load("layers").GetProperty("layers").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var key in Cases.Keys) Assert.Contains(key, names);
    }
}
