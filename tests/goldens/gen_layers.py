# Layers (conv, pooling, normalisation, embedding, dropout, reshaping), their init, containers and nn.init, from PyTorch.
# Writes layers.json. Run from the repo root: /usr/bin/python3 tests/goldens/gen_layers.py   (Debian python3-torch 1.13)
#
# Each "layers" case: after torch.manual_seed(seed) the module is built (default init), then the input and a random output
# weight w are drawn; the case records the init values (state_dict), repr, state_dict keys, forward output, grad_fn name,
# and the gradients of (out * w).sum() with respect to the input and every parameter. The C# test builds the same module
# from the case name (one line per case there) and compares.
from golden_util import *  # noqa: F401,F403 (sets ATEN_CPU_CAPABILITY=default first)
from collections import OrderedDict

import torch.nn as nn
import torch.nn.functional as F


def modulelist_repr_2x(self):
    # PyTorch 2.x's ModuleList.__repr__ (torch/nn/modules/container.py), written out here because 1.13 prints every entry:
    # consecutive entries with equal reprs collapse into "(i-j): n x repr".
    list_of_reprs = [repr(item) for item in self]
    if len(list_of_reprs) == 0:
        return self._get_name() + "()"
    start_end_indices = [[0, 0]]
    repeated_blocks = [list_of_reprs[0]]
    for i, r in enumerate(list_of_reprs[1:], 1):
        if r == repeated_blocks[-1]:
            start_end_indices[-1][1] += 1
            continue
        start_end_indices.append([i, i])
        repeated_blocks.append(r)
    lines = []
    main_str = self._get_name() + "("
    for (start_id, end_id), b in zip(start_end_indices, repeated_blocks):
        local_repr = f"({start_id}): {b}"
        if start_id != end_id:
            n = end_id - start_id + 1
            local_repr = f"({start_id}-{end_id}): {n} x {b}"
        local_repr = nn.modules.module._addindent(local_repr, 2)
        lines.append(local_repr)
    main_str += "\n  " + "\n  ".join(lines) + "\n"
    main_str += ")"
    return main_str


nn.ModuleList.__repr__ = modulelist_repr_2x

