# Writes tests/goldens/training.json: end-to-end training runs of small real models in PyTorch 1.13, written line for
# line like the C# scenarios in tests/Nabla.Tests/EndToEnd/TrainingParityTests.cs. Run from the repository root:
#     /usr/bin/python3 tests/goldens/gen_training.py
# Every run starts from torch.manual_seed(s) and draws its initial parameters AND its data from the global generator,
# so the C# side rebuilds both from the same seed; only per-step losses and the results are goldens.
from golden_util import *  # noqa: F403  (sets ATEN_CPU_CAPABILITY before torch loads)

from torch import nn

torch.set_default_dtype(torch.float32)


def state(model):
    return {k: tensor(v) for k, v in model.state_dict().items()}


def mlp_run():
    """Scenario 1: MLP with dropout, cross-entropy, SGD (momentum, weight decay) + StepLR, randperm minibatches."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 3))
    x = torch.randn(96, 20)
    y = torch.randint(0, 3, (96,))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(30):
        idx = torch.randperm(96)[:16]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(x)
    accuracy = (logits.argmax(1) == y).float().mean().item()
    return {"losses": losses, "state": state(model), "eval_logits": tensor(logits), "accuracy": accuracy}


def cnn_model(conv_bias):
    return nn.Sequential(nn.Conv2d(1, 4, 3, bias=conv_bias), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 5 * 5, 3))


def cnn_run(conv_bias):
    """Scenario 2: Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear; Adam + CosineAnnealingLR.

    A conv bias right before a training-mode BatchNorm has an exactly zero true gradient: what backward computes for it
    is rounding noise (~1e-8 against ~0.4 for the conv weight), and Adam rescales that noise to full lr-sized steps of
    random sign. Its trajectory (and, through running_mean, the eval outputs) is then decided by summation order, not by
    the math, so the full comparison uses bias=False; with the bias only the losses (which it cannot change) are golden.
    """
    torch.manual_seed(1)
    model = cnn_model(conv_bias)
    x = torch.randn(32, 1, 12, 12)
    y = torch.randint(0, 3, (32,))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(10):
        idx = torch.randperm(32)[:8]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(x)
    return {"losses": losses, "state": state(model), "eval_outputs": tensor(out)}


class SeqNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(12, 8, padding_idx=0)
        self.norm = nn.LayerNorm(8)
        self.gelu = nn.GELU()
        self.fc = nn.Linear(8, 2)

    def forward(self, tokens):
        return self.fc(self.gelu(self.norm(self.embed(tokens))).mean(1))


def seq_run():
    """Scenario 3: Embedding(padding_idx) -> LayerNorm -> GELU -> mean over time -> Linear; AdamW + clip_grad_norm_."""
    torch.manual_seed(2)
    model = SeqNet()
    tokens = torch.randint(0, 12, (16, 6))
    y = torch.randint(0, 2, (16,))
    opt = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss()
    losses, norms = [], []
    for _ in range(10):
        opt.zero_grad()
        loss = loss_fn(model(tokens), y)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), 0.1).item())
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "grad_norms": norms, "state": state(model)}


write("training", {"mlp": mlp_run(), "cnn": cnn_run(False), "cnn_conv_bias": {"losses": cnn_run(True)["losses"]}, "seq": seq_run()})
