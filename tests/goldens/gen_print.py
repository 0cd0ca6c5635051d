# Goldens for tensor printing: run with `/usr/bin/python3 tests/goldens/gen_print.py`
# (Debian's python3-torch 1.13, not the pyenv python3 first on PATH). Writes tests/goldens/print.json.
#
# Each case holds the tensor's values (flat, logical row-major order), shape, dtype, the suffix list
# torch._tensor_str handed to _add_suffixes (captured, not re-derived), the grad info the suffixes
# came from, and str(t) from torch. Float values are stored as float64 JSON numbers, which
# round-trip exactly (float32 tensors as t.double()); nan/inf are stored as the strings
# "nan", "inf", "-inf". Integer and bool values are stored as integers (bool as 0/1).
import json
import math
import os

import torch
import torch._tensor_str as tensor_str

captured = []
_original_add_suffixes = tensor_str._add_suffixes


def _capturing_add_suffixes(text, suffixes, indent, force_newline):
    captured.append(list(suffixes))
    return _original_add_suffixes(text, suffixes, indent, force_newline)


tensor_str._add_suffixes = _capturing_add_suffixes

DTYPES = {
    torch.float32: "Float32",
    torch.float64: "Float64",
    torch.int64: "Int64",
    torch.int32: "Int32",
    torch.bool: "Bool",
}


