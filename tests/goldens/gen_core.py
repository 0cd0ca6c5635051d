# Goldens for the tensor / autograd / Module core: run `/usr/bin/python3 tests/goldens/gen_core.py`
# from the repo root (Debian python3-torch 1.13). Writes tests/goldens/core.json.
#
# Sections:
#   ops        every core op: inputs (with the view that makes them non-contiguous), outputs, str(out),
#              grad_fn name, an upstream gradient and the input gradients. tests/Nabla.Tests/Core/OpTable.cs
#              maps each "op" key to the same expression in C#; OPS below is the Python side of that table.
#   index_get / index_set   t[...] reads and writes (spec entries: int, slice, ellipsis, none, tensor)
#   factories  creation functions and the dtypes they infer
#   linear_init, sgd_rule, sgd_train, modules, prints, autograd, errors, versions
from golden_util import *  # noqa: F401,F403  (sets ATEN_CPU_CAPABILITY=default before torch loads)

import torch
import torch.nn as nn
import torch.nn.functional as F

# Names that PyTorch 2.x changed since 1.13, written by hand. 2.x removed _reshape_alias: a reshape or
# flatten that can be a view records ViewBackward0 (1.13 printed ReshapeAliasBackward0).
GRAD_FN_2X = {"ReshapeAliasBackward0": "ViewBackward0"}

# matmul's grad_fn names are 1.13's, which Nabla follows: UnsafeViewBackward0 for batched results, CloneBackward0 for
# 2-D @ batched, SqueezeBackward3 for vector @ matrix (PyTorch 2.x prints SqueezeBackward4 there). All are asserted.
UNSTABLE_GRAD_FN_OPS = set()
UNSTABLE_GRAD_FN_CASES = set()

_gen = torch.Generator().manual_seed(1234)


def rn(*shape, dtype=torch.float32, scale=1.0, shift=0.0):
    return (torch.randn(shape, generator=_gen, dtype=torch.float64) * scale + shift).to(dtype)


def pos(*shape, dtype=torch.float32):
    return (torch.rand(shape, generator=_gen, dtype=torch.float64) * 2 + 0.25).to(dtype)


def ri(lo, hi, *shape, dtype=torch.int64):
    return torch.randint(lo, hi, shape, generator=_gen).to(dtype)


def halves(*shape):
    # Values on a 0.5 grid in [-1, 1]: many exact ties and exact bounds.
    return (torch.randint(-2, 3, shape, generator=_gen).double() / 2).float()


def idx(*values):
    return torch.tensor(values, dtype=torch.int64)


def grad_name(t):
    if t.grad_fn is None:
        return None
    n = type(t.grad_fn).__name__
    return GRAD_FN_2X.get(n, n)


def str_2x(t):
    text = str(t)
    for old, new in GRAD_FN_2X.items():
        text = text.replace(f"grad_fn=<{old}>", f"grad_fn=<{new}>")
    return text


def view_of(base, view):
    if view is None:
        return base
    if view == "t":
        return base.transpose(-2, -1)
    if view == "step":
        return base[..., ::2]
    raise ValueError(view)


# ---------------------------------------------------------------------------------------------
# The op table, Python side (keep in step with tests/Nabla.Tests/Core/OpTable.cs).
def _index_tuple(spec):
    out = []
    for e in spec:
        if "int" in e:
            out.append(e["int"])
        elif "slice" in e:
            out.append(slice(*e["slice"]))
        elif "ellipsis" in e:
            out.append(Ellipsis)
        elif "none" in e:
            out.append(None)
        else:
            out.append(e["tensor_value"])
    return tuple(out)


def _inplace(fn):
    def run(x, a):
        y = x[0] * 1
        fn(y, x, a)
        return y
    return run


def _index_put(x, a):
    y = x[0] * 1
    y[_index_tuple(a["spec"])] = x[1]
    return y


OPS = {
    # arithmetic
    "add": lambda x, a: x[0] + x[1],
    "sub": lambda x, a: x[0] - x[1],
    "mul": lambda x, a: x[0] * x[1],
    "div": lambda x, a: x[0] / x[1],
    "add_alpha": lambda x, a: torch.add(x[0], x[1], alpha=a["alpha"]),
    "sub_alpha": lambda x, a: torch.sub(x[0], x[1], alpha=a["alpha"]),
    "add_s": lambda x, a: x[0] + a["s"],
    "radd_s": lambda x, a: a["s"] + x[0],
    "sub_s": lambda x, a: x[0] - a["s"],
    "rsub_s": lambda x, a: a["s"] - x[0],
    "mul_s": lambda x, a: x[0] * a["s"],
    "rmul_s": lambda x, a: a["s"] * x[0],
    "div_s": lambda x, a: x[0] / a["s"],
    "rdiv_s": lambda x, a: a["s"] / x[0],
    "pow": lambda x, a: x[0].pow(x[1]),
    "pow_s": lambda x, a: x[0] ** a["s"],
    "rpow_s": lambda x, a: a["s"] ** x[0],
    "maximum": lambda x, a: torch.maximum(x[0], x[1]),
    "minimum": lambda x, a: torch.minimum(x[0], x[1]),
    # comparisons
    "gt": lambda x, a: x[0] > x[1],
    "lt": lambda x, a: x[0] < x[1],
    "ge": lambda x, a: x[0] >= x[1],
    "le": lambda x, a: x[0] <= x[1],
    "eq": lambda x, a: x[0].eq(x[1]),
    "ne": lambda x, a: x[0].ne(x[1]),
    "gt_s": lambda x, a: x[0] > a["s"],
    "le_s": lambda x, a: x[0] <= a["s"],
    "rlt_s": lambda x, a: a["s"] < x[0],
    "eq_s": lambda x, a: x[0].eq(a["s"]),
    "ne_s": lambda x, a: x[0].ne(a["s"]),
    # unary
    "neg": lambda x, a: -x[0],
    "abs": lambda x, a: x[0].abs(),
    "exp": lambda x, a: x[0].exp(),
    "log": lambda x, a: x[0].log(),
    "sqrt": lambda x, a: x[0].sqrt(),
    "sin": lambda x, a: x[0].sin(),
    "cos": lambda x, a: x[0].cos(),
    "tanh": lambda x, a: x[0].tanh(),
    "sigmoid": lambda x, a: x[0].sigmoid(),
    "relu": lambda x, a: x[0].relu(),
    "sign": lambda x, a: x[0].sign(),
    "clamp": lambda x, a: x[0].clamp(min=a.get("min"), max=a.get("max")),
    "where": lambda x, a: torch.where(x[0], x[1], x[2]),
    # reductions
    "sum": lambda x, a: x[0].sum(),
    "sum_dim": lambda x, a: x[0].sum(dim=a["dim"], keepdim=a["keepdim"]),
    "mean": lambda x, a: x[0].mean(),
    "mean_dim": lambda x, a: x[0].mean(dim=a["dim"], keepdim=a["keepdim"]),
    "max": lambda x, a: x[0].max(),
    "min": lambda x, a: x[0].min(),
    "max_dim": lambda x, a: tuple(x[0].max(dim=a["dim"], keepdim=a["keepdim"])),
    "min_dim": lambda x, a: tuple(x[0].min(dim=a["dim"], keepdim=a["keepdim"])),
    "argmax": lambda x, a: x[0].argmax(),
    "argmin": lambda x, a: x[0].argmin(),
    "argmax_dim": lambda x, a: x[0].argmax(dim=a["dim"], keepdim=a["keepdim"]),
    "argmin_dim": lambda x, a: x[0].argmin(dim=a["dim"], keepdim=a["keepdim"]),
    # matrix products
    "matmul": lambda x, a: x[0] @ x[1],
    "matmul_batched": lambda x, a: x[0] @ x[1],
    "mm": lambda x, a: x[0].mm(x[1]),
    "bmm": lambda x, a: x[0].bmm(x[1]),
    # views and copies
    "view": lambda x, a: x[0].view(*a["shape"]),
    "reshape": lambda x, a: x[0].reshape(*a["shape"]),
    "t": lambda x, a: x[0].t(),
    "transpose": lambda x, a: x[0].transpose(a["dim0"], a["dim1"]),
    "permute": lambda x, a: x[0].permute(*a["dims"]),
    "expand": lambda x, a: x[0].expand(*a["shape"]),
    "squeeze": lambda x, a: x[0].squeeze(),
    "squeeze_dim": lambda x, a: x[0].squeeze(a["dim"]),
    "unsqueeze": lambda x, a: x[0].unsqueeze(a["dim"]),
    "flatten": lambda x, a: x[0].flatten(a["start"], a["end"]),
    "contiguous": lambda x, a: x[0].contiguous(),
    "clone": lambda x, a: x[0].clone(),
    "narrow": lambda x, a: x[0].narrow(a["dim"], a["start"], a["length"]),
    "select": lambda x, a: x[0].select(a["dim"], a["index"]),
    "to_f64": lambda x, a: x[0].to(torch.float64),
    "to_f32": lambda x, a: x[0].to(torch.float32),
    "cat": lambda x, a: torch.cat(x, dim=a["dim"]),
    "stack": lambda x, a: torch.stack(x, dim=a["dim"]),
    # indexing
    "index": lambda x, a: x[0][_index_tuple(a["spec"])],
    "index_put": _index_put,
    # nn
    "linear": lambda x, a: F.linear(x[0], x[1], x[2] if len(x) > 2 else None),
    "mse_loss": lambda x, a: F.mse_loss(x[0], x[1], reduction=a["reduction"]),
    # in-place ops on a non-leaf (y = x0 * 1, then y.op_(...))
    "add_": _inplace(lambda y, x, a: y.add_(x[1], alpha=a["alpha"])),
    "add_s_": _inplace(lambda y, x, a: y.add_(a["s"])),
    "sub_": _inplace(lambda y, x, a: y.sub_(x[1])),
    "mul_": _inplace(lambda y, x, a: y.mul_(x[1])),
    "div_": _inplace(lambda y, x, a: y.div_(x[1])),
    "pow_": _inplace(lambda y, x, a: y.pow_(a["s"])),
    "clamp_": _inplace(lambda y, x, a: y.clamp_(a["min"], a["max"])),
    "zero_": _inplace(lambda y, x, a: y.zero_()),
    "fill_": _inplace(lambda y, x, a: y.fill_(a["s"])),
    "copy_": _inplace(lambda y, x, a: y.copy_(x[1])),
}

