# Shared helpers for the golden scripts. Import it first: it selects PyTorch's portable CPU kernels
# (the reference build's numbers; AVX2 kernels differ by an ulp in uniform_/normal_ and some math).
import json
import math
import os
import pathlib

os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")

import torch  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def _num(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def tensor(t):
    """A tensor as JSON: {"shape": [...], "dtype": "float32", "values": [flat, row-major]}; floats exact (float64 repr)."""
    if t is None:
        return None
    t = t.detach()
    dtype = str(t.dtype).replace("torch.", "")
    if t.dtype.is_floating_point:
        values = [_num(float(v)) for v in t.double().flatten().tolist()]
    elif t.dtype == torch.bool:
        values = [bool(v) for v in t.flatten().tolist()]
    else:
        values = [int(v) for v in t.flatten().tolist()]
    return {"shape": list(t.shape), "dtype": dtype, "values": values}


def write(name, obj):
    """Writes tests/goldens/<name>.json deterministically."""
    path = HERE / f"{name}.json"
    path.write_text(json.dumps(obj, indent=1, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.name}")