def encode_float(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def tensor_case(name, t, kind="tensor"):
    captured.clear()
    text = str(t)
    assert len(captured) == 1, name
    data = t.detach()
    if data.dtype.is_floating_point:
        values = [encode_float(v) for v in data.double().flatten().tolist()]
    else:
        values = data.long().flatten().tolist()
    return {
        "name": name,
        "kind": kind,
        "dtype": DTYPES[t.dtype],
        "shape": list(t.shape),
        "values": values,
        "requires_grad": t.requires_grad,
        "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        "suffixes": captured[0],
        "expected": text,
    }


def size_case(name, shape):
    return {
        "name": name,
        "kind": "size",
        "dtype": None,
        "shape": list(shape),
        "values": [],
        "requires_grad": False,
        "grad_fn": None,
        "suffixes": [],
        "expected": str(torch.Size(shape)),
    }


def f32(values):
    return torch.tensor(values, dtype=torch.float32)


def f64(values):
    return torch.tensor(values, dtype=torch.float64)


nan, inf = float("nan"), float("inf")
cases = []


def add(name, t, kind="tensor"):
    cases.append(tensor_case(name, t, kind))


# 0-d
add("scalar_float", torch.tensor(0.5))
add("scalar_float_neg", torch.tensor(-1.6898))
add("scalar_float_int_valued", torch.tensor(3.0))
add("scalar_float_zero", torch.tensor(0.0))
add("scalar_float_neg_zero", torch.tensor(-0.0))
add("scalar_float_nan", torch.tensor(nan))
add("scalar_float_inf", torch.tensor(-inf))
add("scalar_float_tiny", torch.tensor(1.5e-7))
add("scalar_float_huge", torch.tensor(3.0e12))
add("scalar_float64", torch.tensor(0.1, dtype=torch.float64))
add("scalar_int", torch.tensor(42))
add("scalar_int_neg", torch.tensor(-7))
add("scalar_int32", torch.tensor(5, dtype=torch.int32))
add("scalar_bool_true", torch.tensor(True))
add("scalar_bool_false", torch.tensor(False))
add("scalar_requires_grad", torch.tensor(2.5, requires_grad=True))

# 1-d small
add("vec_float", f32([1.1, 2.2, 3.3]))
add("vec_negative", f32([-1.5, 0.25, -3.125]))
add("vec_int_valued", f32([1.0, 2.0, 3.0]))
add("vec_int_valued_neg", f32([-1.0, 20.0, 300.0]))
add("vec_neg_zero", f32([-0.0, 1.5, 2.0]))
add("vec_neg_zero_int_mode", f32([-0.0, 1.0, 2.0]))
add("vec_all_zero", torch.zeros(4))
add("vec_nan_inf", f32([1.5, nan, inf, -inf]))
add("vec_nan_inf_int_mode", f32([1.0, nan, inf, -inf]))
add("vec_only_nonfinite", f32([nan, inf, -inf]))
add("vec_zero_and_nan", f32([0.0, nan]))
add("vec_half_ties", f64([0.03125, 0.15625, 2.5e-1, 1.00005]))
add("vec_rounding_carry", f64([9.99995, 0.99999, 99999.99999]))
add("vec_single", f32([7.25]))
add("vec_int", torch.tensor([1, -20, 300]))
add("vec_int_big", torch.tensor([2**62, -(2**63), 0]))
add("vec_int32", torch.tensor([1, 2, 3], dtype=torch.int32))
add("vec_bool", torch.tensor([True, False]))
add("vec_bool_all_true", torch.tensor([True, True, True]))

# scientific notation triggers
add("sci_ratio", f32([1.0, 1000.5]))
add("sci_ratio_int_mode", f32([1.0, 1001.0]))
add("sci_ratio_exactly_1000", f32([1.0, 1000.0]))
add("sci_max_over_1e8", f32([1.5e8, 2.5e8]))
add("sci_int_mode_over_1e8", f32([2.0e8, 3.0e8]))
add("sci_min_below_1e-4", f32([5.0e-5, 1.0e-4]))
add("sci_min_exactly_1e-4", f64([1.0e-4, 2.0e-4]))
add("sci_mixed_magnitudes", f64([1e-10, 1.0, 1e10, -3.5e-3, 0.0]))
add("sci_with_nan", f32([1e-5, nan, -inf, 0.0]))
add("sci_three_digit_exponent", f64([1e-300, 1e300]))
add("sci_denormal", f64([5e-324, 1.0]))
add("sci_neg_zero", f64([-0.0, 1e-6]))

add("float32_half_ties", f32([0.03125, 0.15625, 1.00048828125, -2.21875]))
add("float32_near_rounding", f32([0.1, 0.7, 1.2345678, 9.99995]))

# 2-d / 3-d / 4-d / 5-d
add("mat_2x3", f32([[1.5, -2.25, 3.0], [4.0, 5.5, -6.75]]))
add("mat_int", torch.tensor([[1, 2], [3, 4]]))
add("mat_bool", torch.tensor([[True, False], [False, True]]))
add("cube_2x2x3", torch.arange(12, dtype=torch.float32).reshape(2, 2, 3) / 4)
add("cube_int", torch.arange(24).reshape(2, 3, 4))
add("hyper_2x2x2x2", torch.arange(16, dtype=torch.float32).reshape(2, 2, 2, 2) - 7.5)
add("penta_2x1x2x1x3", torch.arange(12, dtype=torch.float32).reshape(2, 1, 2, 1, 3) * -0.5)
add("mat_1x1", f32([[3.5]]))
add("mat_col", f32([[1.5], [2.5], [3.5]]))

# wide rows that wrap
add("wrap_vec_float", torch.arange(30, dtype=torch.float32) / 7)
add("wrap_vec_int", torch.arange(40) * 1000)
add("wrap_mat_float", (torch.arange(36, dtype=torch.float32).reshape(2, 18) - 10) / 3)
add("wrap_cube", (torch.arange(60, dtype=torch.float32).reshape(2, 2, 15) - 30) * 1.25)
add("wrap_sci", torch.logspace(-8, 8, 20))
add("wrap_bool", torch.arange(25) % 3 == 0)

# summarised (> 1000 elements)
add("summary_vec", torch.arange(1001, dtype=torch.float32) / 3)
add("summary_vec_int", torch.arange(5000))
add("summary_mat", torch.arange(2000, dtype=torch.float32).reshape(40, 50) / 7)
add("summary_mat_short_rows", torch.arange(1005, dtype=torch.float32).reshape(201, 5))
add("summary_mat_few_rows", torch.arange(1010).reshape(5, 202))
add("summary_cube", torch.arange(1728, dtype=torch.float32).reshape(12, 12, 12) - 800)
add("threshold_exactly_1000", torch.arange(1000, dtype=torch.float32) * 0.25)
add("summary_sci", torch.logspace(-6, 6, 1200))
add("summary_nan_edges", torch.cat([f32([nan, 1.0, inf]), torch.zeros(1000), f32([-inf, 2.0, -0.0])]))
add("summary_4d", torch.arange(2 * 8 * 9 * 10, dtype=torch.float32).reshape(2, 8, 9, 10) / 100)
add("summary_bool", torch.arange(1200).reshape(30, 40) % 2 == 0)
add("summary_formatter_sees_edges_only", torch.cat([f32([1.5, 2.5, 3.5]), torch.full((1000,), 1e-9), f32([4.5, 5.5, 6.5])]))

# empty
add("empty_float", torch.tensor([]))
add("empty_2d", torch.zeros(0, 3))
add("empty_3d", torch.zeros(2, 0, 4))
add("empty_int64", torch.zeros(0, dtype=torch.int64))
add("empty_int32_2d", torch.zeros(3, 0, dtype=torch.int32))
add("empty_bool", torch.zeros(0, dtype=torch.bool))
add("empty_float64", torch.zeros(0, dtype=torch.float64))
add("empty_requires_grad", torch.zeros(0, 2, requires_grad=True))

# suffixes
add("float64_suffix", f64([1.0, 2.5]))
add("float64_mat_suffix", f64([[0.1, 0.2], [0.3, 0.4]]))
add("requires_grad_suffix", f32([0.5, -1.0]).requires_grad_())
x = f32([1.0, 2.0, 3.0]).requires_grad_()
add("grad_fn_mul", x * 2)
add("grad_fn_add", x + x)
add("grad_fn_sum", (x * x).sum())
add("grad_fn_float64", f64([1.5, 2.5]).requires_grad_() * 3)
add("int32_suffix", torch.tensor([[10, 20], [30, 40]], dtype=torch.int32))
add("long_line_suffix_wrap", (torch.arange(11, dtype=torch.float64) * 1.5 + 100).requires_grad_())
add("long_line_suffix_wrap_grad_fn", torch.arange(11, dtype=torch.float64).requires_grad_() * 1.5 + 100)
add("suffix_after_multiline", torch.arange(40, dtype=torch.float64).reshape(2, 20) / 3)
for n in range(4, 9):
    add(f"suffix_wrap_single_line_{n}", (torch.arange(n, dtype=torch.float64) * 1.5 + 100).requires_grad_())
add("suffix_wrap_int32", torch.arange(16, dtype=torch.int32) * 100000)

# parameters
torch.manual_seed(0)
add("parameter_2x3", torch.nn.Parameter(torch.randn(2, 3)), kind="parameter")
add("parameter_vec", torch.nn.Parameter(torch.zeros(4)), kind="parameter")
add("parameter_no_grad", torch.nn.Parameter(torch.ones(2), requires_grad=False), kind="parameter")
add("parameter_float64", torch.nn.Parameter(torch.randn(3, dtype=torch.float64)), kind="parameter")

# random tensors (seeded)
torch.manual_seed(1234)
shapes = [(1,), (5,), (17,), (3, 4), (7, 9), (2, 3, 5), (4, 1, 6), (2, 2, 2, 3), (13, 13), (64,), (6, 7, 8), (33, 31)]
for i, shape in enumerate(shapes):
    add(f"random_randn_{i}", torch.randn(shape))
for i, shape in enumerate(shapes[:8]):
    scale = 10.0 ** torch.randint(-6, 9, ()).item()
    add(f"random_scaled_{i}", torch.randn(shape) * scale)
for i, shape in enumerate(shapes[:6]):
    add(f"random_float64_{i}", torch.rand(shape, dtype=torch.float64) * 200 - 100)
for i, shape in enumerate(shapes[:6]):
    add(f"random_int_{i}", torch.randint(-10**i, 10**i + 1, shape))
for i, shape in enumerate(shapes[:4]):
    add(f"random_int32_{i}", torch.randint(-1000, 1000, shape, dtype=torch.int32))
for i, shape in enumerate(shapes[:4]):
    add(f"random_bool_{i}", torch.rand(shape) > 0.5)
for i, shape in enumerate(shapes[:6]):
    t = torch.randn(shape)
    add(f"random_sparse_zeros_{i}", t * (torch.rand(shape) > 0.6))
for i, shape in enumerate(shapes[:4]):
    add(f"random_int_valued_{i}", torch.randint(-50, 50, shape).float())

# torch.Size
cases.append(size_case("size_2x3", (2, 3)))
cases.append(size_case("size_empty", ()))
cases.append(size_case("size_1", (5,)))
cases.append(size_case("size_4d", (1, 0, 28, 28)))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "print.json")
with open(out, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
