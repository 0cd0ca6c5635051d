# Makes the ONNX files that the reader's tests load, and a JSON of what the `onnx` package reads in each.
#
# Run (Debian's python3-torch 1.13 and python3-onnx, NOT the pyenv python3 first on PATH):
#   cd tests/goldens && /usr/bin/python3 gen_onnx_files.py
#
# Writes onnx/<model>_opset<N>.onnx for N in 13 and 17, onnx/dtypes.onnx (one initializer per element
# type, in raw_data and in the typed fields), and onnx/onnx_files.json. These files test the reader and
# writer (OnnxModel) against bytes PyTorch's exporter wrote; they are not goldens for Nabla's exporter:
# torch 1.13 names some initializers differently from 2.x (see ExperimentModel below).
import json
import os

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx")


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(self.bn(self.conv(x)))


class ExperimentModel(nn.Module):
    """The seed notebook's model: a plain tensor field and a parameter.

    torch 1.13 exports my_tensor under a generated name (or folds it); torch 2.x names it
    `my_tensor`. The reader tests only compare against what the file holds."""

    def __init__(self):
        super().__init__()
        self.my_tensor = torch.randn(1)
        self.my_param = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return x * self.my_tensor + self.my_param


def export(name, model, example, opset, **kwargs):
    path = os.path.join(OUT, f"{name}_opset{opset}.onnx")
    model.eval()
    torch.onnx.export(model, example, path, opset_version=opset, input_names=["x"], output_names=["y"], **kwargs)
    return path


def make_dtypes_model():
    """One initializer per element type, each in raw_data and in its typed field, behind an Identity."""
    rng = np.random.default_rng(0)
    arrays = {
        "float": rng.standard_normal((2, 3)).astype(np.float32),
        "double": rng.standard_normal((3,)).astype(np.float64),
        "float16": rng.standard_normal((2, 2)).astype(np.float16),
        "int8": np.array([-128, -1, 0, 127], dtype=np.int8),
        "uint8": np.array([0, 1, 255], dtype=np.uint8),
        "int16": np.array([-32768, 5, 32767], dtype=np.int16),
        "uint16": np.array([0, 65535], dtype=np.uint16),
        "int32": np.array([[-2147483648, 0], [1, 2147483647]], dtype=np.int32),
        "int64": np.array([-(2 ** 63), -1, 2 ** 62], dtype=np.int64),
        "uint32": np.array([0, 4294967295], dtype=np.uint32),
        "uint64": np.array([0, 2 ** 64 - 1], dtype=np.uint64),
        "bool": np.array([True, False, True], dtype=np.bool_),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    inits = []
    for key, arr in arrays.items():
        inits.append(numpy_helper.from_array(arr, name=f"raw_{key}"))  # raw_data
        typed = helper.make_tensor(f"typed_{key}", onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype], arr.shape,
                                   arr.flatten().tolist(), raw=False)
        inits.append(typed)
    # bfloat16: the top 16 bits of float32, in int32_data (helper rounds; values chosen exactly representable).
    inits.append(helper.make_tensor("typed_bfloat16", TensorProto.BFLOAT16, [3], [1.0, -2.5, 0.15625]))
    inits.append(helper.make_tensor("typed_string", TensorProto.STRING, [2], [b"hello", "w\u00f6rld".encode()]))
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"], name="id")],
        "dtypes",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])],
        inits,
    )
    model = helper.make_model(graph, producer_name="gen_onnx_files.py", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = os.path.join(OUT, "dtypes.onnx")
    onnx.save(model, path)
    return path


def values_of(tensor):
    arr = numpy_helper.to_array(tensor)
    if arr.dtype == np.object_:
        return [s.decode("utf-8") if isinstance(s, bytes) else s for s in arr.flatten().tolist()]
    if tensor.data_type == TensorProto.BFLOAT16 and arr.dtype != np.float32:
        arr = arr.astype(np.float32)
    flat = arr.flatten()
    if flat.dtype.kind == "f":
        return [float(v) for v in flat]  # exact: float16/float32 widen to double without rounding
    if flat.dtype.kind == "b":
        return [bool(v) for v in flat]
    return [str(v) if flat.dtype.kind == "u" and v > 2 ** 53 else int(v) for v in flat]


def describe_type(type_proto):
    t = type_proto.tensor_type
    dims = [d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else None)
            for d in t.shape.dim]
    return {"elem_type": t.elem_type, "shape": dims}


def describe(path):
    model = onnx.load(path)
    onnx.checker.check_model(model)
    g = model.graph
    return {
        "file": os.path.basename(path),
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "producer_version": model.producer_version,
        "opset_import": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
        "graph_name": g.name,
        "inputs": [dict(name=v.name, **describe_type(v.type)) for v in g.input],
        "outputs": [dict(name=v.name, **describe_type(v.type)) for v in g.output],
        "initializers": [
            {"name": t.name, "dims": list(t.dims), "data_type": t.data_type, "values": values_of(t)}
            for t in g.initializer
        ],
        "nodes": [
            {"name": n.name, "op_type": n.op_type, "domain": n.domain,
             "inputs": list(n.input), "outputs": list(n.output),
             "attributes": {a.name: attribute_value(a) for a in n.attribute}}
            for n in g.node
        ],
    }


def attribute_value(a):
    v = helper.get_attribute_value(a)
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, onnx.TensorProto):
        return {"dims": list(v.dims), "data_type": v.data_type, "values": values_of(v)}
    if isinstance(v, list):
        return list(v)
    return v


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    models = [
        ("mlp", Mlp(), torch.randn(2, 4), {"dynamic_axes": {"x": {0: "batch"}, "y": {0: "batch"}}}),
        # PRESERVE (on an eval-mode model) keeps BatchNormalization a node; EVAL would fuse it into the Conv.
        ("cnn", SmallCnn(), torch.randn(1, 1, 4, 4),
         {"training": torch.onnx.TrainingMode.PRESERVE, "do_constant_folding": False}),
        ("experiment", ExperimentModel(), torch.randn(3), {}),
    ]
    # Give BatchNorm non-trivial running statistics so its initializers are not all 0 and 1.
    with torch.no_grad():
        models[1][1].bn.running_mean.copy_(torch.tensor([0.25, -0.5]))
        models[1][1].bn.running_var.copy_(torch.tensor([1.5, 0.75]))
    paths = []
    for opset in (13, 17):
        for name, model, example, kwargs in models:
            paths.append(export(name, model, example, opset, **kwargs))
    paths.append(make_dtypes_model())
    files = [describe(p) for p in paths]
    with open(os.path.join(OUT, "onnx_files.json"), "w") as f:
        json.dump({"torch": torch.__version__, "onnx": onnx.__version__, "files": files}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
