# The seed notebook (shared seed 000), sections 1-8, run top to bottom with seed 42.
# Writes seed_notebook.txt: what PyTorch prints, which samples/SeedExperiment must print too.
# Run: /usr/bin/python3 tests/goldens/gen_seed.py   (Debian python3-torch 1.13 and python3-onnx)
#
# Section 6 (ONNX export) follows PyTorch 2.x, which the notebook ran: 2.x keeps the plain tensor field my_tensor as
# an initializer named by its attribute and names values after their aten op (mul), where 1.13 folds my_tensor into
# a Constant node and names values /Mul_output_0. The script exports with 1.13, takes every printed value from that
# file, and writes the 2.x names and layout by hand (marked below).
import os
os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")  # portable kernels: the reference build's numbers
import io, contextlib, pathlib, tempfile
import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn
import torch.optim as optim

out = io.StringIO()
with contextlib.redirect_stdout(out):
    torch.manual_seed(42)

    class ExperimentModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.my_tensor = torch.randn(1, requires_grad=False)
            self.my_param = nn.Parameter(torch.randn(1))
            self.register_buffer('my_buffer', torch.randn(1))
            self.register_buffer('my_state', torch.tensor(42), persistent=False)
            self.register_parameter('my_registered_param', nn.Parameter(torch.randn(1)))

        def forward(self, x):
            return x * self.my_tensor + self.my_param

    model = ExperimentModel()
    print("模型结构:")
    print(model)

    print("=== 模型眼中的参数 (model.named_parameters) ===")
    for name, param in model.named_parameters():
        print(f"参数名: {name}")
        print(f"  - 值: {param.data}")
        print(f"  - 类型: {type(param)}")
        print(f"  - requires_grad: {param.requires_grad}")

    optimizer = optim.SGD(model.parameters(), lr=1.0)
    data = torch.tensor([1.0])
    target = torch.tensor([0.0])
    init_tensor_val = model.my_tensor.item()
    init_param_val = model.my_param.item()
    print("=== 训练前的值 ===")
    print(f"my_tensor: {init_tensor_val:.4f}")
    print(f"my_param:  {init_param_val:.4f}")

    output = model(data)
    print(f"\n模型输出: {output.item():.4f}")
    loss = (output - target) ** 2
    print(f"损失值: {loss.item():.4f}")
    loss.backward()
    print("\n=== 梯度信息 ===")
    print(f"my_tensor.grad: {model.my_tensor.grad}")
    print(f"my_param.grad:  {model.my_param.grad}")

    optimizer.step()
    print("\n=== 训练一步后的变化 ===")
    print(f"my_tensor: {init_tensor_val:.4f} -> {model.my_tensor.item():.4f} (变化: {model.my_tensor.item() - init_tensor_val:.4f})")
    print(f"my_param:  {init_param_val:.4f} -> {model.my_param.item():.4f} (变化: {model.my_param.item() - init_param_val:.4f})")
    print("\n结论: 只有 nn.Parameter 被优化器更新了！")

    class ExperimentModel2(nn.Module):
        def __init__(self):
            super().__init__()
            self.my_tensor = torch.randn(1, requires_grad=True)
            self.my_param = nn.Parameter(torch.randn(1))

        def forward(self, x):
            return x * self.my_tensor + self.my_param

    model2 = ExperimentModel2()
    print("=== requires_grad=True 的 Tensor ===")
    print(f"my_tensor.requires_grad: {model2.my_tensor.requires_grad}")
    print(f"my_param.requires_grad:  {model2.my_param.requires_grad}")
    print("\n=== 模型参数列表 ===")
    print(f"参数数量: {len(list(model2.parameters()))}")
    for name, param in model2.named_parameters():
        print(f"  - {name}")
    print("\n结论: 即使 requires_grad=True，普通 Tensor 也不会成为模型参数！")

    # ## 6. ONNX export analysis (cells 8-10)
    print("=== ONNX 导出分析 ===")
    # The notebook writes into the machine's temp folder; the golden records it as <TEMP> so it holds no machine path.
    onnx_path = os.path.join(tempfile.gettempdir(), "experiment_model.onnx")
    model.eval()
    dummy_input = torch.tensor([1.0])
    # The notebook asks for opset 18 (torch 2.x); torch 1.13 exports at most 17, which changes nothing printed here.
    torch.onnx.export(model, (dummy_input,), onnx_path, input_names=["input_x"], output_names=["output"], opset_version=17)
    print(f"模型已导出到: {os.path.join('<TEMP>', 'experiment_model.onnx')}")

    graph = onnx.load(onnx_path).graph
    constants = {n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in graph.node if n.op_type == "Constant"}
    mul = next(n for n in graph.node if n.op_type == "Mul")
    my_tensor = constants[mul.input[1]]  # 1.13's Constant node holding my_tensor
    assert np.array_equal(my_tensor, model.my_tensor.numpy())
    # By hand, torch 2.x: parameters first, then the plain tensor field, each an initializer named by its attribute.
    initializers = [(i.name, numpy_helper.to_array(i), list(i.dims), i.data_type) for i in graph.initializer]
    assert [i[0] for i in initializers] == ["my_param"]
    initializers.append(("my_tensor", my_tensor, list(my_tensor.shape), onnx.TensorProto.FLOAT))
    # By hand, torch 2.x: values named after their aten op; the graph output keeps its given name.
    nodes = [("Mul", ["input_x", "my_tensor"], ["mul"]), ("Add", ["mul", "my_param"], ["output"])]
    assert [n.op_type for n in graph.node if n.op_type != "Constant"] == [n[0] for n in nodes]

    print("\n--- ONNX 图的 initializer (模型参数) ---")
    if len(initializers) == 0:
        print("  (无 initializer)")
    else:
        for name, arr, dims, data_type in initializers:
            print(f"\n名字: {name}")
            print(f"  - 值: {arr}")
            print(f"  - 形状: {dims}")
            print(f"  - 数据类型: {data_type}")

    print("\n--- ONNX 图的节点 (计算图) ---")
    for i, (op_type, inputs, outputs) in enumerate(nodes):
        print(f"\n节点 {i}: {op_type}")
        print(f"  - 输入: {inputs}")
        print(f"  - 输出: {outputs}")

    class CustomLinear(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.weight = nn.Parameter(torch.randn(out_features, in_features))
            self.bias = nn.Parameter(torch.randn(out_features))
            self.scale = torch.tensor(0.1)

        def forward(self, x):
            return (x @ self.weight.t() + self.bias) * self.scale

    linear = CustomLinear(3, 2)
    print("自定义线性层的参数:")
    for name, param in linear.named_parameters():
        print(f"  - {name}: shape {param.shape}")
    print("\n注意: scale 不在参数列表中（这是我们想要的效果）")

pathlib.Path(__file__).with_name("seed_notebook.txt").write_text(out.getvalue(), encoding="utf-8")
print(out.getvalue())