# Ops whose float32 forward is one IEEE operation per element (or a pure data movement), so the
# result is expected bit for bit; the rest (sums, matmul) may differ in accumulation order.
EXACT_OPS = {
    "add", "sub", "mul", "div", "add_alpha", "sub_alpha", "add_s", "radd_s", "sub_s", "rsub_s", "mul_s",
    "rmul_s", "div_s", "rdiv_s", "pow", "pow_s", "rpow_s", "maximum", "minimum", "gt", "lt", "ge", "le",
    "eq", "ne", "gt_s", "le_s", "rlt_s", "eq_s", "ne_s", "neg", "abs", "exp", "log", "sqrt", "sin", "cos",
    "tanh", "sigmoid", "relu", "sign", "clamp", "where", "max", "min", "max_dim", "min_dim", "argmax",
    "argmin", "argmax_dim", "argmin_dim", "view", "reshape", "t", "transpose", "permute", "expand",
    "squeeze", "squeeze_dim", "unsqueeze", "flatten", "contiguous", "clone", "narrow", "select", "to_f64",
    "to_f32", "cat", "stack", "index", "index_put", "add_", "add_s_", "sub_", "mul_", "div_", "pow_",
    "clamp_", "zero_", "fill_", "copy_",
}

CASES = []

REDUCTIONS = {"sum", "sum_dim", "mean", "mean_dim"}


def reduction_atol(op, xs, args, y):
    """Float32 sums are accumulated differently (PyTorch: cascaded float; Nabla: double), so their error is
    bounded by the sum of magnitudes, not the result: 1e-7 of the largest sum of |x| that reaches an output."""
    if op not in REDUCTIONS or y.dtype != torch.float32:
        return None
    with torch.no_grad():
        magnitude = OPS[op]([xs[0].detach().abs()], args).max().item()
    return max(1e-6, 1e-7 * magnitude)


def _spec_json(spec):
    out = []
    for e in spec:
        if "tensor_value" in e:
            out.append({"tensor": tensor(e["tensor_value"])})
        else:
            out.append(e)
    return out


def case(name, op, inputs, views=None, args=None, gradcheck=True, grad=None):
    """inputs: base tensors; views: per input None|"t"|"step"; grad: per input whether it requires grad
    (default: floating inputs do)."""
    assert all(c["name"] != name for c in CASES), f"duplicate case name {name}"
    args = dict(args or {})
    views = views or [None] * len(inputs)
    if grad is None:
        grad = [t.dtype.is_floating_point for t in inputs]
    bases = [t.clone().requires_grad_(g) for t, g in zip(inputs, grad)]
    xs = [view_of(b, v) for b, v in zip(bases, views)]
    out = OPS[op](xs, args)
    outs = list(out) if isinstance(out, tuple) else [out]
    y = outs[0]
    entry = {
        "name": name,
        "op": op,
        "args": {k: (_spec_json(v) if k == "spec" else v) for k, v in args.items()},
        "inputs": [{"value": tensor(b), "view": v, "grad": g} for b, v, g in zip(bases, views, grad)],
        "outputs": [tensor(o) for o in outs],
        "str": str_2x(y),
        "grad_fn": grad_name(y),
        "assert_grad_fn": op not in UNSTABLE_GRAD_FN_OPS and name not in UNSTABLE_GRAD_FN_CASES,
        "exact": op in EXACT_OPS,
        "atol": reduction_atol(op, xs, args, y),
        "gradcheck": gradcheck and y.requires_grad,
        "gout": None,
        "grads": [None] * len(inputs),
    }
    if y.requires_grad:
        gout = rn(*y.shape, dtype=y.dtype)
        y.backward(gout)
        entry["gout"] = tensor(gout)
        entry["grads"] = [tensor(b.grad) if b.requires_grad else None for b in bases]
    CASES.append(entry)


f64 = torch.float64

