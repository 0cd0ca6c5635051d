# Goldens for the hardening work: isclose/allclose/equal on a table of cases, arange with a float end, and how
# tensors of high rank print, bool + bool and bool * bool. Writes hardening.json.
# Run: /usr/bin/python3 tests/goldens/gen_hardening.py   (Debian python3-torch 1.13)
import math

import golden_util as g
import torch

inf, nan = math.inf, math.nan

# (name, a, b, keyword arguments of isclose/allclose)
CLOSE_CASES = [
    ("defaults_f32", torch.tensor([1.0, 1.0, 1.0, 0.0, -1.0]), torch.tensor([1.0, 1.00001, 1.0001, 1e-8, -1.000001]), {}),
    ("defaults_f64", torch.tensor([1.0, 1.0, 1.0, 0.0], dtype=torch.float64),
     torch.tensor([1.0, 1.00001, 1.0001, 1e-8], dtype=torch.float64), {}),
    ("rtol_boundary_f32", torch.tensor([1.0]), torch.tensor([1.0 + 1e-5]), {"rtol": 1e-5, "atol": 0.0}),
    ("rtol_boundary_f64", torch.tensor([1.0], dtype=torch.float64), torch.tensor([1.0 + 1e-5], dtype=torch.float64),
     {"rtol": 1e-5, "atol": 0.0}),
    ("infinities", torch.tensor([inf, -inf, inf, inf, 1.0, -inf]), torch.tensor([inf, -inf, -inf, 1e38, inf, 0.0]), {}),
    ("infinite_tolerance", torch.tensor([1.0, inf, 3.0]), torch.tensor([1e30, inf, -inf]), {"atol": inf}),
    ("nan_default", torch.tensor([nan, nan, 1.0, 0.0]), torch.tensor([nan, 1.0, nan, 0.0]), {}),
    ("nan_equal", torch.tensor([nan, nan, 1.0, 0.0]), torch.tensor([nan, 1.0, nan, 0.0]), {"equal_nan": True}),
    ("zero_tolerances", torch.tensor([1.0, 1.0000001, -0.0, nan]), torch.tensor([1.0, 1.0, 0.0, nan]),
     {"rtol": 0.0, "atol": 0.0, "equal_nan": True}),
    ("asymmetric_rtol", torch.tensor([100.0, 110.0]), torch.tensor([110.0, 100.0]), {"rtol": 0.095, "atol": 0.0}),
    ("large_atol", torch.tensor([0.0, 5.0, -5.0]), torch.tensor([0.4, 5.6, -4.5]), {"atol": 0.5}),
    ("int64", torch.tensor([1, 2, 3, 100000, 2 ** 62, -2 ** 63]), torch.tensor([1, 3, 3, 100001, 2 ** 62 + 1, 2 ** 63 - 1]), {}),
    ("int64_exact", torch.tensor([2 ** 62, 7]), torch.tensor([2 ** 62 + 1, 7]), {"rtol": 0.0, "atol": 0.0}),
    ("int64_float32_rounding", torch.tensor([16777217, 16777219]), torch.tensor([16777216, 16777216]), {"rtol": 0.0, "atol": 0.5}),
    ("int32", torch.tensor([1, 2, -3, 40], dtype=torch.int32), torch.tensor([1, 4, -2, 41], dtype=torch.int32),
     {"rtol": 0.0, "atol": 1.0}),
    ("int32_rtol", torch.tensor([100, 100], dtype=torch.int32), torch.tensor([109, 111], dtype=torch.int32), {"rtol": 0.09}),
    ("bool", torch.tensor([True, False, True, False]), torch.tensor([True, True, False, False]), {}),
    ("bool_atol", torch.tensor([True, False]), torch.tensor([False, True]), {"atol": 1.0}),
    ("broadcast_row_col", torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([1.0, 2.0, 3.0, 2.0000001]), {}),
    ("broadcast_scalar", torch.tensor(2.0), torch.tensor([[2.0, 2.00001], [1.9, nan]]), {}),
    ("broadcast_leading", torch.tensor([[[0.5, 1.5]]], dtype=torch.float64), torch.tensor([[0.5, 1.5], [0.5, 1.6]], dtype=torch.float64), {}),
    ("empty", torch.zeros(0, 3), torch.zeros(1, 3), {}),
    ("tiny_values_f32", torch.tensor([1e-30, 1e-38, 0.0]), torch.tensor([2e-30, 0.0, -1e-45]), {"atol": 0.0}),
]

# Bad calls and the message PyTorch gives (name, a, b, keyword arguments)
ERROR_CASES = [
    ("dtype_mismatch_float_double", torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64), {}),
    ("dtype_mismatch_long_float", torch.tensor([1]), torch.tensor([1.0]), {}),
    ("dtype_mismatch_bool_int", torch.tensor([True]), torch.tensor([1], dtype=torch.int32), {}),
    ("negative_rtol", torch.tensor([1.0]), torch.tensor([1.0]), {"rtol": -1.0}),
    ("negative_atol", torch.tensor([1.0]), torch.tensor([1.0]), {"atol": -0.5}),
    ("shapes_do_not_broadcast", torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0, 3.0]), {}),
]

