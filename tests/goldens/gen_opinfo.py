# The OpInfo-style sweep (PyTorch tests itself this way: common_methods_invocations.py): every row names an op, the Nabla
# members it covers and how PyTorch computes it; each row runs over a family of sample inputs — empty, 0-d, transposed and
# strided, broadcast, negative dims, every dtype — and records values, grad_fn, gradients, or the error PyTorch raises.
# Writes opinfo.json. tests/Nabla.Tests/OpInfo/ replays it by reflection on the named members, so a new op is one row here.
# Run: /usr/bin/python3 tests/goldens/gen_opinfo.py   (Debian python3-torch 1.13)
from golden_util import tensor, write  # sets ATEN_CPU_CAPABILITY=default before torch loads

import torch

_gen = torch.Generator().manual_seed(2024)
F32, F64, I64, I32, BOOL = torch.float32, torch.float64, torch.int64, torch.int32, torch.bool


def values(shape, dtype, domain):
    """Deterministic sample values: "real" in about [-2, 2], "positive" in [0.25, 2.25]; integers and bools for other dtypes."""
    if dtype == BOOL:
        return torch.randint(0, 2, shape, generator=_gen).bool()
    if domain == "index":  # valid indices into a dim of size 2 or more
        return torch.randint(0, 2, shape, generator=_gen).to(dtype)
    if not dtype.is_floating_point:
        lo = 1 if domain == "positive" else -4
        return torch.randint(lo, 5, shape, generator=_gen).to(dtype)
    if domain == "positive":
        return (torch.rand(shape, generator=_gen, dtype=F64) * 2 + 0.25).to(dtype)
    return torch.randn(shape, generator=_gen, dtype=F64).to(dtype)


def arg(shape, dtype=F32, view=None, domain="real"):
    """One tensor input: its base shape and dtype, and the view taken of it ("t": transposed, "step": every other column)."""
    return {"shape": shape, "dtype": dtype, "view": view, "domain": domain}


def sample(name, inputs, args=None):
    return {"name": name, "inputs": inputs, "args": args or {}}


def unary_samples(domain):
    return [
        sample("contiguous", [arg([2, 3], domain=domain)]),
        sample("zero_dim", [arg([], domain=domain)]),
        sample("empty", [arg([0, 3], domain=domain)]),
        sample("transposed", [arg([3, 2], view="t", domain=domain)]),
        sample("strided", [arg([2, 6], view="step", domain=domain)]),
        sample("float64", [arg([2, 3], F64, domain=domain)]),
        sample("int64", [arg([2, 3], I64, domain=domain)]),
        sample("int32", [arg([3], I32, domain=domain)]),
        sample("bool", [arg([3], BOOL)]),
    ]


def binary_samples(domain="real", other="real"):
    return [
        sample("same_shape", [arg([2, 3], domain=domain), arg([2, 3], domain=other)]),
        sample("broadcast", [arg([2, 3], domain=domain), arg([3], domain=other)]),
        sample("broadcast_both", [arg([4, 1, 3], domain=domain), arg([2, 1], domain=other)]),
        sample("zero_dim", [arg([], domain=domain), arg([2, 3], domain=other)]),
        sample("empty", [arg([0, 3], domain=domain), arg([3], domain=other)]),
        sample("transposed", [arg([3, 2], view="t", domain=domain), arg([2, 3], domain=other)]),
        sample("strided", [arg([2, 6], view="step", domain=domain), arg([2, 3], domain=other)]),
        sample("float64", [arg([2, 3], F64, domain=domain), arg([2, 3], F64, domain=other)]),
        sample("int64", [arg([2, 3], I64, domain=domain), arg([2, 3], I64, domain="positive")]),
        sample("int64_float32", [arg([2, 3], I64, domain=domain), arg([3], domain=other)]),
        sample("float32_float64", [arg([2, 3], domain=domain), arg([2, 3], F64, domain=other)]),
        sample("shape_mismatch", [arg([2, 3], domain=domain), arg([4])]),
    ]


def inplace_samples(domain="real"):
    return [
        sample("same_shape", [arg([2, 3], domain=domain), arg([2, 3])]),
        sample("broadcast_other", [arg([2, 3], domain=domain), arg([3])]),
        sample("transposed", [arg([3, 2], view="t", domain=domain), arg([2, 3])]),
        sample("float64", [arg([2, 3], F64, domain=domain), arg([2, 3], F64)]),
        sample("self_not_broadcast", [arg([3], domain=domain), arg([2, 3])]),
        sample("float_into_int", [arg([2, 3], I64, domain=domain), arg([2, 3])]),
    ]