# ---- arithmetic: same shape, broadcasting, 0-d, non-contiguous, float64, scalars on both sides ----
for op in ["add", "sub", "mul", "div"]:
    case(f"{op}_same", op, [rn(2, 3), rn(2, 3)])
    case(f"{op}_broadcast_row", op, [rn(2, 3), rn(3)])
    case(f"{op}_broadcast_both", op, [rn(4, 1, 3), rn(2, 1)])
    case(f"{op}_zero_dim", op, [rn(), rn(2, 3)])
    case(f"{op}_transposed", op, [rn(3, 2), rn(2, 3)], views=["t", None])
    case(f"{op}_strided", op, [rn(2, 6), rn(2, 3)], views=["step", None])
    case(f"{op}_float64", op, [rn(2, 3, dtype=f64), rn(2, 3, dtype=f64)])
    case(f"{op}_f32_f64", op, [rn(2, 3), rn(2, 3, dtype=f64)])
    case(f"{op}_f32_zero_dim_f64", op, [rn(2, 3), rn(dtype=f64)])
case("add_alpha", "add_alpha", [rn(2, 3), rn(3)], args={"alpha": 2.5})
case("sub_alpha", "sub_alpha", [rn(2, 3), rn(2, 3)], args={"alpha": 0.3})
case("add_alpha_int", "add_alpha", [ri(-5, 5, 2, 3), ri(-5, 5, 3)], args={"alpha": 3})
for op in ["add_s", "radd_s", "sub_s", "rsub_s", "mul_s", "rmul_s", "div_s", "rdiv_s"]:
    x = pos(2, 3) if op == "rdiv_s" else rn(2, 3)
    case(f"{op}", op, [x], args={"s": 2.5})
    case(f"{op}_transposed", op, [pos(3, 2) if op == "rdiv_s" else rn(3, 2)], views=["t"], args={"s": -0.7})
    case(f"{op}_float64", op, [x.double()], args={"s": 0.1})
    case(f"{op}_int", op, [ri(1, 9, 2, 3)], args={"s": 2.5})
    if op != "rdiv_s":
        case(f"{op}_int_intscalar", op, [ri(-9, 9, 2, 3)], args={"s": 3})
        case(f"{op}_int32_intscalar", op, [ri(-9, 9, 2, 3, dtype=torch.int32)], args={"s": 3})
# integer and bool promotion with tensors
case("add_int_int32", "add", [ri(-9, 9, 2, 3), ri(-9, 9, 3, dtype=torch.int32)])
case("add_int32_zero_dim_int64", "add", [ri(-9, 9, 2, 3, dtype=torch.int32), ri(-9, 9)])
case("add_int_float", "add", [ri(-9, 9, 2, 3), rn(3)])
case("add_int_zero_dim_float64", "add", [ri(-9, 9, 2, 3), rn(dtype=f64)])
case("mul_bool_int", "mul", [torch.tensor([True, False, True]), ri(-9, 9, 2, 3)])
case("mul_bool_float", "mul", [torch.tensor([True, False, True]), rn(2, 3)])
case("div_int_int", "div", [ri(-9, 9, 2, 3), ri(1, 5, 2, 3)])
case("div_int_zero", "div", [idx(1, -1, 0), idx(0, 0, 0)])
case("div_float_zero", "div", [torch.tensor([1.0, -1.0, 0.0]), torch.tensor([0.0, 0.0, 0.0])], gradcheck=False)
# pow: tensor exponent, scalar exponent (PyTorch's special cases and the general one), scalar base
case("pow_tensor", "pow", [pos(2, 3), rn(2, 3)])
case("pow_tensor_broadcast", "pow", [pos(2, 3), rn(3)])
case("pow_tensor_float64", "pow", [pos(2, 3, dtype=f64), rn(2, 3, dtype=f64)])
case("pow_int_int", "pow", [ri(-4, 5, 2, 3), ri(0, 4, 2, 3)])
for s in [2, 3, 0.5, -0.5, -1, -2, 1.5, 0, 1, 2.5]:
    case(f"pow_s_{s}", "pow_s", [pos(2, 3)], args={"s": s})
case("pow_s_2_negative_base", "pow_s", [rn(2, 3)], args={"s": 2})
case("pow_s_3_float64", "pow_s", [rn(2, 3, dtype=f64)], args={"s": 3})
case("pow_s_1.5_float64", "pow_s", [pos(2, 3, dtype=f64)], args={"s": 1.5})
case("pow_s_int_2", "pow_s", [ri(-5, 5, 2, 3)], args={"s": 2})
case("pow_s_int_0.5", "pow_s", [ri(0, 9, 2, 3)], args={"s": 0.5})
case("pow_s_transposed", "pow_s", [pos(3, 2)], views=["t"], args={"s": 1.5})
case("rpow_s", "rpow_s", [rn(2, 3)], args={"s": 2.5})
case("rpow_s_float64", "rpow_s", [rn(2, 3, dtype=f64)], args={"s": 0.7})
for op in ["maximum", "minimum"]:
    case(f"{op}", op, [rn(2, 3), rn(3)])
    case(f"{op}_ties", op, [halves(3, 4), halves(3, 4)], gradcheck=False)
    case(f"{op}_int_float", op, [ri(-2, 3, 2, 3), rn(2, 3)])
# ---- comparisons: bool results, ties, scalars on both sides, promotion ----
for op in ["gt", "lt", "ge", "le", "eq", "ne"]:
    case(f"{op}", op, [halves(3, 4), halves(4)])
    case(f"{op}_int_float", op, [ri(-2, 3, 3, 4), halves(3, 4)])
    case(f"{op}_transposed", op, [halves(4, 3), halves(3, 4)], views=["t", None])
for op in ["gt_s", "le_s", "rlt_s", "eq_s", "ne_s"]:
    case(f"{op}", op, [halves(3, 4)], args={"s": 0.5})
    case(f"{op}_int", op, [ri(-2, 3, 3, 4)], args={"s": 1})
    case(f"{op}_int_fraction", op, [ri(-2, 3, 3, 4)], args={"s": 0.5})
big = torch.tensor([16777217, 16777216, 5, -16777217])  # not representable in float32: compared as int64
case("eq_s_int_large", "eq_s", [big], args={"s": 16777216})
case("gt_s_int_large", "gt_s", [big], args={"s": 16777216})
case("rlt_s_int_large", "rlt_s", [big], args={"s": -16777216})
# ---- unary math ----
for op in ["neg", "abs", "exp", "sin", "cos", "tanh", "sigmoid", "relu", "sign"]:
    case(f"{op}", op, [rn(3, 4, scale=2)], gradcheck=op != "sign")
    case(f"{op}_transposed", op, [rn(4, 3)], views=["t"], gradcheck=op != "sign")
    case(f"{op}_float64", op, [rn(3, 4, dtype=f64, scale=2)], gradcheck=op != "sign")
for op in ["log", "sqrt"]:
    case(f"{op}", op, [pos(3, 4)])
    case(f"{op}_transposed", op, [pos(4, 3)], views=["t"])
    case(f"{op}_float64", op, [pos(3, 4, dtype=f64)])
    case(f"{op}_int", op, [ri(1, 20, 2, 3)])
    case(f"{op}_int32", op, [ri(1, 20, 2, 3, dtype=torch.int32)])
for op in ["exp", "sin", "tanh", "sigmoid"]:
    case(f"{op}_int", op, [ri(-3, 3, 2, 3)])
for op in ["neg", "abs", "relu", "sign"]:
    case(f"{op}_int", op, [ri(-3, 3, 2, 3)])
    case(f"{op}_at_zero", op, [halves(3, 4)], gradcheck=False)
