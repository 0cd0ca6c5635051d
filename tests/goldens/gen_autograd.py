# Goldens for autograd beyond backward(): first and second derivatives (Hessian-vector products) of ops, a WGAN-GP
# penalty through a small conv critic, torch.autograd.functional, custom Functions, hooks and checkpointing.
# Everything in float64, as PyTorch's own gradcheck/gradgradcheck tests are.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.autograd.functional as AF
from torch.utils.checkpoint import checkpoint

from golden_util import tensor, write

torch.set_default_dtype(torch.float64)


def rn(*shape):
    return torch.randn(*shape)


def pos(*shape):
    return torch.rand(*shape) + 0.5


# name -> (function of the inputs, inputs made after seeding, indices of inputs that require grad)
CASES = {
    "elementwise": (lambda x, y: (x.sin() * y.exp() + x.tanh() / y.sigmoid() - x.pow(3) * y) , lambda: [rn(2, 3), rn(2, 3)], [0, 1]),
    "log_sqrt_div": (lambda x, y: x.log() * y.sqrt() / (x + y), lambda: [pos(4), pos(4)], [0, 1]),
    "matmul": (lambda a, b: (a @ b).tanh(), lambda: [rn(3, 4), rn(4, 2)], [0, 1]),
    "sum_mean": (lambda x: x.sum(1).pow(2) + x.mean(0).exp().sum(), lambda: [rn(3, 4)], [0]),
    "max_dim": (lambda x: x.max(dim=1).values.pow(3), lambda: [rn(3, 4)], [0]),
    "min_dim": (lambda x: x.min(dim=0).values.exp(), lambda: [rn(3, 4)], [0]),
    "max_all": (lambda x: x.max().pow(2) * x.sum(), lambda: [rn(3, 4)], [0]),
    "logsumexp_var_std": (lambda x: x.logsumexp(1) * x.var(1) + x.std(0).sum(), lambda: [rn(3, 4)], [0]),
    "softmax": (lambda x: F.softmax(x, dim=1), lambda: [rn(3, 5)], [0]),
    "log_softmax": (lambda x: F.log_softmax(x, dim=0), lambda: [rn(3, 5)], [0]),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=2), lambda: [rn(2, 4, 5, 5), rn(4, 2, 3, 3), rn(4)], [0, 1, 2]),
    "conv1d": (lambda x, w: F.conv1d(x, w, padding=1, dilation=2), lambda: [rn(2, 2, 7), rn(3, 2, 3)], [0, 1]),
    "conv_transpose2d": (lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1), lambda: [rn(1, 2, 3, 3), rn(2, 3, 3, 3)], [0, 1]),
    "conv2d_squared": (lambda x, w: F.conv2d(x, w).pow(2), lambda: [rn(1, 2, 4, 4), rn(2, 2, 2, 2)], [0, 1]),
    "max_pool2d": (lambda x: F.max_pool2d(x.pow(2), 2, stride=1), lambda: [rn(1, 2, 4, 4)], [0]),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, stride=2, padding=1).exp(), lambda: [rn(1, 2, 5, 5)], [0]),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (2, 3)).sin(), lambda: [rn(2, 1, 5, 7)], [0]),
    "batch_norm": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), lambda: [rn(4, 3, 2), rn(3), rn(3)], [0, 1, 2]),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, [4], w, b), lambda: [rn(3, 4), rn(4), rn(4)], [0, 1, 2]),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), lambda: [rn(2, 4, 3), rn(4), rn(4)], [0, 1, 2]),
    "embedding": (lambda w: F.embedding(torch.tensor([[1, 3], [3, 0]]), w).pow(2), lambda: [rn(4, 3)], [0]),
    "gelu_elu_silu": (lambda x: F.gelu(x) * F.elu(x) + F.silu(x) + F.leaky_relu(x, 0.1).pow(2), lambda: [rn(2, 5)], [0]),
    "cross_entropy": (lambda x: F.cross_entropy(x, torch.tensor([2, 0, 1])), lambda: [rn(3, 4)], [0]),
    "mse_loss": (lambda x, y: F.mse_loss(x, y), lambda: [rn(3, 4), rn(3, 4)], [0, 1]),
    "bce_with_logits": (lambda x, y: F.binary_cross_entropy_with_logits(x, y), lambda: [rn(3, 4), torch.rand(3, 4)], [0, 1]),
    "nll_loss": (lambda x: F.nll_loss(F.log_softmax(x, 1), torch.tensor([1, 0, 3])), lambda: [rn(3, 4)], [0]),
    "smooth_l1_huber": (lambda x, y: F.smooth_l1_loss(x, y) + F.huber_loss(x, y, delta=0.5), lambda: [rn(3, 4), rn(3, 4)], [0, 1]),
    "kl_div": (lambda x, y: F.kl_div(F.log_softmax(x, 1), y, reduction="batchmean"), lambda: [rn(3, 4), torch.rand(3, 4)], [0]),
}


