# Writes tests/goldens/optim.json: optimizer trajectories, state dicts, LR schedules and gradient clipping
# from PyTorch 1.13 (single-tensor optimizer paths, foreach=False). Run from the repository root:
#     /usr/bin/python3 tests/goldens/gen_optim.py
# Every optimizer config is named by the Python expression that builds it; the C# tests build the same config
# under the same name. Nabla follows PyTorch 1.13's numbers everywhere here.
import math
import warnings

from golden_util import *  # noqa: F403  (sets ATEN_CPU_CAPABILITY before torch loads)

warnings.simplefilter("ignore")
torch.set_default_dtype(torch.float32)

STEPS = 8  # RAdam's rectified branch starts at step 6 with the default betas
MID = 3    # where the save/restore test cuts the run

# The problem: a 3 -> 2 -> 1 tanh network, mean squared error over 8 samples. Params and data are goldens.
gen = torch.Generator().manual_seed(20240601)
X = torch.randn(8, 3, generator=gen)
Y = torch.randn(8, 1, generator=gen)
INIT = [torch.randn(2, 3, generator=gen) * 0.5, torch.randn(2, generator=gen) * 0.1,
        torch.randn(1, 2, generator=gen) * 0.5, torch.randn(1, generator=gen) * 0.1]


def loss_of(w1, b1, w2, b2):
    h = torch.tanh(X.matmul(w1.t()) + b1)
    out = h.matmul(w2.t()) + b2
    return ((out - Y) ** 2).mean()


def fresh_params():
    return [p.clone().requires_grad_(True) for p in INIT]


O = torch.optim


def groups2(ps, **g2):
    """Two groups: (w1, b1) with lr 0.01 and (w2, b2) with lr 0.1 plus g2's options."""
    return [{"params": ps[:2], "lr": 0.01}, {"params": ps[2:], "lr": 0.1, **g2}]


CONFIGS = {
    "SGD(lr=0.1)": lambda ps: O.SGD(ps, lr=0.1),
    "SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)": lambda ps: O.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "SGD(lr=0.05, momentum=0.9, dampening=0.1, maximize=True)": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, maximize=True),
    "SGD(groups(momentum=0.9), lr=0.05)": lambda ps: O.SGD(groups2(ps, momentum=0.9), lr=0.05),
    "Adam()": lambda ps: O.Adam(ps),
    "Adam(weight_decay=0.01, amsgrad=True)": lambda ps: O.Adam(ps, weight_decay=0.01, amsgrad=True),
    "Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-06, maximize=True)": lambda ps: O.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, maximize=True),
    "Adam(groups(betas=(0.5, 0.9)))": lambda ps: O.Adam(groups2(ps, betas=(0.5, 0.9))),
    "AdamW()": lambda ps: O.AdamW(ps),
    "AdamW(weight_decay=0.1, amsgrad=True)": lambda ps: O.AdamW(ps, weight_decay=0.1, amsgrad=True),
    "AdamW(lr=0.01, maximize=True)": lambda ps: O.AdamW(ps, lr=0.01, maximize=True),
    "RMSprop()": lambda ps: O.RMSprop(ps),
    "RMSprop(momentum=0.9, centered=True)": lambda ps: O.RMSprop(ps, momentum=0.9, centered=True),
    "RMSprop(alpha=0.9, weight_decay=0.1, maximize=True)": lambda ps: O.RMSprop(ps, alpha=0.9, weight_decay=0.1, maximize=True),
    "Adagrad()": lambda ps: O.Adagrad(ps),
    "Adagrad(lr_decay=0.01, initial_accumulator_value=0.1)": lambda ps: O.Adagrad(ps, lr_decay=0.01, initial_accumulator_value=0.1),
    "Adagrad(weight_decay=0.1, eps=1e-06, maximize=True)": lambda ps: O.Adagrad(ps, weight_decay=0.1, eps=1e-6, maximize=True),
    "Adadelta()": lambda ps: O.Adadelta(ps),
    "Adadelta(rho=0.8, weight_decay=0.1)": lambda ps: O.Adadelta(ps, rho=0.8, weight_decay=0.1),
    "Adadelta(lr=0.5, maximize=True)": lambda ps: O.Adadelta(ps, lr=0.5, maximize=True),
    "Adamax()": lambda ps: O.Adamax(ps),
    "Adamax(betas=(0.8, 0.9), weight_decay=0.1)": lambda ps: O.Adamax(ps, betas=(0.8, 0.9), weight_decay=0.1),
    "Adamax(lr=0.01, maximize=True)": lambda ps: O.Adamax(ps, lr=0.01, maximize=True),
    "NAdam()": lambda ps: O.NAdam(ps),
    "NAdam(weight_decay=0.1, momentum_decay=0.01)": lambda ps: O.NAdam(ps, weight_decay=0.1, momentum_decay=0.01),
    "NAdam(lr=0.01, betas=(0.8, 0.99))": lambda ps: O.NAdam(ps, lr=0.01, betas=(0.8, 0.99)),
    "RAdam()": lambda ps: O.RAdam(ps),
    "RAdam(weight_decay=0.1)": lambda ps: O.RAdam(ps, weight_decay=0.1),
    "RAdam(lr=0.01, betas=(0.5, 0.9))": lambda ps: O.RAdam(ps, lr=0.01, betas=(0.5, 0.9)),
}