case("exp_large", "exp", [torch.tensor([-100.0, -20.0, 0.0, 20.0, 88.0, 89.0])], gradcheck=False)
case("sigmoid_large", "sigmoid", [torch.tensor([-100.0, -20.0, 0.0, 20.0, 88.0, 100.0])], gradcheck=False)
case("clamp", "clamp", [rn(3, 4)], args={"min": -0.5, "max": 0.5})
case("clamp_at_bounds", "clamp", [halves(3, 4)], args={"min": -0.5, "max": 0.5}, gradcheck=False)
case("clamp_min", "clamp", [rn(3, 4)], args={"min": -0.2})
case("clamp_max", "clamp", [rn(3, 4)], args={"max": 0.3})
case("clamp_min_at_bound", "clamp", [halves(3, 4)], args={"min": 0.0}, gradcheck=False)
case("clamp_transposed", "clamp", [rn(4, 3)], views=["t"], args={"min": -0.5, "max": 0.5})
case("clamp_int", "clamp", [ri(-9, 9, 2, 3)], args={"min": -3, "max": 4})
case("clamp_int_fraction", "clamp", [ri(-9, 9, 2, 3)], args={"min": -1.5, "max": 2.5})
case("clamp_float64", "clamp", [rn(3, 4, dtype=f64)], args={"min": -0.5, "max": 0.5})
# ---- larger tensors (PyTorch's vectorised loops run on blocks of 16 floats) and special values ----
for op in ["neg", "abs", "exp", "sin", "cos", "tanh", "sigmoid", "relu"]:
    case(f"{op}_wide", op, [rn(7, 9, scale=3)], gradcheck=False)
for op in ["log", "sqrt"]:
    case(f"{op}_large", op, [pos(7, 9)], gradcheck=False)
for op in ["add", "sub", "mul", "div", "maximum", "minimum", "pow"]:
    case(f"{op}_large", op, [pos(7, 9), rn(7, 9)], gradcheck=False)
    case(f"{op}_large_broadcast", op, [pos(7, 9), rn(9)], gradcheck=False)
for op in ["add_s", "sub_s", "rsub_s", "mul_s", "div_s", "rdiv_s"]:
    case(f"{op}_large", op, [pos(7, 9)], args={"s": 0.3}, gradcheck=False)
for sx in [2, 3, 0.5, -0.5, -1, -2, 1.5]:
    case(f"pow_s_{sx}_large", "pow_s", [pos(7, 9)], args={"s": sx}, gradcheck=False)