def reduction_samples(kind):
    s = [
        sample("dim1", [arg([2, 3, 4])], {"dim": 1}),
        sample("negative_dim_keepdim", [arg([2, 3, 4])], {"dim": -1, "keepdim": True}),
        sample("dim_minus3", [arg([2, 3, 4])], {"dim": -3}),
        sample("transposed", [arg([4, 3], view="t")], {"dim": 1}),
        sample("float64", [arg([3, 4], F64)], {"dim": 0}),
        sample("zero_dim", [arg([])], {"dim": 0}),
        sample("empty_other_dim", [arg([0, 3])], {"dim": 1}),
        sample("empty_reduced_dim", [arg([0, 3])], {"dim": 0}),
        sample("dim_out_of_range", [arg([2, 3])], {"dim": 2}),
        sample("negative_dim_out_of_range", [arg([2, 3])], {"dim": -3}),
        sample("int64", [arg([2, 3], I64)], {"dim": 1}),
    ]
    if kind == "dims":
        s += [sample("two_dims", [arg([2, 3, 4])], {"dim": [0, 2]}),
              sample("repeated_dim", [arg([2, 3])], {"dim": [1, -1]})]
    return s


# (row name, Nabla members that compute it, PyTorch's computation, samples). Arguments use names both sides share.
UNARY = {
    "abs": ("Abs", "real"), "neg": ("Neg", "real"), "exp": ("Exp", "real"), "log": ("Log", "positive"),
    "sqrt": ("Sqrt", "positive"), "sin": ("Sin", "real"), "cos": ("Cos", "real"), "tanh": ("Tanh", "real"),
    "sigmoid": ("Sigmoid", "real"), "relu": ("Relu", "real"), "sign": ("Sign", "real"), "erf": ("Erf", "real"),
    "expm1": ("Expm1", "real"), "log1p": ("Log1p", "positive"), "rsqrt": ("Rsqrt", "positive"),
    "square": ("Square", "real"), "floor": ("Floor", "real"), "ceil": ("Ceil", "real"), "round": ("Round", "real"),
    "logical_not": ("LogicalNot", "real"),
}
STATIC_UNARY = {"abs", "neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "erf", "expm1", "log1p",
                "rsqrt", "square", "floor", "ceil", "round"}
BINARY = {
    "add": ("Add", lambda x, a: torch.add(x[0], x[1])), "sub": ("Sub", lambda x, a: torch.sub(x[0], x[1])),
    "mul": ("Mul", lambda x, a: torch.mul(x[0], x[1])), "div": ("Div", lambda x, a: torch.div(x[0], x[1])),
    "maximum": ("Maximum", lambda x, a: torch.maximum(x[0], x[1])),
    "minimum": ("Minimum", lambda x, a: torch.minimum(x[0], x[1])),
    "xlogy": ("Xlogy", lambda x, a: torch.xlogy(x[0], x[1])),
    "rsub": ("Rsub", lambda x, a: torch.rsub(x[0], x[1])),
    "gt": ("Gt", lambda x, a: torch.gt(x[0], x[1])), "lt": ("Lt", lambda x, a: torch.lt(x[0], x[1])),
    "ge": ("Ge", lambda x, a: torch.ge(x[0], x[1])), "le": ("Le", lambda x, a: torch.le(x[0], x[1])),
}
OPERATORS = {"gt": "op_GreaterThan", "lt": "op_LessThan", "ge": "op_GreaterThanOrEqual", "le": "op_LessThanOrEqual"}
STATIC_BINARY = {"add", "sub", "mul", "div", "maximum", "minimum", "xlogy"}
INPLACE = {"add_": "Add_", "sub_": "Sub_", "mul_": "Mul_", "div_": "Div_"}
REDUCTIONS = {
    "sum": ("Sum", "dims"), "mean": ("Mean", "dims"), "logsumexp": ("Logsumexp", "dims"), "std": ("Std", "dims"),
    "var": ("Var", "dims"), "cumsum": ("Cumsum", "one"), "argmax": ("Argmax", "keepdim"), "argmin": ("Argmin", "keepdim"),
}
STATIC_REDUCTIONS = {"sum", "mean", "logsumexp", "std", "var", "cumsum", "argmax", "argmin"}