def value(v):
    """A state-dict value as JSON: tensors as golden tensors, tuples as lists, None as null."""
    if isinstance(v, torch.Tensor):
        return {"tensor": tensor(v)}
    if isinstance(v, (tuple, list)):
        return [value(x) for x in v]
    if isinstance(v, float):
        return {"float": v}  # keeps 0.0 apart from the int 0
    return v


def state_dict_json(sd):
    return {
        "state": {str(k): {name: value(x) for name, x in s.items()} for k, s in sd["state"].items()},
        "param_groups": [{name: value(x) for name, x in g.items()} for g in sd["param_groups"]],
    }


def run(name, make):
    ps = fresh_params()
    opt = make(ps)
    steps = []
    mid = None
    for i in range(STEPS):
        opt.zero_grad()
        loss = loss_of(*ps)
        loss.backward()
        grads = [tensor(p.grad) for p in ps]
        opt.step()
        steps.append({"loss": loss.item(), "grads": grads, "params": [tensor(p) for p in ps]})
        if i + 1 == MID:
            mid = state_dict_json(opt.state_dict())
    return {"name": name, "steps": steps, "state_dict_mid": mid, "state_dict": state_dict_json(opt.state_dict())}


def check_restore(name, make):
    """PyTorch's own promise that the C# restore test relies on: state_dict -> fresh optimizer -> same run."""
    ps = fresh_params()
    opt = make(ps)
    for _ in range(MID):
        opt.zero_grad(); loss_of(*ps).backward(); opt.step()
    qs = [p.detach().clone().requires_grad_(True) for p in ps]
    opt2 = make(qs)
    opt2.load_state_dict(opt.state_dict())
    for _ in range(STEPS - MID):
        opt2.zero_grad(); loss_of(*qs).backward(); opt2.step()
    ref = run(name, make)["steps"][-1]["params"]
    assert all(tensor(q) == r for q, r in zip(qs, ref)), name


optimizers = []
for name, make in CONFIGS.items():
    optimizers.append(run(name, make))
    check_restore(name, make)


def error_of(f):
    try:
        f()
    except (ValueError, RuntimeError, KeyError) as e:
        return str(e)
    raise AssertionError("no error")