case("add_alpha_large", "add_alpha", [rn(7, 9), rn(7, 9)], args={"alpha": 0.37}, gradcheck=False)
case("clamp_large", "clamp", [rn(7, 9)], args={"min": -0.5, "max": 0.7}, gradcheck=False)
case("sum_large", "sum", [rn(50, 40)], gradcheck=False)
case("sum_dim_large", "sum_dim", [rn(50, 40)], args={"dim": [0], "keepdim": False}, gradcheck=False)
case("mean_large", "mean", [rn(50, 40)], gradcheck=False)
case("matmul_large", "matmul", [rn(33, 47), rn(47, 29)], gradcheck=False)
SPECIAL = torch.tensor([float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e-30, -1e30, 3.5, -2.25])
for op in ["neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "sign"]:
    case(f"{op}_special", op, [SPECIAL], gradcheck=False)
case("clamp_special", "clamp", [SPECIAL], args={"min": -1.0, "max": 1.0}, gradcheck=False)
case("maximum_special", "maximum", [SPECIAL, SPECIAL.flip(0)], gradcheck=False)
case("minimum_special", "minimum", [SPECIAL, SPECIAL.flip(0)], gradcheck=False)
case("max_nan", "max", [SPECIAL], gradcheck=False)
case("min_nan", "min", [SPECIAL], gradcheck=False)
case("max_dim_nan", "max_dim", [SPECIAL.view(3, 3)], args={"dim": 1, "keepdim": False}, gradcheck=False)
case("argmax_nan", "argmax", [SPECIAL], gradcheck=False)
case("argmin_nan", "argmin", [SPECIAL], gradcheck=False)
case("gt_special", "gt", [SPECIAL, SPECIAL.flip(0)])
case("eq_special", "eq", [SPECIAL, SPECIAL.flip(0)])
case("pow_s_special", "pow_s", [SPECIAL], args={"s": 1.5}, gradcheck=False)
case("pow_s_2_special", "pow_s", [SPECIAL], args={"s": 2}, gradcheck=False)
case("div_special", "div", [SPECIAL, SPECIAL.flip(0)], gradcheck=False)
case("mul_special", "mul", [SPECIAL, SPECIAL.flip(0)], gradcheck=False)
# ---- where ----
case("where", "where", [rn(2, 3) > 0, rn(2, 3), rn(2, 3)])
case("where_broadcast", "where", [rn(2, 3) > 0, rn(3), rn(2, 1)])
case("where_f32_f64", "where", [rn(2, 3) > 0, rn(2, 3), rn(2, 3, dtype=f64)])
case("where_int_float", "where", [rn(2, 3) > 0, ri(-5, 5, 2, 3), rn(2, 3)])
case("where_transposed", "where", [rn(3, 2) > 0, rn(3, 2), rn(2, 3)], views=["t", "t", None])
# ---- reductions: all, one dim, several dims, keepdim, ints and bools, ties ----
x3 = rn(2, 3, 4)
case("sum", "sum", [x3])
case("sum_transposed", "sum", [rn(4, 3)], views=["t"])
case("sum_float64", "sum", [rn(2, 3, 4, dtype=f64)])
case("sum_int", "sum", [ri(-9, 9, 2, 3)])
case("sum_int32", "sum", [ri(-9, 9, 2, 3, dtype=torch.int32)])
case("sum_bool", "sum", [rn(2, 3) > 0])
case("sum_zero_dim", "sum", [rn()])
for dim, keep in [([1], False), ([-1], True), ([0, 2], False), ([0, 2], True), ([2, 0], False), ([0, 1, 2], False)]:
    tag = "_".join(str(d) for d in dim) + ("_keepdim" if keep else "")
    case(f"sum_dim_{tag}", "sum_dim", [x3], args={"dim": dim, "keepdim": keep})
    case(f"mean_dim_{tag}", "mean_dim", [x3], args={"dim": dim, "keepdim": keep})
case("sum_dim_transposed", "sum_dim", [rn(2, 4, 3)], views=["t"], args={"dim": [1], "keepdim": False})
case("sum_dim_int", "sum_dim", [ri(-9, 9, 2, 3)], args={"dim": [0], "keepdim": False})
case("mean", "mean", [x3])
case("mean_transposed", "mean", [rn(4, 3)], views=["t"])
case("mean_float64", "mean", [rn(2, 3, 4, dtype=f64)])
for op in ["max", "min"]:
    case(f"{op}", op, [rn(3, 4)])
    case(f"{op}_ties", op, [halves(3, 4)], gradcheck=False)
    case(f"{op}_int", op, [ri(-9, 9, 3, 4)])
    case(f"{op}_transposed", op, [rn(4, 3)], views=["t"])
    for dim, keep in [(1, False), (0, True), (-1, False)]:
        case(f"{op}_dim_{dim}{'_keepdim' if keep else ''}", f"{op}_dim", [rn(3, 4)], args={"dim": dim, "keepdim": keep})
    case(f"{op}_dim_ties", f"{op}_dim", [halves(3, 4)], args={"dim": 1, "keepdim": False}, gradcheck=False)
    case(f"{op}_dim_3d", f"{op}_dim", [rn(2, 3, 4)], args={"dim": 1, "keepdim": False})
    case(f"{op}_dim_int", f"{op}_dim", [ri(-3, 3, 3, 4)], args={"dim": 0, "keepdim": False})
    case(f"{op}_dim_transposed", f"{op}_dim", [rn(4, 3)], views=["t"], args={"dim": 0, "keepdim": True})
for op in ["argmax", "argmin"]:
    case(f"{op}", op, [rn(3, 4)])
    case(f"{op}_ties", op, [halves(3, 4)])
    case(f"{op}_dim", f"{op}_dim", [halves(3, 4)], args={"dim": 1, "keepdim": False})
    case(f"{op}_dim_keepdim", f"{op}_dim", [rn(3, 4)], args={"dim": 0, "keepdim": True})
    case(f"{op}_transposed", f"{op}_dim", [rn(4, 3)], views=["t"], args={"dim": -1, "keepdim": False})
# ---- matrix products ----
case("matmul_2d", "matmul", [rn(2, 3), rn(3, 4)])
case("matmul_2d_transposed", "matmul", [rn(3, 2), rn(4, 3)], views=["t", "t"])
case("matmul_2d_float64", "matmul", [rn(2, 3, dtype=f64), rn(3, 4, dtype=f64)])
case("matmul_2d_int", "matmul", [ri(-5, 5, 2, 3), ri(-5, 5, 3, 4)])
case("matmul_dot", "matmul", [rn(3), rn(3)])
case("matmul_mv", "matmul", [rn(2, 3), rn(3)])
case("matmul_vm", "matmul", [rn(3), rn(3, 4)])
case("matmul_3d_3d", "matmul_batched", [rn(5, 2, 3), rn(5, 3, 4)])
case("matmul_3d_2d", "matmul_batched", [rn(5, 2, 3), rn(3, 4)])
case("matmul_2d_3d", "matmul_batched", [rn(2, 3), rn(5, 3, 4)])
case("matmul_1d_3d", "matmul_batched", [rn(3), rn(5, 3, 4)])
case("matmul_3d_1d", "matmul_batched", [rn(5, 2, 3), rn(3)])
case("matmul_4d_broadcast", "matmul_batched", [rn(2, 1, 2, 3), rn(5, 3, 4)])
case("matmul_3d_transposed", "matmul_batched", [rn(5, 3, 2), rn(5, 3, 4)], views=["t", None])
case("mm", "mm", [rn(4, 3), rn(3, 5)])
case("mm_transposed", "mm", [rn(3, 4), rn(3, 5)], views=["t", None])
case("bmm", "bmm", [rn(3, 2, 4), rn(3, 4, 5)])
# ---- views, copies, cat/stack ----
case("view", "view", [rn(2, 3)], args={"shape": [3, 2]})
case("view_infer", "view", [rn(2, 3, 4)], args={"shape": [-1, 4]})
case("reshape_contiguous", "reshape", [rn(2, 3)], args={"shape": [6]})
case("reshape_transposed", "reshape", [rn(3, 2)], views=["t"], args={"shape": [6]})
case("reshape_strided", "reshape", [rn(2, 6)], views=["step"], args={"shape": [3, 2]})
case("t", "t", [rn(2, 3)])
case("t_1d", "t", [rn(3)])
case("transpose", "transpose", [rn(2, 3, 4)], args={"dim0": 0, "dim1": 2})
case("transpose_negative", "transpose", [rn(2, 3, 4)], args={"dim0": -1, "dim1": -2})
case("permute", "permute", [rn(2, 3, 4)], args={"dims": [2, 0, 1]})
case("permute_negative", "permute", [rn(2, 3, 4)], args={"dims": [-1, 0, 1]})
case("expand", "expand", [rn(2, 1, 3)], args={"shape": [2, 4, 3]})
case("expand_new_dims", "expand", [rn(3)], args={"shape": [2, 4, 3]})
case("expand_minus_one", "expand", [rn(2, 1)], args={"shape": [-1, 3]})
case("squeeze", "squeeze", [rn(2, 1, 3, 1)])
case("squeeze_dim", "squeeze_dim", [rn(2, 1, 3)], args={"dim": 1})
case("squeeze_dim_not_one", "squeeze_dim", [rn(2, 1, 3)], args={"dim": 0})
case("unsqueeze", "unsqueeze", [rn(2, 3)], args={"dim": 0})
case("unsqueeze_last", "unsqueeze", [rn(2, 3)], args={"dim": -1})
case("unsqueeze_transposed", "unsqueeze", [rn(3, 2)], views=["t"], args={"dim": 1})
case("flatten", "flatten", [rn(2, 3, 4)], args={"start": 0, "end": -1})
case("flatten_1", "flatten", [rn(2, 3, 4)], args={"start": 1, "end": -1})
case("flatten_transposed", "flatten", [rn(2, 4, 3)], views=["t"], args={"start": 0, "end": -1})
case("contiguous_transposed", "contiguous", [rn(3, 2)], views=["t"])
case("clone", "clone", [rn(2, 3)])
case("clone_strided", "clone", [rn(2, 6)], views=["step"])
case("narrow", "narrow", [rn(3, 5)], args={"dim": 1, "start": 1, "length": 3})
case("select", "select", [rn(3, 5)], args={"dim": 1, "index": -2})
case("to_f64", "to_f64", [rn(2, 3)])
case("to_f32", "to_f32", [rn(2, 3, dtype=f64)])
case("to_f64_int", "to_f64", [ri(-3, 3, 2, 3)])
# 0-d tensors through views and reductions
case("zero_dim_sum_dim", "sum_dim", [rn()], args={"dim": [0], "keepdim": False})
case("zero_dim_sum_dim_keepdim", "sum_dim", [rn()], args={"dim": [-1], "keepdim": True})
case("zero_dim_mean_dim", "mean_dim", [rn()], args={"dim": [0], "keepdim": False})
case("zero_dim_max", "max", [rn()])
case("zero_dim_max_dim", "max_dim", [rn()], args={"dim": 0, "keepdim": False})
case("zero_dim_argmax_dim", "argmax_dim", [rn()], args={"dim": 0, "keepdim": False})
case("zero_dim_unsqueeze", "unsqueeze", [rn()], args={"dim": 0})
case("zero_dim_squeeze", "squeeze", [rn()])
case("zero_dim_view", "view", [rn()], args={"shape": [1, 1]})
case("zero_dim_reshape", "reshape", [rn()], args={"shape": [-1]})
case("zero_dim_expand", "expand", [rn()], args={"shape": [2, 3]})
case("zero_dim_t", "t", [rn()])
case("zero_dim_flatten", "flatten", [rn()], args={"start": 0, "end": -1})
case("zero_dim_index_none", "index", [rn()], args={"spec": [{"none": True}]})
case("zero_dim_index_ellipsis", "index", [rn()], args={"spec": [{"ellipsis": True}]})
case("zero_dim_mul", "mul", [rn(), rn()])
case("zero_dim_matmul_error_free_dot", "matmul", [rn(1), rn(1)])
case("cat_0", "cat", [rn(2, 3), rn(1, 3)], args={"dim": 0})
case("cat_1", "cat", [rn(2, 3), rn(2, 2), rn(2, 1)], args={"dim": 1})
case("cat_negative", "cat", [rn(2, 2, 3), rn(2, 2, 1)], args={"dim": -1})
case("cat_transposed", "cat", [rn(3, 2), rn(2, 3)], views=["t", None], args={"dim": 0})
case("cat_f32_f64", "cat", [rn(2, 3), rn(2, 3, dtype=f64)], args={"dim": 0})
case("cat_int", "cat", [ri(-3, 3, 2), ri(-3, 3, 3)], args={"dim": 0})
case("stack_0", "stack", [rn(2, 3), rn(2, 3)], args={"dim": 0})
case("stack_1", "stack", [rn(2, 3), rn(2, 3), rn(2, 3)], args={"dim": 1})
case("stack_last", "stack", [rn(2, 3), rn(2, 3)], args={"dim": -1})
# ---- nn: linear and mse ----
case("linear_2d", "linear", [rn(4, 3), rn(2, 3), rn(2)])
case("linear_no_bias", "linear", [rn(4, 3), rn(2, 3)])
case("linear_3d", "linear", [rn(5, 4, 3), rn(2, 3), rn(2)])
case("linear_1d", "linear", [rn(3), rn(2, 3), rn(2)])
case("linear_transposed_input", "linear", [rn(3, 4), rn(2, 3), rn(2)], views=["t", None, None])
for red in ["mean", "sum", "none"]:
    case(f"mse_loss_{red}", "mse_loss", [rn(3, 4), rn(3, 4)], args={"reduction": red})
case("mse_loss_target_no_grad", "mse_loss", [rn(3, 4), rn(3, 4)], args={"reduction": "mean"}, grad=[True, False])
# ---- in-place ops on non-leaves ----
case("add_inplace", "add_", [rn(2, 3), rn(3)], args={"alpha": 2.0})
case("add_s_inplace", "add_s_", [rn(2, 3)], args={"s": 1.5})
case("sub_inplace", "sub_", [rn(2, 3), rn(2, 3)])
case("mul_inplace", "mul_", [rn(2, 3), rn(2, 3)])
case("div_inplace", "div_", [rn(2, 3), pos(2, 3)])
case("pow_inplace", "pow_", [pos(2, 3)], args={"s": 2.0})
case("clamp_inplace", "clamp_", [rn(2, 3)], args={"min": -0.5, "max": 0.5})
case("zero_inplace", "zero_", [rn(2, 3)])
case("fill_inplace", "fill_", [rn(2, 3)], args={"s": 2.5})
case("copy_inplace", "copy_", [rn(2, 3), rn(3)])
case("copy_inplace_f64", "copy_", [rn(2, 3), rn(2, 3, dtype=f64)])


# ---- indexing (get through the op table, so gradients are checked too) ----
def I(i):
    return {"int": i}


def S(start=None, stop=None, step=None):
    return {"slice": [start, stop, step]}


E = {"ellipsis": True}
N = {"none": True}


def T(t):
    return {"tensor_value": t}


x45 = rn(4, 5)
x345 = rn(3, 4, 5)
INDEX_GET = [
    ("int", x45, [I(1)]),
    ("int_negative", x45, [I(-1)]),
    ("int_int", x45, [I(1), I(-2)]),
    ("colon_int", x45, [S(), I(1)]),
    ("from_1", x45, [S(1)]),
    ("to_minus_1", x45, [S(None, -1)]),
    ("slice_step", x45, [S(0, 4, 2)]),
    ("slice_step_dim1", x45, [S(), S(1, None, 2)]),
    ("slice_clamped", x45, [S(-10, 10)]),
    ("slice_empty", x45, [S(3, 1)]),
    ("ellipsis_int", x345, [E, I(0)]),
    ("ellipsis_none", x45, [E, N]),
    ("none_int", x45, [N, I(1)]),
    ("int_none_slice", x345, [I(1), N, S(1, 3)]),
    ("ellipsis_middle", x345, [I(0), E, I(2)]),
    ("tensor", x45, [T(idx(0, 2, 2))]),
    ("tensor_negative", x45, [T(idx(-1, 0))]),
    ("tensor_2d", x45, [T(idx(0, 1, 3, 3).view(2, 2))]),
    ("tensor_dim1", x45, [S(), T(idx(4, 0))]),
    ("tensors_adjacent", x45, [T(idx(0, 1, 3)), T(idx(1, 2, 4))]),
    ("tensors_broadcast", x45, [T(idx(0, 2).view(2, 1)), T(idx(1, 2, 4))]),
    ("tensors_separated", x345, [T(idx(0, 2)), S(), T(idx(1, 4))]),
    ("tensors_adjacent_middle", x345, [S(), T(idx(0, 3)), T(idx(1, 4))]),
    ("slice_then_tensor", x345, [S(1, 3), T(idx(2, 0, 2))]),
    ("int_then_tensor", x345, [I(1), S(), T(idx(2, 0))]),
    ("mask", x45, [T(x45 > 0)]),
    ("mask_rows", x45, [T(torch.tensor([True, False, True, True]))]),
    ("mask_dim1", x45, [S(), T(torch.tensor([True, False, False, True, True]))]),
    ("mask_2d_of_3d", x345, [T(x345[:, :, 0] > 0)]),
    ("mask_none", x45, [T(torch.zeros(4, 5, dtype=torch.bool))]),
]
for name, base, spec in INDEX_GET:
    case(f"index_{name}", "index", [base], args={"spec": spec})
case("index_transposed", "index", [rn(5, 4)], views=["t"], args={"spec": [S(), T(idx(3, 1))]})
case("index_int_tensor", "index", [ri(-9, 9, 4, 5)], args={"spec": [T(idx(0, 3)), S(1, 3)]})

INDEX_SET = [
    ("int", rn(4, 5), rn(5), [I(1)]),
    ("colon_0", rn(4, 5), rn(4), [S(), I(0)]),
    ("slice_step", rn(4, 5), rn(5), [S(0, 4, 2)]),
    ("ellipsis_last", rn(3, 4, 5), rn(3, 4), [E, I(-1)]),
    ("scalar", rn(4, 5), rn(), [I(2), S(1, 3)]),
    ("tensor_rows", rn(4, 5), rn(2, 5), [T(idx(0, 3))]),
    ("tensor_broadcast", rn(4, 5), rn(5), [T(idx(1, 2))]),
    ("tensors_pairs", rn(4, 5), rn(3), [T(idx(0, 1, 3)), T(idx(4, 2, 0))]),
    ("mask", rn(4, 5), rn(), None),
    ("mask_rows", rn(4, 5), rn(5), [T(torch.tensor([True, False, True, False]))]),
]
for name, base, value, spec in INDEX_SET:
    if spec is None:
        spec = [T(base > 0)]
    case(f"index_put_{name}", "index_put", [base, value], args={"spec": spec})

# ---- factories ----
FACTORIES = {}


def fac(name, t):
    FACTORIES[name] = tensor(t)


fac("tensor_long", torch.tensor(42))
fac("tensor_double", torch.tensor(0.1))
fac("tensor_double_f64", torch.tensor(0.1, dtype=f64))
fac("tensor_bool", torch.tensor(True))
fac("tensor_long_1d", torch.tensor([1, -2, 3]))
fac("tensor_double_1d", torch.tensor([0.1, -2.5, 3.0]))
fac("tensor_bool_1d", torch.tensor([True, False]))
fac("tensor_long_2d", torch.tensor([[1, 2], [3, 4]]))
fac("tensor_double_2d", torch.tensor([[0.1, 0.2], [0.3, 0.4]]))
fac("tensor_double_2d_f64", torch.tensor([[0.1, 0.2], [0.3, 0.4]], dtype=f64))
fac("zeros", torch.zeros(2, 3))
fac("zeros_int", torch.zeros(2, 3, dtype=torch.int64))
fac("ones", torch.ones(2, 3))
fac("ones_bool", torch.ones(2, dtype=torch.bool))
fac("full", torch.full((2, 3), 7.5))
fac("full_f64", torch.full((2, 3), 0.1, dtype=f64))
fac("full_int", torch.full((2,), 7, dtype=torch.int64))
fac("full_int_inferred", torch.full((2,), 7))
fac("full_bool", torch.full((2,), True))
fac("arange_5", torch.arange(5))
fac("arange_1_10_3", torch.arange(1, 10, 3))
fac("arange_10_0_m3", torch.arange(10, 0, -3))
fac("arange_6_f32", torch.arange(6, dtype=torch.float32))
fac("arange_float_step", torch.arange(0.0, 1.0, 0.1))
fac("arange_float_neg", torch.arange(-1.0, 1.0, 0.25))
fac("arange_float_f64", torch.arange(0.0, 1.0, 0.1, dtype=f64))
fac("arange_float_uneven", torch.arange(0.5, 3.0, 0.7))
# 16 or more elements take PyTorch's vectorised path (base + i * step per block of 8 floats / 4 doubles).
fac("arange_float_long", torch.arange(-2.0, 3.0, 0.1))
fac("arange_float_long_f64", torch.arange(-2.0, 3.0, 0.1, dtype=f64))
fac("arange_float_long_neg", torch.arange(3.0, -2.0, -0.3))
fac("linspace_m1_1_12", torch.linspace(-1, 1, 12))
fac("linspace_0_1_5", torch.linspace(0, 1, 5))
fac("linspace_0_1_1", torch.linspace(0, 1, 1))
fac("linspace_m3_7_9_f64", torch.linspace(-3, 7, 9, dtype=f64))
fac("linspace_0_1_100", torch.linspace(0, 1, 100))
fac("linspace_1_m1_7", torch.linspace(1, -1, 7))
fac("linspace_int", torch.linspace(0, 10, 4, dtype=torch.int64))
fac("linspace_0_1_33", torch.linspace(0, 1, 33))
fac("linspace_m5_3_101_f64", torch.linspace(-5, 3, 101, dtype=f64))
fac("linspace_3_m7_17", torch.linspace(3, -7, 17))
fac("linspace_int_long", torch.linspace(-3, 100, 37, dtype=torch.int64))
fac("eye_3", torch.eye(3))
fac("eye_2_4", torch.eye(2, 4))
fac("eye_3_int", torch.eye(3, dtype=torch.int64))
fac("zeros_like_int", torch.zeros_like(torch.tensor([1, 2, 3])))
fac("ones_like", torch.ones_like(torch.zeros(2, 2, dtype=f64)))
fac("full_like", torch.full_like(torch.zeros(2, 2), 3.0))
torch.manual_seed(7)
fac("randn_2_3", torch.randn(2, 3))
torch.manual_seed(7)
fac("randn_2_3_f64", torch.randn([2, 3], dtype=f64, requires_grad=True))
torch.manual_seed(7)
fac("randn_like", torch.randn_like(torch.zeros(3, 2, dtype=f64)))
torch.manual_seed(7)
fac("rand_2_3", torch.rand(2, 3))
torch.manual_seed(7)
fac("normal_inplace", torch.empty(4, 5).normal_(1.0, 0.5))
torch.manual_seed(7)
fac("uniform_inplace", torch.empty(3, 3).uniform_(-2, 3))
fac("cat_mixed", torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])]))
fac("stack_int", torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], dim=1))