def logical_samples():
    return [
        sample("bool", [arg([2, 3], BOOL), arg([2, 3], BOOL)]),
        sample("broadcast", [arg([2, 3], BOOL), arg([3], BOOL)]),
        sample("float", [arg([2, 3]), arg([2, 3])]),
        sample("int64_bool", [arg([2, 3], I64), arg([3], BOOL)]),
        sample("shape_mismatch", [arg([2, 3], BOOL), arg([4], BOOL)]),
    ]


# Rows with their own samples: (name, members, PyTorch's computation, samples).
SPECIAL = [
    ("logical_and", ["Tensor.op_BitwiseAnd"], lambda x, a: torch.logical_and(x[0], x[1]), logical_samples()),
    ("logical_or", ["Tensor.op_BitwiseOr"], lambda x, a: torch.logical_or(x[0], x[1]), logical_samples()),
    ("logical_xor", ["Tensor.op_ExclusiveOr"], lambda x, a: torch.logical_xor(x[0], x[1]), logical_samples()),
    ("clamp", ["Tensor.Clamp", "Torch.Clamp"], lambda x, a: torch.clamp(x[0], **a),
     [dict(s, args={"min": -0.5, "max": 0.5}) for s in unary_samples("real")[:6]]
     + [sample("min_only", [arg([2, 3])], {"min": 0.1}), sample("max_only", [arg([2, 3])], {"max": -0.1})]),
    ("max_all", ["Torch.Max"], lambda x, a: torch.max(x[0]), unary_samples("real")[:5]),
    ("min_all", ["Torch.Min"], lambda x, a: torch.min(x[0]), unary_samples("real")[:5]),
    ("dot", ["Tensor.Dot"], lambda x, a: torch.dot(x[0], x[1]), [
        sample("float32", [arg([3]), arg([3])]), sample("float64", [arg([4], F64), arg([4], F64)]),
        sample("strided", [arg([6], view="step"), arg([3])]), sample("empty", [arg([0]), arg([0])]),
        sample("size_mismatch", [arg([3]), arg([4])]), sample("matrix", [arg([2, 3]), arg([3])])]),
    ("mv", ["Tensor.Mv"], lambda x, a: torch.mv(x[0], x[1]), [
        sample("float32", [arg([2, 3]), arg([3])]), sample("float64", [arg([2, 3], F64), arg([3], F64)]),
        sample("transposed", [arg([3, 2], view="t"), arg([3])]), sample("size_mismatch", [arg([2, 3]), arg([4])])]),
    ("expand_as", ["Tensor.ExpandAs"], lambda x, a: x[0].expand_as(x[1]), [
        sample("row", [arg([3]), arg([2, 3])]), sample("column", [arg([2, 1]), arg([2, 3])]),
        sample("incompatible", [arg([4]), arg([2, 3])])]),
    ("view_as", ["Tensor.ViewAs"], lambda x, a: x[0].view_as(x[1]), [
        sample("flat", [arg([6]), arg([2, 3])]), sample("transposed", [arg([3, 2], view="t"), arg([6])]),
        sample("numel_mismatch", [arg([5]), arg([2, 3])])]),
    ("where", ["Tensor.Where", "Torch.Where"], lambda x, a: torch.where(x[0], x[1], x[2]), [
        sample("same_shape", [arg([2, 3], BOOL), arg([2, 3]), arg([2, 3])]),
        sample("broadcast", [arg([2, 1], BOOL), arg([3]), arg([2, 3])]),
        sample("float64", [arg([3], BOOL), arg([3], F64), arg([3], F64)]),
        sample("transposed", [arg([3, 2], BOOL, view="t"), arg([3, 2], view="t"), arg([2, 3])])]),
    ("nonzero", ["Tensor.Nonzero"], lambda x, a: torch.nonzero(x[0]), [
        sample("bool", [arg([2, 3], BOOL)]), sample("int64", [arg([3, 2], I64)]), sample("float", [arg([4])]),
        sample("zero_dim", [arg([], BOOL)]), sample("empty", [arg([0, 3])])]),
    ("gather", ["Torch.Gather"], lambda x, a: torch.gather(x[0], a["dim"], x[1]), [
        sample("dim1", [arg([3, 4]), arg([3, 2], I64, domain="index")], {"dim": 1}),
        sample("negative_dim", [arg([3, 4]), arg([2, 4], I64, domain="index")], {"dim": -2})]),
    ("norm", ["Tensor.Norm"], lambda x, a: torch.norm(x[0], **a), [
        sample("vector", [arg([4])]), sample("p3", [arg([5])], {"p": 3.0}),
        sample("dim1", [arg([2, 3])], {"dim": 1}), sample("p1_dim0_keepdim", [arg([2, 3])], {"p": 1.0, "dim": 0, "keepdim": True}),
        sample("transposed", [arg([3, 2], view="t")], {"dim": 1}), sample("float64", [arg([3, 4], F64)], {"dim": -1})]),
    ("scatter", ["Torch.Scatter"], lambda x, a: torch.scatter(x[0], a["dim"], x[1], x[2]), [
        sample("dim0", [arg([3, 4]), arg([2, 4], I64, domain="index"), arg([2, 4])], {"dim": 0})]),
]