p0 = [torch.zeros(2, requires_grad=True)]
ERRORS = {
    "SGD(lr=-1)": lambda: O.SGD(p0, lr=-1),
    "SGD(lr=0.1, momentum=-0.5)": lambda: O.SGD(p0, lr=0.1, momentum=-0.5),
    "SGD(lr=0.1, nesterov=True)": lambda: O.SGD(p0, lr=0.1, nesterov=True),
    "Adam(lr=-1)": lambda: O.Adam(p0, lr=-1),
    "Adam(eps=-0.001)": lambda: O.Adam(p0, eps=-0.001),
    "Adam(betas=(1.5, 0.999))": lambda: O.Adam(p0, betas=(1.5, 0.999)),
    "Adam(betas=(0.9, -0.5))": lambda: O.Adam(p0, betas=(0.9, -0.5)),
    "AdamW(weight_decay=-0.5)": lambda: O.AdamW(p0, weight_decay=-0.5),
    "RMSprop(alpha=-0.5)": lambda: O.RMSprop(p0, alpha=-0.5),
    "RMSprop(momentum=-0.5)": lambda: O.RMSprop(p0, momentum=-0.5),
    "Adagrad(lr_decay=-0.5)": lambda: O.Adagrad(p0, lr_decay=-0.5),
    "Adagrad(initial_accumulator_value=-0.5)": lambda: O.Adagrad(p0, initial_accumulator_value=-0.5),
    "Adadelta(rho=1.5)": lambda: O.Adadelta(p0, rho=1.5),
    "Adamax(eps=-0.5)": lambda: O.Adamax(p0, eps=-0.5),
    "NAdam(momentum_decay=-0.5)": lambda: O.NAdam(p0, momentum_decay=-0.5),
    "RAdam(weight_decay=-0.5)": lambda: O.RAdam(p0, weight_decay=-0.5),
}


def load_error(make_saved, make_target):
    saved = make_saved().state_dict()
    return error_of(lambda: make_target().load_state_dict(saved))


a, b, c = (torch.zeros(2, requires_grad=True) for _ in range(3))
ERRORS["load_state_dict(group count)"] = lambda: load_error(
    lambda: O.SGD([{"params": [a]}, {"params": [b]}], lr=0.1), lambda: O.SGD([a, b], lr=0.1))
ERRORS["load_state_dict(group size)"] = lambda: load_error(
    lambda: O.SGD([a, b], lr=0.1), lambda: O.SGD([a, b, c], lr=0.1))
errors = {k: (f() if k.startswith("load") else error_of(f)) for k, f in ERRORS.items()}


# ---- LR schedulers: 2 groups (lr 0.1 and 0.05), lrs after construction and after each of 20 epochs ----
EPOCHS = 20
S = torch.optim.lr_scheduler


def sched_opt(kind="sgd"):
    w, v = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    if kind == "adam":
        return O.Adam([{"params": [w]}, {"params": [v], "lr": 0.05}], lr=0.1)
    return O.SGD([{"params": [w]}, {"params": [v], "lr": 0.05}], lr=0.1, momentum=0.9)