# ---- Linear default init: exact for several seeds and shapes ----
LINEAR_INIT = []
for seed in [0, 42, 123]:
    for fin, fout, bias in [(3, 2, True), (7, 5, True), (1, 1, True), (16, 20, False), (784, 10, True)]:
        torch.manual_seed(seed)
        lin = nn.Linear(fin, fout, bias=bias)
        LINEAR_INIT.append({
            "seed": seed, "in": fin, "out": fout, "bias": bias, "repr": repr(lin),
            "weight": tensor(lin.weight), "bias_value": tensor(lin.bias),
            # The generator state after init: the next randn must agree too.
            "next": tensor(torch.randn(3)),
        })


# ---- SGD: the update rule for every option combination, gradients given (exact) ----
def sgd_combos():
    for momentum in [0.0, 0.9]:
        for dampening in [0.0, 0.5]:
            for wd in [0.0, 0.01]:
                for nesterov in [False, True]:
                    for maximize in [False, True]:
                        if nesterov and (momentum == 0 or dampening != 0):
                            continue
                        yield {"lr": 0.1, "momentum": momentum, "dampening": dampening,
                               "weight_decay": wd, "nesterov": nesterov, "maximize": maximize}


SGD_RULE = []
p0 = rn(2, 3)
grads = [rn(2, 3) for _ in range(5)]
for opts in sgd_combos():
    p = p0.clone().requires_grad_(True)
    opt = torch.optim.SGD([p], **opts)
    steps = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        steps.append(tensor(p))
    SGD_RULE.append({"options": opts, "initial": tensor(p0), "grads": [tensor(g) for g in grads], "params": steps})

