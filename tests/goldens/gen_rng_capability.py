# Writes tests/goldens/rng_capability.json: PyTorch's random streams under each CPU capability, for Nabla to match bit for bit.
# Run from the repository root with Debian's torch 1.13 on an AVX2 machine:
#     /usr/bin/python3 tests/goldens/gen_rng_capability.py
# torch reads ATEN_CPU_CAPABILITY once, so each capability runs in its own process ("default": the portable kernels;
# "avx2": the vectorised ones, where uniform_ fuses multiply-add and float32 normal_ on 16+ elements uses a Cephes-style
# vector log/sincos). Every sequence starts from torch.manual_seed(seed) and draws from the default generator, so the
# default inits of nn.Linear/nn.Conv2d and dropout masks are covered too. Floats are written exactly (float64 repr).
import json
import os
import subprocess
import sys

CAPABILITIES = ["default", "avx2"]
SEEDS = [0, 1, 42]
SIZES = [15, 16, 17, 31, 33, 100]


def sequences():
    """gen_rng's sequences plus inits, layers, dropout and strided normal_, sizes around the 16-element block."""
    import gen_rng
    seqs = dict(gen_rng.sequences())
    for n in SIZES:
        seqs[f"inits_{n}"] = [
            {"op": "init", "init": "uniform", "shape": [n, 3], "args": {"a": -0.3, "b": 0.9}},
            {"op": "init", "init": "normal", "shape": [n, 3], "args": {"mean": 0.5, "std": 2.0}},
            {"op": "init", "init": "kaiming_uniform", "shape": [n, 3], "args": {"a": 5 ** 0.5}},
            {"op": "init", "init": "kaiming_normal", "shape": [n, 3], "args": {}},
            {"op": "init", "init": "xavier_uniform", "shape": [n, 3], "args": {"gain": 1.5}},
            {"op": "init", "init": "xavier_normal", "shape": [n, 3], "args": {}},
            {"op": "init", "init": "trunc_normal", "shape": [n, 3], "args": {"mean": 0.1, "std": 0.5, "a": -0.5, "b": 0.8}},
            {"op": "init", "init": "orthogonal", "shape": [n, 3], "args": {}},
        ]
        seqs[f"layers_{n}"] = [{"op": "linear", "in": n, "out": 5}, {"op": "conv2d", "in": 3, "out": n, "k": 3}]
        seqs[f"dropout_{n}"] = [{"op": "dropout", "n": n, "p": 0.4}, {"op": "dropout", "n": n * 2, "p": 0.1}]
        for dt in ("float32", "float64"):
            seqs[f"strided_{dt}_{n}"] = [
                {"op": "strided", "fill": "normal", "dtype": dt, "n": n, "args": [2.0, 3.0]},
                {"op": "strided", "fill": "uniform", "dtype": dt, "n": n, "args": [-0.37, 1.3]},
                {"op": "strided", "fill": "bernoulli", "dtype": dt, "n": n, "args": [0.3]},
            ]
            seqs[f"uniform_wide_{dt}_{n}"] = [{"op": "uniform", "dtype": dt, "n": n, "from": -0.37, "to": 1.3}]
    seqs["sequence_mixed"] = [
        {"op": "randn", "dtype": "float32", "n": 3}, {"op": "linear", "in": 4, "out": 17},
        {"op": "randn", "dtype": "float32", "n": 17}, {"op": "rand", "dtype": "float32", "n": 5},
        {"op": "normal", "dtype": "float32", "n": 33, "mean": -1.0, "std": 0.25}, {"op": "randn", "dtype": "float32", "n": 1},
        {"op": "dropout", "n": 20, "p": 0.5}, {"op": "randperm", "n": 16}, {"op": "randn", "dtype": "float64", "n": 31},
    ]
    return seqs


def run_step(step):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import gen_rng
    op = step["op"]
    if op == "init":
        t = torch.empty(step["shape"])
        getattr(nn.init, step["init"] + "_")(t, **step["args"])
        return gen_rng.values(t.flatten())
    if op == "linear":
        m = nn.Linear(step["in"], step["out"])
        return gen_rng.values(torch.cat([m.weight.detach().flatten(), m.bias.detach()]))
    if op == "conv2d":
        m = nn.Conv2d(step["in"], step["out"], step["k"])
        return gen_rng.values(torch.cat([m.weight.detach().flatten(), m.bias.detach()]))
    if op == "dropout":
        return gen_rng.values(F.dropout(torch.ones(step["n"]), step["p"], training=True))
    if op == "strided":
        # normal_/uniform_/bernoulli_ on the transposed [2, n] view of an [n, 2] tensor: drawn in storage order.
        base = torch.empty(step["n"], 2, dtype=gen_rng.DTYPES[step["dtype"]])
        getattr(base.t(), step["fill"] + "_")(*step["args"])
        return gen_rng.values(base.flatten())
    return gen_rng.run_step(None, step)


def child(capability):
    assert os.environ["ATEN_CPU_CAPABILITY"] == capability
    import torch
    cases = []
    for name, seq in sequences().items():
        for seed in SEEDS:
            torch.manual_seed(seed)
            cases.append({"name": name, "seed": seed, "steps": [dict(s, expected=run_step(s)) for s in seq]})
    json.dump(cases, sys.stdout, separators=(",", ":"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = {}
    for cap in CAPABILITIES:
        env = dict(os.environ, ATEN_CPU_CAPABILITY=cap)
        run = subprocess.run([sys.executable, __file__, "--child", cap], env=env, cwd=here, capture_output=True, text=True, check=True)
        out[cap] = json.loads(run.stdout)
    with open(os.path.join(here, "rng_capability.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    differing = sum(a != b for a, b in zip(out["default"], out["avx2"]))
    print(f"wrote rng_capability.json: {len(out['default'])} cases per capability, {differing} differ between them")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        child(sys.argv[2])
    else:
        main()