SCHEDULERS = {
    "StepLR(step_size=3, gamma=0.5)": lambda o: S.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR(milestones=[2, 5, 5, 11], gamma=0.3)": lambda o: S.MultiStepLR(o, milestones=[2, 5, 5, 11], gamma=0.3),
    "ExponentialLR(gamma=0.9)": lambda o: S.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR(T_max=7, eta_min=0.001)": lambda o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    "CosineAnnealingLR(T_max=20)": lambda o: S.CosineAnnealingLR(o, T_max=20),
    "CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.01)": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01),
    "CosineAnnealingWarmRestarts(T_0=4)": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4),
    "LinearLR()": lambda o: S.LinearLR(o),
    "LinearLR(start_factor=0.1, end_factor=0.9, total_iters=12)": lambda o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=12),
    "LambdaLR([0.95 ** e, 1 / (e + 1)])": lambda o: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1 / (e + 1)]),
    "LambdaLR(0.9 ** e)": lambda o: S.LambdaLR(o, lambda e: 0.9 ** e),
    "OneCycleLR(max_lr=[1.0, 0.5], total_steps=21)": lambda o: S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=21),
    "OneCycleLR(max_lr=0.8, total_steps=21, anneal_strategy='linear', three_phase=True)":
        lambda o: S.OneCycleLR(o, max_lr=0.8, total_steps=21, anneal_strategy="linear", three_phase=True),
    "OneCycleLR(max_lr=0.8, epochs=3, steps_per_epoch=7, pct_start=0.4, div_factor=10.0, final_div_factor=100.0, cycle_momentum=False)":
        lambda o: S.OneCycleLR(o, max_lr=0.8, epochs=3, steps_per_epoch=7, pct_start=0.4, div_factor=10.0, final_div_factor=100.0, cycle_momentum=False),
    "SequentialLR([LinearLR(start_factor=0.1, total_iters=4), ExponentialLR(gamma=0.9)], milestones=[5])":
        lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=4), S.ExponentialLR(o, gamma=0.9)], milestones=[5]),
    "SequentialLR([StepLR(step_size=2, gamma=0.5), MultiStepLR(milestones=[0, 3], gamma=0.5), CosineAnnealingLR(T_max=5, eta_min=0.01)], milestones=[4, 9])":
        lambda o: S.SequentialLR(o, [S.StepLR(o, step_size=2, gamma=0.5), S.MultiStepLR(o, milestones=[0, 3], gamma=0.5),
                                     S.CosineAnnealingLR(o, T_max=5, eta_min=0.01)], milestones=[4, 9]),
    "ConstantLR(factor=0.5, total_iters=4)": lambda o: S.ConstantLR(o, factor=0.5, total_iters=4),
    "MultiplicativeLR(0.95)": lambda o: S.MultiplicativeLR(o, lambda e: 0.95),
    "PolynomialLR(total_iters=12, power=2.0)": lambda o: S.PolynomialLR(o, total_iters=12, power=2.0),
    "ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])":
        lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)]),
    "SequentialLR([ConstantLR(factor=0.5, total_iters=3), PolynomialLR(total_iters=10)], milestones=[6])":
        lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=3), S.PolynomialLR(o, total_iters=10)], milestones=[6]),
}
SCHED_OPT = {"OneCycleLR(max_lr=0.8, total_steps=21, anneal_strategy='linear', three_phase=True)": "adam"}


def group_momentum(o):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in o.param_groups]


def run_sched(name, make):
    o = sched_opt(SCHED_OPT.get(name, "sgd"))
    s = make(o)
    lrs, moms = [s.get_last_lr()], [group_momentum(o)]
    for _ in range(EPOCHS):
        o.step()
        s.step()
        lrs.append(s.get_last_lr())
        moms.append(group_momentum(o))
    return {"name": name, "optimizer": SCHED_OPT.get(name, "sgd"), "lrs": lrs, "momentum": moms}


schedulers = [run_sched(n, m) for n, m in SCHEDULERS.items()]

# state_dict keys of a scheduler (the later checkpoint writer must produce the same).
sd_keys = {}
for name in ["StepLR(step_size=3, gamma=0.5)", "CosineAnnealingLR(T_max=7, eta_min=0.001)", "ExponentialLR(gamma=0.9)"]:
    s = SCHEDULERS[name](sched_opt())
    sd_keys[name] = sorted(s.state_dict().keys())