# ---- SGD: a real training loop (Linear + MSE) for a few option sets, within tolerance ----
SGD_TRAIN = []
X = rn(8, 3)
Y = rn(8, 2)
for opts in [{"lr": 0.1}, {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
             {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "maximize": False}]:
    torch.manual_seed(3)
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), **opts)
    losses, weights, biases = [], [], []
    for _ in range(5):
        opt.zero_grad()
        loss = F.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        weights.append(tensor(model.weight))
        biases.append(tensor(model.bias))
    SGD_TRAIN.append({"options": opts, "seed": 3, "x": tensor(X), "y": tensor(Y), "losses": losses,
                      "weights": weights, "biases": biases})


# ---- Modules: keys, order, reprs ----
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


class ExperimentModel2(nn.Module):
    def __init__(self):
        super().__init__()
        self.my_tensor = torch.randn(1, requires_grad=True)
        self.my_param = nn.Parameter(torch.randn(1))


class CustomLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.randn(out_features))
        self.scale = torch.tensor(0.1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('steps', torch.tensor(0))
        self.fc = nn.Linear(2, 2)
        self.scale = nn.Parameter(torch.ones(2))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('mean', torch.zeros(3))  # a buffer registered before any parameter
        self.fc1 = nn.Linear(3, 4)
        self.temp = nn.Parameter(torch.ones(1))
        self.register_buffer('cache', torch.zeros(2), persistent=False)
        self.block = Block()
        self.shared = self.block  # the same submodule under a second name
        self.head = nn.Linear(4, 2, bias=False)
        self.register_parameter('unused', None)
        self.plain = torch.zeros(1)  # a plain tensor: not registered


class Empty(nn.Module):
    pass


def describe(m):
    return {
        "repr": repr(m),
        "named_parameters": [[n, list(p.shape)] for n, p in m.named_parameters()],
        "named_buffers": [[n, list(b.shape)] for n, b in m.named_buffers()],
        "state_dict": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in m.state_dict().items()],
        "named_modules": [[n, type(c).__name__] for n, c in m.named_modules()],
        "named_children": [[n, type(c).__name__] for n, c in m.named_children()],
        "parameter_count": len(list(m.parameters())),
    }