def rows():
    out = list(SPECIAL)
    for name, (member, domain) in UNARY.items():
        members = [f"Tensor.{member}"] + ([f"Torch.{member}"] if name in STATIC_UNARY else [])
        members += {"sigmoid": ["Functional.Sigmoid"], "logical_not": ["Tensor.op_LogicalNot"]}.get(name, [])
        out.append((name, members, lambda x, a, n=name: getattr(torch, n)(x[0]), unary_samples(domain)))
    out.append(("relu_", ["Tensor.Relu_"], lambda x, a: x[0].relu_(), unary_samples("real")))
    for name, (member, fn) in BINARY.items():
        members = [f"Tensor.{member}"] + ([f"Torch.{member}"] if name in STATIC_BINARY else [])
        members += [f"Tensor.{OPERATORS[name]}"] if name in OPERATORS else []
        domain = "positive" if name == "xlogy" else "real"  # xlogy's log needs y > 0 for finite gradients
        out.append((name, members, fn, binary_samples(domain, domain)))
    for name, member in INPLACE.items():
        out.append((name, [f"Tensor.{member}"], lambda x, a, n=name: getattr(x[0], n)(x[1]), inplace_samples()))
    for name, (member, kind) in REDUCTIONS.items():
        members = [f"Tensor.{member}"] + ([f"Torch.{member}"] if name in STATIC_REDUCTIONS else [])
        samples = reduction_samples(kind)
        if kind == "one":
            samples = [s for s in samples if "keepdim" not in s["args"]]
        out.append((name, members, lambda x, a, n=name: getattr(torch, n)(x[0], **a), samples))
    # Appended last so that the rows above keep their sample values.
    out.append(("diagonal", ["Tensor.Diagonal"], lambda x, a: torch.diagonal(x[0], **a), [
        sample("main", [arg([3, 4])]), sample("offset", [arg([3, 4])], {"offset": 1}),
        sample("negative_offset_3d", [arg([2, 3, 4], F64)], {"offset": -1, "dim1": 2, "dim2": 1}),
        sample("offset_past_the_end", [arg([3, 4])], {"offset": 5}), sample("transposed", [arg([3, 2], view="t")]),
        sample("same_dims", [arg([3, 4])], {"dim1": 0, "dim2": -2})]))
    return out


def run_sample(row_name, fn, s):
    bases, xs = [], []
    inplace = row_name.endswith("_")
    for spec in s["inputs"]:
        base = values(spec["shape"], spec["dtype"], spec["domain"])
        base = base.clone().requires_grad_(base.dtype.is_floating_point and not (inplace and len(bases) == 0))
        bases.append(base)
        xs.append(materialise_view(base, spec["view"]))
    grads = [b.requires_grad for b in bases]
    entry = {"name": s["name"], "args": s["args"],
             "inputs": [{"value": tensor(b), "view": sp["view"], "grad": g} for b, sp, g in zip(bases, s["inputs"], grads)]}
    try:
        y = fn(xs, s["args"])  # an in-place row writes into the view of its first input, which does not require grad
    except (RuntimeError, IndexError, TypeError, ValueError) as e:
        entry["error"] = str(e).split("\n")[0]
        return entry
    entry["output"] = tensor(y)
    entry["grad_fn"] = None if y.grad_fn is None else y.grad_fn.name()
    if y.requires_grad and y.numel() > 0:
        gout = torch.randn(y.shape, generator=_gen, dtype=F64).to(y.dtype)
        y.backward(gout)
        entry["gout"] = tensor(gout)
        entry["grads"] = [tensor(b.grad) if g else None for b, g in zip(bases, grads)]
    return entry


def materialise_view(base, view):
    if view == "t":
        return base.transpose(-2, -1)
    if view == "step":
        return base[..., ::2]
    return base


write("opinfo", {
    "rows": [{"name": name, "members": members, "samples": [run_sample(name, fn, s) for s in samples]}
             for name, members, fn, samples in rows()],
})
