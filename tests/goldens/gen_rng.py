# Writes tests/goldens/rng.json: PyTorch CPU random streams that Nabla's Generator must reproduce bit for bit.
# Run from the repository root with Debian's torch 1.13 (not the pyenv python3 on PATH):
#     /usr/bin/python3 tests/goldens/gen_rng.py
# Deterministic: every stream comes from an explicitly seeded generator, so reruns write the same file.
# Floats are written with repr (a float32 widened to float64 prints exactly), so values round-trip bit for bit.
import json
import os

# Nabla matches PyTorch's portable CPU kernels. On an AVX2 machine even Debian's torch dispatches AVX2 kernels, whose
# uniform_ fuses multiply-add and whose float32 normal_ uses a vectorised Cephes log/sincos; this forces the portable ones
# unless the caller chose a capability (gen_rng_capability.py runs these sequences under each).
os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")

import torch  # noqa: E402  (must come after the capability is chosen)

SEEDS = [0, 1, 42, 2**32 + 5, 123456789]
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int32": torch.int32, "int64": torch.int64}


def values(t):
    if t.dtype.is_floating_point:
        return [float(v) for v in t.double().tolist()]
    return [int(v) for v in t.tolist()]


def run_step(g, step):
    """Runs one step on generator g and returns its output as a flat list."""
    op, n = step["op"], step.get("n")
    dtype = DTYPES[step.get("dtype", "float32")]
    if op == "randn":
        return values(torch.randn(n, dtype=dtype, generator=g))
    if op == "normal":
        return values(torch.empty(n, dtype=dtype).normal_(step["mean"], step["std"], generator=g))
    if op == "rand":
        return values(torch.rand(n, dtype=dtype, generator=g))
    if op == "uniform":
        return values(torch.empty(n, dtype=dtype).uniform_(step["from"], step["to"], generator=g))
    if op == "randint":
        return values(torch.randint(step["low"], step["high"], (n,), dtype=dtype, generator=g))
    if op == "randperm":
        return values(torch.randperm(n, generator=g))
    if op == "random64":  # int64 random_() with no bounds: random64() % 2^63
        return values(torch.empty(n, dtype=torch.int64).random_(generator=g))
    if op == "bernoulli_scalar":
        return values(torch.empty(n, dtype=dtype).bernoulli_(step["p"], generator=g))
    if op == "bernoulli_tensor":
        probs = torch.tensor(step["probs"], dtype=DTYPES[step["probs_dtype"]])
        return values(torch.bernoulli(probs, generator=g))
    raise ValueError(op)


def sequences():
    """Named call sequences; each runs on a freshly seeded generator."""
    seqs = {}
    for dt in ("float32", "float64"):
        for n in (1, 2, 5, 15, 16, 17, 31, 32, 33, 100):
            seqs[f"randn_{dt}_{n}"] = [{"op": "randn", "dtype": dt, "n": n}]
        seqs[f"randn_1x5_{dt}"] = [{"op": "randn", "dtype": dt, "n": 1}] * 5
        seqs[f"randn_5_{dt}"] = [{"op": "randn", "dtype": dt, "n": 5}]
        # The cached Box-Muller value survives the vector path: 3 scalar, 20 vector, 1 scalar (the cache).
        seqs[f"randn_3_20_1_{dt}"] = [{"op": "randn", "dtype": dt, "n": k} for k in (3, 20, 1)]
        seqs[f"rand_{dt}"] = [{"op": "rand", "dtype": dt, "n": k} for k in (1, 7, 16, 33)]
        seqs[f"normal_{dt}"] = [
            {"op": "normal", "dtype": dt, "n": 5, "mean": 2.5, "std": 0.7},
            {"op": "normal", "dtype": dt, "n": 40, "mean": -1.25, "std": 3.3},
            {"op": "normal", "dtype": dt, "n": 1, "mean": 0.1, "std": 0.01},
        ]
        seqs[f"uniform_{dt}"] = [
            {"op": "uniform", "dtype": dt, "n": k, "from": -a, "to": a}
            for k, a in ((1, 0.5), (7, 0.1), (16, 1 / 3**0.5), (100, 0.0625), (1000, 1 / 784**0.5))
        ] + [{"op": "uniform", "dtype": dt, "n": 10, "from": 2.0, "to": 7.3}]
    seqs["randn_mixed_dtypes"] = [
        {"op": "randn", "dtype": "float32", "n": 3},
        {"op": "randn", "dtype": "float64", "n": 1},
        {"op": "randn", "dtype": "float64", "n": 16},
        {"op": "randn", "dtype": "float32", "n": 2},
    ]
    seqs["randint"] = [
        {"op": "randint", "dtype": "int64", "n": 20, "low": 0, "high": 10},
        {"op": "randint", "dtype": "int64", "n": 20, "low": -5, "high": 5},
        {"op": "randint", "dtype": "int64", "n": 10, "low": 0, "high": 2**32 - 1},
        {"op": "randint", "dtype": "int64", "n": 10, "low": 0, "high": 2**32},
        {"op": "randint", "dtype": "int64", "n": 10, "low": -(2**40), "high": 2**40 + 7},
        {"op": "randint", "dtype": "int64", "n": 5, "low": -(2**62), "high": 2**62},
        {"op": "randint", "dtype": "int32", "n": 20, "low": -100, "high": 1000},
        {"op": "randint", "dtype": "int32", "n": 10, "low": -(2**31), "high": 2**31 - 1},
        {"op": "randint", "dtype": "float32", "n": 20, "low": -3, "high": 3},
        {"op": "randint", "dtype": "float64", "n": 20, "low": 0, "high": 1000},
        {"op": "randint", "dtype": "float64", "n": 10, "low": 0, "high": 2**40},
    ]
    seqs["randperm"] = [{"op": "randperm", "n": k} for k in (1, 5, 10, 100, 1000, 5000)]
    seqs["random64"] = [{"op": "random64", "n": 10}]
    probs = [i / 19 for i in range(20)] + [0.5] * 13
    seqs["bernoulli"] = [
        {"op": "bernoulli_scalar", "dtype": "float32", "n": 50, "p": 0.3},
        {"op": "bernoulli_scalar", "dtype": "float64", "n": 20, "p": 0.75},
        {"op": "bernoulli_tensor", "probs": probs, "probs_dtype": "float32"},
        {"op": "bernoulli_tensor", "probs": probs, "probs_dtype": "float64"},
    ]
    return seqs


def fresh_generator_case():
    """A fresh torch.Generator() (never seeded by hand) and its stream."""
    g = torch.Generator()
    steps = [{"op": "randn", "dtype": "float32", "n": 20}, {"op": "rand", "dtype": "float64", "n": 3},
             {"op": "randn", "dtype": "float32", "n": 3}]
    for s in steps:
        s["expected"] = run_step(g, s)
    return {"name": "fresh_generator", "seed": None, "initial_seed": g.initial_seed(), "steps": steps}


def main():
    cases = []
    for name, seq in sequences().items():
        for seed in SEEDS:
            g = torch.Generator()
            g.manual_seed(seed)
            steps = [dict(s, expected=run_step(g, s)) for s in seq]
            cases.append({"name": name, "seed": seed, "initial_seed": g.initial_seed(), "steps": steps})
    cases.append(fresh_generator_case())
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rng.json")
    with open(out, "w") as f:
        json.dump({"torch_version": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