# name: (constructor, input shape or index tensor, training)
CASES = OrderedDict([
    ("conv1d_basic", (lambda: nn.Conv1d(3, 4, 3), (2, 3, 9), True)),
    ("conv1d_strided_groups", (lambda: nn.Conv1d(4, 6, 5, stride=2, padding=2, groups=2, bias=False), (2, 4, 11), True)),
    ("conv1d_same_dilated", (lambda: nn.Conv1d(2, 3, 4, padding="same", dilation=2), (3, 2, 10), True)),
    ("conv1d_unbatched", (lambda: nn.Conv1d(2, 3, 3, padding=1), (2, 7), True)),
    ("conv2d_basic", (lambda: nn.Conv2d(3, 4, 3), (2, 3, 7, 6), True)),
    ("conv2d_strided_dilated_groups", (lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2), (2, 4, 9, 7), True)),
    ("conv2d_depthwise_same", (lambda: nn.Conv2d(3, 6, 3, padding="same", groups=3, bias=False), (2, 3, 5, 6), True)),
    ("conv2d_even_kernel_same", (lambda: nn.Conv2d(2, 3, 4, padding="same"), (1, 2, 6, 5), True)),
    ("conv2d_valid", (lambda: nn.Conv2d(2, 2, 3, padding="valid"), (2, 2, 5, 5), True)),
    ("conv2d_unbatched", (lambda: nn.Conv2d(2, 3, 3, stride=2), (2, 7, 7), True)),
    ("conv_transpose2d_basic", (lambda: nn.ConvTranspose2d(3, 4, 3), (2, 3, 4, 5), True)),
    ("conv_transpose2d_strided_groups", (lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), (2, 4, 4, 3), True)),
    ("conv_transpose2d_dilated", (lambda: nn.ConvTranspose2d(2, 3, (3, 2), stride=(2, 3), dilation=2, bias=False), (1, 2, 3, 4), True)),
    ("conv_transpose2d_output_padding_dilation", (lambda: nn.ConvTranspose2d(2, 2, 3, dilation=2, output_padding=1), (2, 2, 4, 4), True)),
    ("max_pool1d_basic", (lambda: nn.MaxPool1d(3), (2, 3, 10), True)),
    ("max_pool1d_ceil_dilated", (lambda: nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True), (2, 2, 12), True)),
    ("max_pool2d_basic", (lambda: nn.MaxPool2d(2), (2, 3, 6, 7), True)),
    ("max_pool2d_padded_dilated_ceil", (lambda: nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True), (2, 2, 8, 7), True)),
    ("max_pool2d_ceil", (lambda: nn.MaxPool2d(3, stride=2, ceil_mode=True), (1, 2, 8, 8), True)),
    ("avg_pool1d_basic", (lambda: nn.AvgPool1d(3), (2, 3, 10), True)),
    ("avg_pool1d_ceil_exclude_pad", (lambda: nn.AvgPool1d(4, stride=2, padding=2, ceil_mode=True, count_include_pad=False), (2, 2, 11), True)),
    ("avg_pool2d_basic", (lambda: nn.AvgPool2d(2), (2, 3, 6, 7), True)),
    ("avg_pool2d_ceil_exclude_pad", (lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), (2, 2, 8, 7), True)),
    ("avg_pool2d_include_pad", (lambda: nn.AvgPool2d((3, 2), stride=(1, 2), padding=(1, 0)), (1, 2, 5, 6), True)),
    ("avg_pool2d_divisor_override", (lambda: nn.AvgPool2d(2, divisor_override=3), (1, 2, 4, 4), True)),
    ("adaptive_avg_pool2d_uneven", (lambda: nn.AdaptiveAvgPool2d((3, 4)), (2, 3, 7, 10), True)),
    ("adaptive_avg_pool2d_global", (lambda: nn.AdaptiveAvgPool2d(1), (2, 3, 5, 4), True)),
    ("adaptive_avg_pool2d_none", (lambda: nn.AdaptiveAvgPool2d((None, 3)), (1, 2, 4, 7), True)),
    ("batch_norm1d_2d_input", (lambda: nn.BatchNorm1d(4), (6, 4), True)),
    ("batch_norm1d_3d_input", (lambda: nn.BatchNorm1d(4), (5, 4, 3), True)),
    ("batch_norm2d_train", (lambda: nn.BatchNorm2d(3), (4, 3, 5, 5), True)),
    ("batch_norm2d_momentum_none", (lambda: nn.BatchNorm2d(3, momentum=None), (2, 3, 4, 4), True)),
    ("batch_norm2d_no_affine", (lambda: nn.BatchNorm2d(3, affine=False, eps=1e-3, momentum=0.3), (2, 3, 4, 4), True)),
    ("batch_norm1d_no_running_stats", (lambda: nn.BatchNorm1d(4, track_running_stats=False), (5, 4), True)),
    ("batch_norm1d_no_running_stats_eval", (lambda: nn.BatchNorm1d(4, track_running_stats=False), (5, 4), False)),
    ("batch_norm2d_eval", (lambda: nn.BatchNorm2d(3), (2, 3, 4, 4), False)),
    ("layer_norm_basic", (lambda: nn.LayerNorm(6), (4, 6), True)),
    ("layer_norm_2d_shape", (lambda: nn.LayerNorm([3, 4]), (2, 3, 4), True)),
    ("layer_norm_no_affine", (lambda: nn.LayerNorm(5, elementwise_affine=False), (2, 3, 5), True)),
    ("layer_norm_1d_input", (lambda: nn.LayerNorm(4, eps=1e-3), (4,), True)),
    ("group_norm_basic", (lambda: nn.GroupNorm(2, 6), (3, 6, 4, 4), True)),
    ("group_norm_no_affine", (lambda: nn.GroupNorm(3, 6, affine=False), (2, 6, 5), True)),
    ("group_norm_one_group", (lambda: nn.GroupNorm(1, 4, eps=1e-3), (2, 4), True)),
    ("embedding_basic", (lambda: nn.Embedding(10, 3), [[1, 2, 1], [9, 0, 1]], True)),
    ("embedding_padding_idx", (lambda: nn.Embedding(10, 3, padding_idx=0), [[0, 2, 0, 5], [5, 5, 1, 0]], True)),
    ("embedding_negative_padding_idx", (lambda: nn.Embedding(8, 4, padding_idx=-1), [7, 3, 7, 1, 3], True)),
    ("embedding_16_rows", (lambda: nn.Embedding(16, 2), [[15, 0], [3, 3]], True)),
    ("dropout_train", (lambda: nn.Dropout(0.3), (4, 8), True)),
    ("dropout_eval", (lambda: nn.Dropout(), (3, 4), False)),
    ("flatten_default", (lambda: nn.Flatten(), (2, 3, 2, 2), True)),
    ("flatten_range", (lambda: nn.Flatten(0, 2), (2, 3, 2, 2), True)),
    ("unflatten", (lambda: nn.Unflatten(1, (2, 3)), (2, 6, 2), True)),
    ("identity", (lambda: nn.Identity(), (2, 3), True)),
])