# torch.equal: (name, a, b)
EQUAL_CASES = [
    ("same", torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])),
    ("different_value", torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5])),
    ("different_shape", torch.tensor([1.0, 2.0]), torch.tensor([[1.0, 2.0]])),
    ("scalar_vs_vector", torch.tensor(1.0), torch.tensor([1.0])),
    ("nan", torch.tensor([1.0, nan]), torch.tensor([1.0, nan])),
    ("signed_zero", torch.tensor([0.0]), torch.tensor([-0.0])),
    ("float_vs_long", torch.tensor([1.0, 2.0]), torch.tensor([1, 2])),
    ("long_promoted_to_float", torch.tensor([16777217]), torch.tensor([16777216.0])),
    ("int32_vs_int64", torch.tensor([3, -4], dtype=torch.int32), torch.tensor([3, -4])),
    ("bool_vs_long", torch.tensor([True, False]), torch.tensor([1, 0])),
    ("empty_same_shape", torch.zeros(0, 3), torch.zeros(0, 3)),
    ("empty_other_shape", torch.zeros(0), torch.zeros(0, 3)),
    ("int64_large", torch.tensor([2 ** 62]), torch.tensor([2 ** 62 + 1])),
]


def close_case(name, a, b, kwargs):
    return {
        "name": name,
        "a": g.tensor(a),
        "b": g.tensor(b),
        "rtol": kwargs.get("rtol", 1e-5),
        "atol": g._num(kwargs.get("atol", 1e-8)),
        "equal_nan": kwargs.get("equal_nan", False),
        "isclose": g.tensor(torch.isclose(a, b, **kwargs)),
        "allclose": torch.allclose(a, b, **kwargs),
    }


def error_case(name, a, b, kwargs):
    try:
        torch.isclose(a, b, **kwargs)
    except RuntimeError as e:
        message = str(e)
    else:
        raise AssertionError(f"{name} did not fail")
    return {"name": name, "a": g.tensor(a), "b": g.tensor(b), "rtol": kwargs.get("rtol", 1e-5),
            "atol": kwargs.get("atol", 1e-8), "message": message}


def print_case(shape):
    t = torch.arange(math.prod(shape), dtype=torch.float32).reshape(shape) / 4
    return {"shape": shape, "text": str(t)}


def bool_arith():
    a = torch.tensor([[True, False, True, False]])
    b = torch.tensor([[True], [False]])
    try:
        a - b
    except RuntimeError as e:
        sub_message = str(e)
    return {"a": g.tensor(a), "b": g.tensor(b), "add": g.tensor(a + b), "mul": g.tensor(a * b), "sub_error": sub_message}


# (a shape, b shape, b transposed in its last two dims): matmul's grad_fn name, its result and the gradients of sum(r * r).
# 1.13 names vector @ matrix SqueezeBackward3 (its squeeze_(0)); PyTorch 2.x renumbered the squeeze overloads and prints
# SqueezeBackward4 there. Nabla follows 1.13, the reference build, so the golden keeps 1.13's name.
MATMUL_CASES = [
    ([2, 3, 4], [4, 5], False), ([2, 3, 4], [2, 4, 5], False), ([4], [2, 4, 5], False), ([2, 3, 4], [4], False),
    ([3, 4], [2, 4, 5], False), ([3, 4], [2, 4, 5], True), ([4], [4, 5], False), ([3, 4], [4], False), ([4], [4], False),
    ([3, 4], [4, 5], False), ([2, 1, 3, 4], [5, 4, 2], False), ([2, 2, 3, 4], [4, 5], False), ([4], [1, 4, 5], False),
]


def matmul_case(sa, sb, transposed):
    a = (torch.arange(math.prod(sa), dtype=torch.float32).reshape(sa) / 8 - 1).requires_grad_()
    b0 = torch.arange(math.prod(sb), dtype=torch.float32).reshape(sb) / 16 - 0.5
    b = (b0.transpose(-1, -2).contiguous().transpose(-1, -2) if transposed else b0).requires_grad_()
    r = a @ b
    (r * r).sum().backward()
    return {"a": sa, "b": sb, "b_transposed": transposed, "grad_fn": r.grad_fn.name(), "result": g.tensor(r),
            "grad_a": g.tensor(a.grad), "grad_b": g.tensor(b.grad)}


g.write("hardening", {
    "matmul_grad_fn": [matmul_case(*c) for c in MATMUL_CASES],
    "isclose": [close_case(*c) for c in CLOSE_CASES],
    "isclose_errors": [error_case(*c) for c in ERROR_CASES],
    "equal": [{"name": n, "a": g.tensor(a), "b": g.tensor(b), "equal": torch.equal(a, b)} for n, a, b in EQUAL_CASES],
    "arange_float_end": [{"end": end, "result": g.tensor(torch.arange(end))} for end in (6.0, 2.5, 0.0)],
    "bool_arith": bool_arith(),
    "print_high_rank": [print_case(s) for s in ([1] * 64, [2] + [1] * 62 + [3], [1] * 63 + [1001], [2, 3] + [1] * 60 + [2, 2])],
})