# ReduceLROnPlateau on a fixed metric sequence: improves, stalls, improves a little, stalls.
METRICS = [1.0, 0.9, 0.8, 0.8, 0.81, 0.79, 0.7999, 0.85, 0.6, 0.6, 0.6, 0.6, 0.59995, 0.6, 0.7, 0.55, 0.55, 0.55, 0.55, 0.55]
PLATEAU = {
    "ReduceLROnPlateau(patience=2)": dict(patience=2),
    "ReduceLROnPlateau(patience=1, threshold=0.01, threshold_mode='abs')": dict(patience=1, threshold=0.01, threshold_mode="abs"),
    "ReduceLROnPlateau(mode='max', factor=0.5, patience=1)": dict(mode="max", factor=0.5, patience=1),
    "ReduceLROnPlateau(mode='max', patience=0, threshold=0.05, threshold_mode='abs')": dict(mode="max", patience=0, threshold=0.05, threshold_mode="abs"),
    "ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2, min_lr=[0.02, 0.001])": dict(factor=0.5, patience=1, cooldown=2, min_lr=[0.02, 0.001]),
    "ReduceLROnPlateau(factor=0.5, patience=0, min_lr=0.01, eps=0.01)": dict(factor=0.5, patience=0, min_lr=0.01, eps=0.01),
}
plateau = []
for name, kw in PLATEAU.items():
    o = sched_opt()
    s = S.ReduceLROnPlateau(o, **kw)
    lrs = []
    for m in METRICS:
        s.step(m)
        lrs.append([g["lr"] for g in o.param_groups])
    plateau.append({"name": name, "lrs": lrs})

# ---- gradient clipping ----
gen = torch.Generator().manual_seed(7)
GRADS = [torch.randn(3, 4, generator=gen), torch.randn(4, generator=gen) * 3, torch.randn(2, 2, generator=gen) * 0.1]


def clip_params():
    ps = [torch.zeros(g.shape, requires_grad=True) for g in GRADS] + [torch.zeros(3, requires_grad=True)]  # the last has no grad
    for p, g in zip(ps, GRADS):
        p.grad = g.clone()
    return ps


clip = []
for max_norm, norm_type in [(1.0, 2.0), (0.5, 1.0), (0.3, math.inf), (100.0, 2.0), (1.0, 3.0), (2.0, 0.5)]:
    ps = clip_params()
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm=max_norm, norm_type=norm_type)
    clip.append({"max_norm": max_norm, "norm_type": "inf" if norm_type == math.inf else norm_type,
                 "total_norm": tensor(total), "grads": [tensor(p.grad) for p in ps[:3]]})
clip_value = []
for v in [0.1, 1.0]:
    ps = clip_params()
    torch.nn.utils.clip_grad_value_(ps, clip_value=v)
    clip_value.append({"clip_value": v, "grads": [tensor(p.grad) for p in ps[:3]]})
ps = clip_params()
ps[1].grad[0] = math.inf
nonfinite = error_of(lambda: torch.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True))
empty_norm = tensor(torch.nn.utils.clip_grad_norm_([torch.zeros(2, requires_grad=True)], 1.0))

# The in-place ops the optimizers lean on, whose rounding order matters: addcmul_, addcdiv_, lerp_ (vectorised and scalar paths).
gen = torch.Generator().manual_seed(11)
A, B, C = (torch.randn(37, generator=gen) for _ in range(3))
inplace = {"a": tensor(A), "b": tensor(B), "c": tensor(C), "cases": []}
for v in [1.0, 0.001, -0.3]:
    inplace["cases"].append({"op": "addcmul_", "value": v, "result": tensor(A.clone().addcmul_(B, C, value=v))})
    inplace["cases"].append({"op": "addcdiv_", "value": v, "result": tensor(A.clone().addcdiv_(B, C, value=v))})
for w in [0.1, 0.5, 0.9]:
    inplace["cases"].append({"op": "lerp_", "value": w, "result": tensor(A.clone().lerp_(B, w))})

write("optim", {
    "problem": {"x": tensor(X), "y": tensor(Y), "params": [tensor(p) for p in INIT], "steps": STEPS, "mid": MID},
    "optimizers": optimizers,
    "errors": errors,
    "schedulers": schedulers,
    "scheduler_state_keys": sd_keys,
    "plateau": {"metrics": METRICS, "runs": plateau},
    "clip": {"grads": [tensor(g) for g in GRADS], "norm": clip, "value": clip_value,
             "nonfinite_error": nonfinite, "empty_norm": empty_norm},
    "inplace": inplace,
})