def run_case(seed, ctor, inp, training):
    torch.manual_seed(seed)
    m = ctor()
    m.train(training)
    init = {k: tensor(v) for k, v in m.state_dict().items()}
    if isinstance(inp, list):
        x = torch.tensor(inp)
        xg = None
    else:
        x = torch.randn(*inp, requires_grad=True)
        xg = x
    out = m(x)
    w = torch.randn(out.shape)
    if out.requires_grad:
        (out * w).sum().backward()
    grad_fn = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    if grad_fn == "ReshapeAliasBackward0":
        grad_fn = "ViewBackward0"  # PyTorch 2.x: reshape of a contiguous tensor is a view (1.13 named it ReshapeAliasBackward0)
    return {
        "seed": seed,
        "training": training,
        "repr": repr(m),
        "class": type(m).__name__,
        "state_keys": list(m.state_dict().keys()),
        "init": init,
        "input": tensor(x),
        "w": tensor(w),
        "output": tensor(out),
        "grad_fn": grad_fn,
        "grad_input": tensor(xg.grad) if xg is not None and xg.grad is not None else None,
        "grads": {k: tensor(p.grad) for k, p in m.named_parameters() if p.grad is not None},
        "buffers_after": {k: tensor(v) for k, v in m.named_buffers()},
    }


layers = OrderedDict()
for i, (name, (ctor, inp, training)) in enumerate(CASES.items()):
    layers[name] = run_case(100 + i, ctor, inp, training)


# ---- BatchNorm over several training steps, then evaluation; Dropout masks ----
def batchnorm_steps(momentum):
    torch.manual_seed(7)
    bn = nn.BatchNorm2d(3, momentum=momentum)
    steps = []
    for _ in range(4):
        x = torch.randn(4, 3, 3, 3) * 2 + 1
        y = bn(x)
        steps.append({"input": tensor(x), "output": tensor(y), "running_mean": tensor(bn.running_mean),
                      "running_var": tensor(bn.running_var), "num_batches_tracked": tensor(bn.num_batches_tracked)})
    bn.eval()
    x = torch.randn(2, 3, 3, 3)
    return {"steps": steps, "eval_input": tensor(x), "eval_output": tensor(bn(x))}


def dropout_masks():
    out = []
    for seed, p, shape in [(0, 0.5, (20,)), (1, 0.2, (3, 7)), (2, 0.9, (4, 5, 3)), (3, 1.0, (6,))]:
        torch.manual_seed(seed)
        x = torch.arange(1, 1 + int(torch.tensor(shape).prod())).float().reshape(shape) - 4.5
        y = F.dropout(x, p, training=True)
        out.append({"seed": seed, "p": p, "input": tensor(x), "output": tensor(y)})
    return out


train_eval = {"momentum_0.1": batchnorm_steps(0.1), "momentum_none": batchnorm_steps(None), "dropout": dropout_masks()}


