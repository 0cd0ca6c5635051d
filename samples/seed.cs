#!/usr/bin/env dotnet
// The seed notebook as a .NET 10 file-based app, cell by cell: `dotnet run samples/seed.cs`.
// It prints what samples/SeedExperiment prints (and what PyTorch printed for seed 42).
#:project ../src/Nabla/Nabla.csproj
#:property PublishAot=false

using System.Globalization;
using Nabla;
using Nabla.NN;
using Nabla.Onnx;
using Nabla.Optim;

Console.OutputEncoding = System.Text.Encoding.UTF8;
static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);   // Python's f"{x:.4f}"
static string PyBool(bool b) => b ? "True" : "False";
static string PyList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(s => $"'{s}'")) + "]";

// %% 1. Seed
Torch.ManualSeed(42);

// %% 2. The model
var model = new ExperimentModel();
Console.WriteLine("模型结构:");
Console.WriteLine(model);

// %% 3. What the model sees as parameters
Console.WriteLine("=== 模型眼中的参数 (model.named_parameters) ===");
foreach (var (name, param) in model.NamedParameters())
{
    Console.WriteLine($"参数名: {name}");
    Console.WriteLine($"  - 值: {param.Data}");
    Console.WriteLine($"  - 类型: <class '{param.GetType().FullName}'>");
    Console.WriteLine($"  - requires_grad: {PyBool(param.RequiresGrad)}");
}

// %% 4. One training step: only parameters move
var optimizer = new SGD(model.Parameters(), lr: 1.0);
var data = Torch.Tensor(new[] { 1.0f });
var target = Torch.Tensor(new[] { 0.0f });
float initTensor = model.my_tensor.Item<float>(), initParam = model.my_param.Item<float>();
Console.WriteLine("=== 训练前的值 ===");
Console.WriteLine($"my_tensor: {F4(initTensor)}");
Console.WriteLine($"my_param:  {F4(initParam)}");
var output = model.Call(data);
Console.WriteLine($"\n模型输出: {F4(output.Item<float>())}");
var loss = (output - target).Pow(2);
Console.WriteLine($"损失值: {F4(loss.Item<float>())}");
loss.Backward();
Console.WriteLine("\n=== 梯度信息 ===");
Console.WriteLine($"my_tensor.grad: {model.my_tensor.Grad?.ToString() ?? "None"}");
Console.WriteLine($"my_param.grad:  {model.my_param.Grad?.ToString() ?? "None"}");
optimizer.Step();
Console.WriteLine("\n=== 训练一步后的变化 ===");
float tensorNow = model.my_tensor.Item<float>(), paramNow = model.my_param.Item<float>();
Console.WriteLine($"my_tensor: {F4(initTensor)} -> {F4(tensorNow)} (变化: {F4((double)tensorNow - initTensor)})");
Console.WriteLine($"my_param:  {F4(initParam)} -> {F4(paramNow)} (变化: {F4((double)paramNow - initParam)})");
Console.WriteLine("\n结论: 只有 nn.Parameter 被优化器更新了！");

// %% 5. A plain tensor with requires_grad=True is still not a parameter
var model2 = new ExperimentModel2();
Console.WriteLine("=== requires_grad=True 的 Tensor ===");
Console.WriteLine($"my_tensor.requires_grad: {PyBool(model2.my_tensor.RequiresGrad)}");
Console.WriteLine($"my_param.requires_grad:  {PyBool(model2.my_param.RequiresGrad)}");
Console.WriteLine("\n=== 模型参数列表 ===");
Console.WriteLine($"参数数量: {model2.Parameters().Count()}");
foreach (var (name, _) in model2.NamedParameters()) Console.WriteLine($"  - {name}");
Console.WriteLine("\n结论: 即使 requires_grad=True，普通 Tensor 也不会成为模型参数！");

// %% 6. ONNX export, and what the file holds
Console.WriteLine("=== ONNX 导出分析 ===");
var onnxPath = Path.Combine(Path.GetTempPath(), "experiment_model.onnx");
model.Eval();
OnnxExporter.Export(model, Torch.Tensor(new[] { 1.0f }), onnxPath, inputNames: ["input_x"], outputNames: ["output"], opsetVersion: 18);
Console.WriteLine($"模型已导出到: {onnxPath}");
var graph = OnnxModel.Load(onnxPath).Graph;
Console.WriteLine("\n--- ONNX 图的 initializer (模型参数) ---");
foreach (var initializer in graph.Initializers)
{
    Console.WriteLine($"\n名字: {initializer.Name}");
    Console.WriteLine($"  - 值: {OnnxInspector.NumpyString(initializer)}");
    Console.WriteLine($"  - 形状: [{string.Join(", ", initializer.Dims)}]");
    Console.WriteLine($"  - 数据类型: {(int)initializer.DataType}");
}
Console.WriteLine("\n--- ONNX 图的节点 (计算图) ---");
for (int i = 0; i < graph.Nodes.Count; i++)
{
    Console.WriteLine($"\n节点 {i}: {graph.Nodes[i].OpType}");
    Console.WriteLine($"  - 输入: {PyList(graph.Nodes[i].Inputs)}");
    Console.WriteLine($"  - 输出: {PyList(graph.Nodes[i].Outputs)}");
}

// %% 8. A custom linear layer with a fixed, unregistered scale
var linear = new CustomLinear(3, 2);
Console.WriteLine("自定义线性层的参数:");
foreach (var (name, param) in linear.NamedParameters()) Console.WriteLine($"  - {name}: shape {param.Size()}");
Console.WriteLine("\n注意: scale 不在参数列表中（这是我们想要的效果）");

// A plain tensor, a Parameter field, a buffer, a non-persistent buffer and a registered parameter.
public sealed class ExperimentModel : Module
{
    public Tensor my_tensor = Torch.Randn(1);                 // plain tensor: not registered
    public Parameter my_param = new(Torch.Randn(1));          // registers itself

    public ExperimentModel()
    {
        RegisterBuffer("my_buffer", Torch.Randn(1));
        RegisterBuffer("my_state", Torch.Tensor(42), persistent: false);
        RegisterParameter("my_registered_param", new Parameter(Torch.Randn(1)));
    }

    public override Tensor Forward(Tensor x) => x * my_tensor + my_param;
}

// Even with requires_grad, a plain tensor is not a parameter.
public sealed class ExperimentModel2 : Module
{
    public Tensor my_tensor = Torch.Randn([1], requiresGrad: true);
    public Parameter my_param = new(Torch.Randn(1));

    public override Tensor Forward(Tensor x) => x * my_tensor + my_param;
}

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
