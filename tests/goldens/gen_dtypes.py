# Goldens for the storage dtypes (float16, bfloat16, uint8, int8, int16): run with
# `/usr/bin/python3 tests/goldens/gen_dtypes.py` (Debian's python3-torch 1.13). Writes tests/goldens/dtypes.json.
#
# Conversions (rounding to nearest even, integer wrap), printing, type promotion, arithmetic computed in
# float32 and rounded (half types) or wrapped (narrow integers), views and indexing.
import golden_util as gu
import torch

NAMES = ["float32", "float64", "int64", "int32", "bool", "float16", "bfloat16", "uint8", "int8", "int16"]
DT = {n: getattr(torch, n) for n in NAMES}
SMALL = ["float16", "bfloat16", "uint8", "int8", "int16"]

# Ties and edge values: 1 + 2^-11 and 1 + 3*2^-11 are float16 ties, 1 + 2^-8 a bfloat16 tie; 65520 overflows float16.
floats = torch.tensor([0.0, -0.0, 1.0, 1.00048828125, 1.00146484375, 1.00390625, 1.01171875, 3.14159265, -2.71828,
                       65504.0, 65519.0, 65520.0, 1e-8, 6e-8, 1e38, float("inf"), float("-inf"), float("nan"),
                       127.9, -128.5, 255.5, 300.0, -1.0, -300.7, 40000.0], dtype=torch.float64)
ints = torch.tensor([0, 1, -1, 127, 128, 255, 256, -129, 32767, 32768, -32769, 65535, 2**40 + 3, 16777217, 2049], dtype=torch.int64)

casts = []
for src_name, src in [("float64", floats), ("float32", floats.float()), ("int64", ints)]:
    for dst in SMALL:
        if src_name != "int64" and dst in ("uint8", "int8", "int16"):
            # float to narrow integer is undefined outside the range in C++; keep the values in range.
            s = src[(src.abs() < 127) & ~src.isnan()]
        else:
            s = src
        casts.append({"from": gu.tensor(s), "to": dst, "result": gu.tensor(s.to(DT[dst]))})
for src_name in SMALL:
    s = floats.float()
    s = s[(s.abs() < 100) & ~s.isnan()].to(DT[src_name]) if src_name in ("uint8", "int8", "int16") else s.to(DT[src_name])
    for dst in ["float32", "float64", "int64", "bool"]:
        if dst in ("int64", "bool") and s.dtype.is_floating_point:
            s = s[~s.isnan() & ~s.isinf()]
        casts.append({"from_dtype": src_name, "from_float32": gu.tensor(s.float()), "to": dst, "result": gu.tensor(s.to(DT[dst]))})

promotion = [{"a": a, "b": b, "result": str(torch.promote_types(DT[a], DT[b])).replace("torch.", "")} for a in NAMES for b in NAMES]

printing = []
for name in SMALL:
    for values in ([0.0, 1.5, -2.25], [[1, 2, 3], [4, 5, 6]], [0.1, 1000.5, 3.0e-5], [7]):
        t = torch.tensor(values, dtype=torch.float64).to(DT[name])
        printing.append({"tensor": gu.tensor(t), "str": str(t)})
    printing.append({"tensor": gu.tensor(torch.zeros(2, 3, dtype=DT[name])), "str": str(torch.zeros(2, 3, dtype=DT[name]))})
    printing.append({"tensor": gu.tensor(torch.tensor(5, dtype=DT[name])), "str": str(torch.tensor(5, dtype=DT[name]))})

g = torch.Generator().manual_seed(0)
a32 = torch.randn(4, 3, generator=g) * 3
b32 = torch.randn(4, 3, generator=g) * 3
ia = torch.randint(-128, 128, (4, 3), generator=g)
ib = torch.randint(-128, 128, (4, 3), generator=g)
arith = []
for name in SMALL:
    if name in ("float16", "bfloat16"):
        a, b = a32.to(DT[name]), b32.to(DT[name])
    else:
        a, b = ia.to(DT[name]), ib.to(DT[name])
    for op in ["add", "sub", "mul", "div"]:
        arith.append({"op": op, "a": gu.tensor(a), "b": gu.tensor(b), "result": gu.tensor(getattr(torch, op)(a, b))})
    arith.append({"op": "add_scalar", "a": gu.tensor(a), "scalar": 2.5, "result": gu.tensor(a + 2.5)})
    arith.append({"op": "mul_int", "a": gu.tensor(a), "scalar": 3, "result": gu.tensor(a * 3)})
    arith.append({"op": "add_alpha", "a": gu.tensor(a), "b": gu.tensor(b), "scalar": 3, "result": gu.tensor(torch.add(a, b, alpha=3))})
    arith.append({"op": "neg", "a": gu.tensor(a), "result": gu.tensor(-a)})
    arith.append({"op": "sum", "a": gu.tensor(a), "result": gu.tensor(a.sum())})
    arith.append({"op": "gt", "a": gu.tensor(a), "b": gu.tensor(b), "result": gu.tensor(a > b)})
    if name in ("float16", "bfloat16"):
        if name == "bfloat16":  # 1.13 has no CPU exp for float16
            arith.append({"op": "exp", "a": gu.tensor(a), "result": gu.tensor(a.exp())})
        arith.append({"op": "add_float32", "a": gu.tensor(a), "b": gu.tensor(b32), "result": gu.tensor(a + b32)})
mixed = []
for x, y in [("int8", "uint8"), ("uint8", "int16"), ("float16", "bfloat16"), ("int8", "float16"), ("bfloat16", "int64")]:
    a, b = ia.to(DT[x]), ib.to(DT[y])
    mixed.append({"a": gu.tensor(a), "b": gu.tensor(b), "result": gu.tensor(a + b)})

views = []
for name in SMALL:
    t = torch.arange(12, dtype=torch.float64).reshape(3, 4).to(DT[name])
    views.append({"dtype": name, "row": gu.tensor(t[1]), "column": gu.tensor(t[:, 2]), "transposed": gu.tensor(t.t().contiguous()),
                  "strided": gu.tensor(t[::2, 1::2].contiguous()), "masked": gu.tensor(t[t > 5]),
                  "setitem": gu.tensor(t.clone().index_fill_(1, torch.tensor([0]), 9))})

gu.write("dtypes", {"casts": casts, "promotion": promotion, "printing": printing, "arith": arith, "mixed": mixed, "views": views})