# ---- nn.init ----
def init_case(seed, shape, fn, dtype=torch.float32):
    torch.manual_seed(seed)
    t = torch.empty(shape, dtype=dtype)
    fn(t)
    return {"seed": seed, "value": tensor(t)}


inits = OrderedDict([
    ("kaiming_normal_fan_in", init_case(1, (5, 4, 3), lambda t: nn.init.kaiming_normal_(t))),
    ("kaiming_normal_fan_out_relu", init_case(2, (3, 7), lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"))),
    ("kaiming_uniform_leaky", init_case(3, (6, 5), lambda t: nn.init.kaiming_uniform_(t, a=0.2))),
    ("xavier_uniform", init_case(4, (4, 6), lambda t: nn.init.xavier_uniform_(t))),
    ("xavier_uniform_gain", init_case(5, (3, 2, 2, 2), lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("tanh")))),
    ("xavier_normal", init_case(6, (5, 5), lambda t: nn.init.xavier_normal_(t))),
    ("xavier_normal_small", init_case(7, (2, 3), lambda t: nn.init.xavier_normal_(t, gain=2.0))),
    ("trunc_normal_default", init_case(8, (40, 5), lambda t: nn.init.trunc_normal_(t))),
    ("trunc_normal_shifted", init_case(9, (7, 3), lambda t: nn.init.trunc_normal_(t, mean=1.0, std=0.5, a=0.0, b=1.5))),
    ("trunc_normal_float64", init_case(10, (6, 4), lambda t: nn.init.trunc_normal_(t, std=0.02), torch.float64)),
    ("orthogonal_tall", init_case(11, (6, 4), lambda t: nn.init.orthogonal_(t))),
    ("orthogonal_wide", init_case(12, (3, 8), lambda t: nn.init.orthogonal_(t, gain=2.0))),
    ("orthogonal_conv", init_case(13, (4, 2, 3, 3), lambda t: nn.init.orthogonal_(t))),
    ("orthogonal_square_small", init_case(14, (3, 3), lambda t: nn.init.orthogonal_(t))),
    ("constant", init_case(15, (2, 3), lambda t: nn.init.constant_(t, 0.25))),
    ("zeros", init_case(16, (2, 3), lambda t: nn.init.zeros_(t))),
    ("ones", init_case(17, (2, 3), lambda t: nn.init.ones_(t))),
])


# ---- A model mixing containers, buffers and nested modules ----
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.register_buffer("scale", torch.ones(1))
        self.register_buffer("cache", torch.zeros(2), persistent=False)

    def forward(self, x):
        return self.bn(self.conv(x)) * self.scale + x


class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 2, 3)), ("act", nn.ReLU()), ("pool", nn.MaxPool2d(2))]))
        self.blocks = nn.ModuleList([Block(), Block()])
        self.heads = nn.ModuleDict({"cls": nn.Linear(8, 3), "aux": nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(8, 2))})
        self.repeat = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)] + [nn.Identity()])
        self.register_buffer("step", torch.tensor(0))
        self.norm = nn.LayerNorm(3)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        f = x.flatten(1)
        y = self.heads["cls"](f)
        for m in self.repeat:
            y = m(y)
        return self.norm(y) + self.heads["aux"](x).sum(1, keepdim=True)


torch.manual_seed(21)
mixed = Mixed()
x = torch.randn(2, 1, 6, 6)
mixed.eval()
mixed_out = mixed(x)
containers = {
    "repr": repr(mixed),
    "state_keys": list(mixed.state_dict().keys()),
    "named_parameters": [n for n, _ in mixed.named_parameters()],
    "named_buffers": [n for n, _ in mixed.named_buffers()],
    "named_modules": [[n, type(m).__name__] for n, m in mixed.named_modules()],
    "state": {k: tensor(v) for k, v in mixed.state_dict().items()},
    "input": tensor(x),
    "eval_output": tensor(mixed_out),
    "sequential_repr": repr(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))),
    "modulelist_repr": repr(nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 3), nn.Linear(2, 2)])),
    "empty_modulelist_repr": repr(nn.ModuleList()),
}

write("layers", {"layers": layers, "train_eval": train_eval, "init": inits, "containers": containers})