torch.manual_seed(42)
MODULES = {
    "ExperimentModel": describe(ExperimentModel()),
    "ExperimentModel2": describe(ExperimentModel2()),
    "CustomLinear": describe(CustomLinear(3, 2)),
    "Net": describe(Net()),
    "Block": describe(Block()),
    "Empty": describe(Empty()),
    "Linear": describe(nn.Linear(3, 2)),
    "LinearNoBias": describe(nn.Linear(3, 2, bias=False)),
}

# load_state_dict outcomes (messages and _IncompatibleKeys reprs)
net = Net()
sd = net.state_dict()
partial = {k: v for k, v in sd.items() if k != "head.weight"}
partial["extra"] = torch.zeros(1)
LOAD = {"partial_non_strict": repr(net.load_state_dict(partial, strict=False)),
        "full": repr(net.load_state_dict(sd))}
try:
    net.load_state_dict(partial)
except RuntimeError as e:
    LOAD["partial_strict_error"] = str(e)
bad = dict(sd)
bad["fc1.weight"] = torch.zeros(5, 3)
bad["extra"] = torch.zeros(1)
del bad["temp"]
try:
    net.load_state_dict(bad, strict=False)
except RuntimeError as e:
    LOAD["shape_mismatch_error"] = str(e)
try:
    net.load_state_dict(bad)
except RuntimeError as e:
    LOAD["strict_all_errors"] = str(e)

# ---- printing of leaf, computed, parameter and integer tensors ----
PRINTS = {}
a = torch.tensor([[0.5, -1.25, 2.0], [3.0, -0.8022, 0.125]], requires_grad=True)
PRINTS["leaf"] = str(a)
PRINTS["mul"] = str(a * 2)
PRINTS["sum"] = str(a.sum())
PRINTS["select"] = str(a[0])
PRINTS["double_mul"] = str(a.double() * 2)
PRINTS["detach"] = str((a * 2).detach())
with torch.no_grad():
    PRINTS["no_grad_mul"] = str(a * 2)
PRINTS["parameter"] = str(nn.Parameter(a.detach().clone()))
PRINTS["parameter_f64"] = str(nn.Parameter(a.detach().double()))
PRINTS["int"] = str(torch.tensor(42))
PRINTS["int_matrix"] = str(torch.arange(6).view(2, 3))
PRINTS["int32"] = str(torch.tensor([1, 2], dtype=torch.int32))
PRINTS["bool"] = str(torch.tensor([True, False]))
PRINTS["scalar"] = str(torch.tensor([-0.8022]))
PRINTS["f64_leaf"] = str(a.detach().double().requires_grad_())
PRINTS["transposed"] = str(a.detach().t())
PRINTS["empty"] = str(torch.zeros(0, 3))
PRINTS["gt"] = str(a > 0)
PRINTS["grad"] = None
(a * a).sum().backward()
PRINTS["grad"] = str(a.grad)

# ---- autograd behaviour ----
AUTOGRAD = {}
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()  # no saved tensors: a second backward is allowed
AUTOGRAD["twice_without_saved"] = tensor(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
AUTOGRAD["twice_retained"] = tensor(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
z = x * 2
z.retain_grad()
(z * z).sum().backward()
AUTOGRAD["retain_grad_nonleaf"] = tensor(z.grad)
AUTOGRAD["retain_grad_leaf"] = tensor(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
(x.exp() * x).sum().backward()
AUTOGRAD["diamond"] = tensor(x.grad)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x * x
y.backward(torch.tensor([[1.0, 0.5], [0.25, 2.0]]))
AUTOGRAD["backward_gradient"] = tensor(x.grad)
x = torch.tensor([1.0, -2.0], requires_grad=True)
u = x * 3
v = u.detach() * x
v.sum().backward()
AUTOGRAD["detach_blocks"] = tensor(x.grad)
x = torch.tensor([1.0, -2.0], requires_grad=True)
w = x.data
w.mul_(2)
AUTOGRAD["data_shares_storage"] = tensor(x)
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.zero_()
y.sum().backward()
AUTOGRAD["zero_on_nonleaf"] = tensor(x.grad)

# ---- error messages, as PyTorch words them ----
ERRORS = {}


def err(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        ERRORS[name] = str(e).split("\n")[0]
        return
    raise AssertionError(f"{name} did not raise")


err("mm_shapes", lambda: torch.randn(64, 784) @ torch.randn(100, 10))
err("matmul_3d_shapes", lambda: torch.randn(2, 3, 4) @ torch.randn(5, 6))
err("linear_shapes", lambda: F.linear(torch.randn(64, 784), torch.randn(10, 100)))
err("broadcast", lambda: torch.randn(2, 3) + torch.randn(2, 4))
err("requires_grad_int", lambda: torch.tensor([1, 2]).requires_grad_())
err("mean_int", lambda: torch.tensor([1, 2]).mean())
err("backward_twice", lambda: (lambda x: (lambda y: (y.backward(), y.backward()))((x * x).sum()))(
    torch.ones(2, requires_grad=True)))
err("backward_non_scalar", lambda: (torch.ones(2, requires_grad=True) * 2).backward())
err("backward_no_grad", lambda: torch.ones(2).sum().backward())


def modified_saved():
    x = torch.ones(2, 3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


err("modified_saved", modified_saved)
err("inplace_leaf", lambda: torch.ones(2, requires_grad=True).add_(1))
err("view_invalid", lambda: torch.randn(2, 3).t().view(6))
err("index_out_of_range", lambda: torch.randn(2, 3)[5])
err("cat_shapes", lambda: torch.cat([torch.randn(2, 3), torch.randn(2, 4)]))
err("dim_out_of_range", lambda: torch.randn(2, 3).sum(dim=2))

# ---- version counter ----
VERSIONS = {}
x = torch.zeros(4)
v = x[1:3]
seq = [x._version]
x.add_(1)
seq.append(x._version)
v.mul_(2)
seq.append(x._version)
x[0] = 5
seq.append(x._version)
x.zero_()
seq.append(x._version)
VERSIONS["sequence"] = seq
VERSIONS["view_version"] = v._version

write("core", {
    "ops": CASES,
    "factories": FACTORIES,
    "linear_init": LINEAR_INIT,
    "sgd_rule": SGD_RULE,
    "sgd_train": SGD_TRAIN,
    "modules": MODULES,
    "load_state_dict": LOAD,
    "prints": PRINTS,
    "autograd": AUTOGRAD,
    "errors": ERRORS,
    "versions": VERSIONS,
})