def derivative_cases():
    out = []
    for k, (name, (fn, make, wrt)) in enumerate(CASES.items()):
        torch.manual_seed(100 + k)
        inputs = make()
        for i in wrt:
            inputs[i].requires_grad_()
        y = fn(*inputs)
        w = torch.randn_like(y)
        vs = [torch.randn_like(inputs[i]) for i in wrt]
        grads = torch.autograd.grad((y * w).sum(), [inputs[i] for i in wrt], create_graph=True)
        hv = torch.autograd.grad(sum((g * v).sum() for g, v in zip(grads, vs)), [inputs[i] for i in wrt], allow_unused=True)
        hv = [h if h is not None else torch.zeros_like(inputs[i]) for h, i in zip(hv, wrt)]
        out.append({
            "name": name,
            "inputs": [tensor(t) for t in inputs],
            "wrt": wrt,
            "weight": tensor(w),
            "vectors": [tensor(v) for v in vs],
            "output": tensor(y),
            "grad_fn": y.grad_fn.name(),
            "grads": [tensor(g) for g in grads],
            "hvps": [tensor(h) for h in hv],
        })
    return out


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.act1 = nn.LeakyReLU(0.2)
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1)
        self.norm = nn.GroupNorm(2, 8)
        self.act2 = nn.LeakyReLU(0.2)
        self.pool2 = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        x = self.pool1(self.act1(self.conv1(x)))
        x = self.pool2(self.act2(self.norm(self.conv2(x))))
        return self.fc(self.flat(x))


def wgan_gp():
    torch.manual_seed(7)
    critic = Critic()
    real, fake, alpha = torch.randn(3, 1, 8, 8), torch.randn(3, 1, 8, 8), torch.rand(3, 1, 1, 1)
    xhat = (alpha * real + (1 - alpha) * fake).requires_grad_()
    gp = torch.autograd.grad([critic(xhat).sum()], [xhat], create_graph=True)[0]
    penalty = (gp.flatten(1).norm(dim=1) - 1).pow(2).mean()
    penalty.backward()
    return {
        "state": {k: tensor(v) for k, v in critic.state_dict().items()},
        "real": tensor(real), "fake": tensor(fake), "alpha": tensor(alpha),
        "gradient": tensor(gp), "penalty": tensor(penalty),
        "grads": {k: tensor(p.grad) for k, p in critic.named_parameters()},
    }


def functional():
    torch.manual_seed(11)
    x, v3, v2 = torch.randn(3), torch.randn(3), torch.randn(2)

    def f(t):  # R^3 -> R^2
        return torch.stack([(t.sin() * t.sum()).sum(), (t.exp() * t).pow(2).sum()])

    def s(t):  # R^3 -> R
        return (t.pow(3) * t.sum()).sum() + t.exp().sum() * t[0]

    fx, vjp = AF.vjp(f, x, v2)
    _, jvp = AF.jvp(f, x, v3)
    sx, hvp = AF.hvp(s, x, v3)
    return {
        "x": tensor(x), "v3": tensor(v3), "v2": tensor(v2),
        "jacobian": tensor(AF.jacobian(f, x)), "hessian": tensor(AF.hessian(s, x)),
        "f": tensor(fx), "vjp": tensor(vjp), "jvp": tensor(jvp), "s": tensor(sx), "hvp": tensor(hvp),
    }


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        (r,) = ctx.saved_tensors
        return g * r


def custom_function():
    torch.manual_seed(12)
    x = torch.randn(4, requires_grad=True)
    y = Exp.apply(x)
    g = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)[0]
    h = torch.autograd.grad(g.sum(), x)[0]
    return {"x": tensor(x), "y": tensor(y), "grad_fn": y.grad_fn.name(), "grad": tensor(g), "second": tensor(h)}


def hooks():
    torch.manual_seed(13)
    x = torch.randn(3, requires_grad=True)
    seen = []
    x.register_hook(lambda g: g + 1)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.clone()))
    y.register_hook(lambda g: g * 3)
    # retain_grad after the hooks: 1.13 and 2.x agree (2.x runs it after every hook whatever the order).
    y.retain_grad()
    (y * y).sum().backward()
    lin = nn.Linear(3, 2)
    recorded = {}

    def full_hook(module, grad_input, grad_output):
        recorded["grad_input"] = grad_input[0].clone()
        recorded["grad_output"] = grad_output[0].clone()
        return (grad_input[0] * 2,)

    lin.register_full_backward_hook(full_hook)
    z = torch.randn(2, 3, requires_grad=True)
    lin(z).pow(2).sum().backward()
    return {
        "x": tensor(x), "x_grad": tensor(x.grad), "y_grad": tensor(y.grad), "seen": tensor(seen[0]),
        "linear": {k: tensor(v) for k, v in lin.state_dict().items()}, "z": tensor(z), "z_grad": tensor(z.grad),
        "grad_input": tensor(recorded["grad_input"]), "grad_output": tensor(recorded["grad_output"]),
        "weight_grad": tensor(lin.weight.grad), "output_grad_fn": type(lin(z).grad_fn).__name__,
    }


def checkpointed():
    torch.manual_seed(14)
    block = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Dropout(0.5), nn.Linear(4, 1))
    x = torch.randn(5, 4, requires_grad=True)
    torch.manual_seed(15)
    checkpoint(block, x, use_reentrant=False).sum().backward()
    return {
        "state": {k: tensor(v) for k, v in block.state_dict().items()}, "x": tensor(x),
        "x_grad": tensor(x.grad), "grads": {k: tensor(p.grad) for k, p in block.named_parameters()},
    }


write("autograd", {
    "derivatives": derivative_cases(),
    "wgan_gp": wgan_gp(),
    "functional": functional(),
    "custom_function": custom_function(),
    "hooks": hooks(),
    "checkpoint": checkpointed(),
})
