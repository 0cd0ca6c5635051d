using Nabla;
using Nabla.NN;
using Nabla.Optim;

namespace SeedExperiment;

/// <summary>Section 2: a plain tensor, a Parameter field, a buffer, a non-persistent buffer and a registered parameter.</summary>
public sealed class ExperimentModel : Module
{
    // 1. A plain tensor: not registered, not a buffer, never updated by an optimizer.
    public Tensor my_tensor = Torch.Randn(1);

    // 2. A Parameter field registers itself.
    public Parameter my_param = new(Torch.Randn(1));

    public ExperimentModel()
    {
        // 3. A buffer: saved in the state dict, not a parameter.
        RegisterBuffer("my_buffer", Torch.Randn(1));
        // 4. A non-persistent buffer: left out of the state dict.
        RegisterBuffer("my_state", Torch.Tensor(42), persistent: false);
        // 5. A parameter registered by name.
        RegisterParameter("my_registered_param", new Parameter(Torch.Randn(1)));
    }

    public override Tensor Forward(Tensor x) => x * my_tensor + my_param;
}

/// <summary>Section 5: even with requires_grad, a plain tensor is not a parameter.</summary>
public sealed class ExperimentModel2 : Module
{
    public Tensor my_tensor = Torch.Randn([1], requiresGrad: true);
    public Parameter my_param = new(Torch.Randn(1));

    public override Tensor Forward(Tensor x) => x * my_tensor + my_param;
}

/// <summary>Section 8: a custom linear layer with a fixed, unregistered scale.</summary>
public sealed class CustomLinear : Module
{
    public Parameter weight;
    public Parameter bias;
    public Tensor scale = Torch.Tensor(0.1);

    public CustomLinear(long inFeatures, long outFeatures)
    {
        weight = new Parameter(Torch.Randn(outFeatures, inFeatures));
        bias = new Parameter(Torch.Randn(outFeatures));
    }

    public override Tensor Forward(Tensor x) => (x.Matmul(weight.T()) + bias) * scale;
}

/// <summary>The seed notebook, section by section, printing what PyTorch prints for seed 42.</summary>
public static class SeedNotebook
{
    /// <summary>Runs sections 1-5, 6 (when <paramref name="onnxSection"/> is given), 7 and 8, writing to <paramref name="o"/>.</summary>
    public static ExperimentModel Run(TextWriter o, Action<ExperimentModel, TextWriter>? onnxSection = null)
    {
        // ## 1. Seed
        Torch.ManualSeed(42);

        // ## 2. The model
        var model = new ExperimentModel();
        o.WriteLine("模型结构:");
        o.WriteLine(model);

        // ## 3. What the model sees as parameters
        o.WriteLine("=== 模型眼中的参数 (model.named_parameters) ===");
        foreach (var (name, param) in model.NamedParameters())
        {
            o.WriteLine($"参数名: {name}");
            o.WriteLine($"  - 值: {param.Data}");
            o.WriteLine($"  - 类型: <class '{param.GetType().FullName}'>");
            o.WriteLine($"  - requires_grad: {PyBool(param.RequiresGrad)}");
        }

        // ## 4. One training step: only parameters move
        var optimizer = new SGD(model.Parameters(), lr: 1.0);
        var data = Torch.Tensor(new[] { 1.0f });
        var target = Torch.Tensor(new[] { 0.0f });
        float initTensorVal = model.my_tensor.Item<float>();
        float initParamVal = model.my_param.Item<float>();
        o.WriteLine("=== 训练前的值 ===");
        o.WriteLine($"my_tensor: {F4(initTensorVal)}");
        o.WriteLine($"my_param:  {F4(initParamVal)}");

        var output = model.Call(data);
        o.WriteLine($"\n模型输出: {F4(output.Item<float>())}");
        var loss = (output - target).Pow(2);
        o.WriteLine($"损失值: {F4(loss.Item<float>())}");
        loss.Backward();
        o.WriteLine("\n=== 梯度信息 ===");
        o.WriteLine($"my_tensor.grad: {model.my_tensor.Grad?.ToString() ?? "None"}");
        o.WriteLine($"my_param.grad:  {model.my_param.Grad?.ToString() ?? "None"}");

        optimizer.Step();
        o.WriteLine("\n=== 训练一步后的变化 ===");
        float tensorNow = model.my_tensor.Item<float>(), paramNow = model.my_param.Item<float>();
        o.WriteLine($"my_tensor: {F4(initTensorVal)} -> {F4(tensorNow)} (变化: {F4((double)tensorNow - initTensorVal)})");
        o.WriteLine($"my_param:  {F4(initParamVal)} -> {F4(paramNow)} (变化: {F4((double)paramNow - initParamVal)})");
        o.WriteLine("\n结论: 只有 nn.Parameter 被优化器更新了！");

        // ## 5. A plain tensor with requires_grad=True is still not a parameter
        var model2 = new ExperimentModel2();
        o.WriteLine("=== requires_grad=True 的 Tensor ===");
        o.WriteLine($"my_tensor.requires_grad: {PyBool(model2.my_tensor.RequiresGrad)}");
        o.WriteLine($"my_param.requires_grad:  {PyBool(model2.my_param.RequiresGrad)}");
        o.WriteLine("\n=== 模型参数列表 ===");
        o.WriteLine($"参数数量: {model2.Parameters().Count()}");
        foreach (var (name, _) in model2.NamedParameters()) o.WriteLine($"  - {name}");
        o.WriteLine("\n结论: 即使 requires_grad=True，普通 Tensor 也不会成为模型参数！");

        // ## 6. ONNX export and inspection
        onnxSection?.Invoke(model, o);

        // ## 7. Summary (prose in the notebook)

        // ## 8. A custom Linear layer
        var linear = new CustomLinear(3, 2);
        o.WriteLine("自定义线性层的参数:");
        foreach (var (name, param) in linear.NamedParameters()) o.WriteLine($"  - {name}: shape {param.Size()}");
        o.WriteLine("\n注意: scale 不在参数列表中（这是我们想要的效果）");
        return model;
    }

    // Python's f"{x:.4f}" (float widened to double, as Python's float is).
    private static string F4(double value) => value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);

    private static string PyBool(bool b) => b ? "True" : "False";
}
