# Checkpoints written by real PyTorch 1.13 for the serialization tests: run from the repository root with
#     /usr/bin/python3 tests/goldens/gen_checkpoints.py
# Writes tests/goldens/checkpoints/*.pt (kept small) and tests/goldens/checkpoints.json (the values every file must load
# as, and the steps a resumed training run must continue with). Also writes hostile pickles that would run a command
# if unpickled by Python's own pickle, and checks that they really would (then removes the marker they make).
import io
import os
import pickle
import pickletools
import subprocess
import sys
import tempfile
import zipfile

import golden_util as gu
import torch
from torch import nn

OUT = gu.HERE / "checkpoints"
OUT.mkdir(exist_ok=True)
MARKER = "nabla-hostile-marker"  # relative: created in the working directory of whoever runs the payload


def save(obj, name, **kw):
    # Through a buffer: the archive's folder name is then "archive", not the file's stem, so reruns give the same bytes.
    buf = io.BytesIO()
    torch.save(obj, buf, **kw)
    (OUT / name).write_bytes(buf.getvalue())


def record(z, name, data):
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)  # a fixed date: reruns give the same bytes


def state(sd):
    return {k: gu.tensor(v) for k, v in sd.items()}


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


# An MLP.
torch.manual_seed(0)
m = mlp()
save(m.state_dict(), "mlp.pt")
golden = {"mlp": state(m.state_dict())}

# A CNN with BatchNorm after three training steps (running statistics and num_batches_tracked have moved).
torch.manual_seed(1)
cnn = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 2))
opt = torch.optim.SGD(cnn.parameters(), lr=0.1)
for _ in range(3):
    xb, yb = torch.randn(5, 1, 6, 6), torch.randint(0, 2, (5,))
    opt.zero_grad()
    nn.functional.cross_entropy(cnn(xb), yb).backward()
    opt.step()
save(cnn.state_dict(), "cnn_bn.pt")
golden["cnn_bn"] = state(cnn.state_dict())

# Mixed dtypes, views sharing one storage, a transposed (non-contiguous) tensor, a storage offset and a 0-d tensor.
torch.manual_seed(2)
base = torch.randn(3, 4)
mixed = {
    "base": base,
    "row": base[1],
    "transposed": base.t(),
    "window": base.view(-1)[5:9],
    "scalar": torch.tensor(3.5),
    "float64": torch.randn(2, 2, dtype=torch.float64),
    "float16": torch.randn(5).half(),
    "bfloat16": torch.randn(2, 3).bfloat16(),
    "int64": torch.arange(-3, 3),
    "int32": torch.arange(4, dtype=torch.int32),
    "int16": torch.tensor([-300, 5, 32767], dtype=torch.int16),
    "int8": torch.tensor([-128, 0, 127], dtype=torch.int8),
    "uint8": torch.tensor([0, 200, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "empty": torch.zeros(0, 3),
}
save(mixed, "mixed.pt")
golden["mixed"] = {k: dict(gu.tensor(v), stride=list(v.stride()), offset=v.storage_offset()) for k, v in mixed.items()}
golden["mixed_shared"] = [["base", "row"], ["base", "transposed"], ["base", "window"]]


# Training checkpoints: three steps, saved with epoch and scheduler state, then the next three steps as goldens.
def training(name, make_opt, sched_kw):
    torch.manual_seed(3)
    model = mlp()
    x, y = torch.randn(16, 4), torch.randn(16, 3)
    opt = make_opt(model.parameters())
    sched = torch.optim.lr_scheduler.StepLR(opt, **sched_kw)

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    for _ in range(3):
        step()
    save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3, "scheduler": sched.state_dict()}, name + ".pt")
    losses, states = [], []
    for _ in range(3):
        losses.append(step())
        states.append(state(model.state_dict()))
    return {"x": gu.tensor(x), "y": gu.tensor(y), "losses": losses, "states": states, "lrs": sched.get_last_lr()}


golden["sgd"] = training("train_sgd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-3), {"step_size": 2, "gamma": 0.5})
golden["adam"] = training("train_adam", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99)), {"step_size": 2, "gamma": 0.5})

# Unsupported formats: a legacy (pre-1.6) file, a TorchScript archive, and a big-endian byteorder record.
save({"epoch": 3}, "legacy.pt", _use_new_zipfile_serialization=False)  # no tensor: legacy storage keys are object ids
buf = io.BytesIO()
torch.jit.save(torch.jit.script(nn.Identity()), buf)
(OUT / "torchscript.pt").write_bytes(buf.getvalue())
with zipfile.ZipFile(io.BytesIO((OUT / "mlp.pt").read_bytes())) as src, zipfile.ZipFile(OUT / "big_endian.pt", "w", zipfile.ZIP_STORED) as dst:
    for info in src.infolist():
        record(dst, info.filename, src.read(info.filename))
    record(dst, "archive/byteorder", b"big")


# Hostile pickles, each inside an otherwise valid checkpoint: unpickled by Python's pickle, each touches MARKER.
class SystemCall:
    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


class Eval:
    def __reduce__(self):
        return (eval, (f"__import__('os').system('touch {MARKER}')",))


class Subprocess:
    def __reduce__(self):
        return (subprocess.call, (["touch", MARKER],))


class OtherClass:
    """A class of the saving program: unpickling it imports __main__ and calls the class, whose constructor acts."""
    def __init__(self, armed=False):
        if armed:
            open(MARKER, "w").close()

    def __reduce__(self):
        return (OtherClass, (True,))


HOSTILE = {"system": SystemCall(), "eval": Eval(), "subprocess": Subprocess(), "other_class": OtherClass()}
golden["hostile"] = {}
for name, payload in HOSTILE.items():
    data = pickle.dumps({"weight": payload}, protocol=2, fix_imports=False)
    # Proves the payload is live: Python's own pickle runs it (in a scratch directory, where the marker appears).
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            pickle.loads(data)
            assert os.path.exists(MARKER), name
        finally:
            os.chdir(here)
    with zipfile.ZipFile(OUT / f"hostile_{name}.pt", "w", zipfile.ZIP_STORED) as z:
        record(z, "archive/data.pkl", data)
        record(z, "archive/version", "3\n")
    golden["hostile"][name] = next(arg.replace(" ", ".") for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL")
# A whole pickled module (torch.save(model)) is refused too: its class is not an allowed global.
save(mlp(), "hostile_module.pt")
golden["hostile"]["module"] = "torch.nn.modules.container.Sequential"

golden["allowed_globals"] = sorted(torch._weights_only_unpickler._get_allowed_globals().keys())
gu.write("checkpoints", golden)
total = sum(p.stat().st_size for p in OUT.iterdir())
print(f"checkpoints: {total} bytes in {len(list(OUT.iterdir()))} files", file=sys.stderr)
