# Goldens for tensor ops, activations and losses: forward values, gradients and grad_fn names from PyTorch.
# Each case runs fn(*inputs); every floating output o gets a fixed random weight w, and backward runs on
# sum((o * w).sum()) so gradients are not trivially ones. tests/Nabla.Tests/Functional/FunctionalParityTests.cs
# evaluates the same cases by name with C# lambdas.
from golden_util import *  # noqa: F403 (sets the portable CPU kernels before importing torch)
import warnings

import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
gen = torch.Generator().manual_seed(20240601)


def randn(*s):
    return torch.randn(s, generator=gen)


def rand(*s):
    return torch.rand(s, generator=gen)


def randint(lo, hi, *s):
    return torch.randint(lo, hi, s, generator=gen)


def perm_rows(rows, cols, take):
    """An int64 [take, cols] index whose columns are distinct row numbers (scatter without duplicates)."""
    return torch.stack([torch.randperm(rows, generator=gen)[:take] for _ in range(cols)], 1)


CASES = []


def case(name, fn, *inputs, grad=None, exact=False):
    """grad: which inputs require grad (default: the floating ones); exact: outputs must match bit for bit."""
    if grad is None:
        grad = [t.dtype.is_floating_point for t in inputs]
    leaves = []
    for t, g in zip(inputs, grad):
        t = t.clone().detach()
        if g:
            t.requires_grad_(True)
        leaves.append(t)
    out = fn(*leaves)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    weights, total = [], None
    for o in outs:
        if o.requires_grad:
            w = randn(*o.shape)
            weights.append(w)
            s = (o * w).sum()
            total = s if total is None else total + s
        else:
            weights.append(None)
    if total is not None:
        total.backward()
    CASES.append({
        "name": name,
        "exact": exact,
        "inputs": [dict(tensor(t), requires_grad=g) for t, g in zip(inputs, grad)],
        "outputs": [tensor(o) for o in outs],
        "weights": [tensor(w) for w in weights],
        "grads": [tensor(l.grad) if g else None for l, g in zip(leaves, grad)],
        "grad_fns": [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs],
    })


# ---- tensor ops ----
case("split_int", lambda x: torch.split(x, 2), randn(5, 3))
case("split_sizes_dim1", lambda x: x.split([1, 2, 3], 1), randn(4, 6))
case("split_noncontiguous", lambda x: x.t().split(2, 1), randn(4, 6))
case("split_first_piece_only", lambda x: x.split(2)[0], randn(5, 3))
case("chunk", lambda x: x.chunk(3), randn(7, 2))
case("chunk_dim1", lambda x: torch.chunk(x, 2, 1), randn(2, 5))

case("scatter", lambda x, i, s: x.scatter(0, i, s), randn(3, 5), perm_rows(3, 5, 2), randn(2, 5))
# PyTorch cannot backpropagate into a src larger than the index ("invalid gradient"), so src needs no grad here.
case("scatter_dim1_small_index", lambda x, i, s: x.scatter(1, i, s), randn(3, 4), perm_rows(4, 3, 2).t().contiguous(), randn(3, 3), grad=[True, False, False])
case("scatter_value", lambda x, i: x.scatter(1, i, 2.5), randn(3, 4), perm_rows(4, 3, 2).t().contiguous())
case("scatter_add", lambda x, i, s: x.scatter_add(0, i, s), randn(3, 4), randint(0, 3, 5, 4), randn(5, 4))
case("scatter_add_dim1", lambda x, i, s: torch.scatter_add(x, 1, i, s), randn(2, 3), randint(0, 3, 2, 6), randn(2, 6))
case("scatter_inplace", lambda x, i, s: x.clone().scatter_(0, i, s), randn(3, 5), perm_rows(3, 5, 2), randn(2, 5))
case("scatter_add_inplace", lambda x, i, s: x.clone().scatter_add_(0, i, s), randn(3, 4), randint(0, 3, 5, 4), randn(5, 4))
case("gather", lambda x, i: x.gather(1, i), randn(3, 4), randint(0, 4, 3, 5))
case("index_select", lambda x, i: x.index_select(0, i), randn(5, 3), torch.tensor([4, 0, 4, 2]))
case("index_select_dim1", lambda x, i: torch.index_select(x, 1, i), randn(2, 4), torch.tensor([3, 3, 1]))
case("masked_fill", lambda x, m: x.masked_fill(m, -1.5), randn(3, 4), rand(3, 4) > 0.5)
case("masked_fill_broadcast_mask", lambda x, m: x.masked_fill(m, 0.25), randn(3, 4), rand(4) > 0.5)
case("masked_fill_tensor_value", lambda x, m, v: x.masked_fill(m, v), randn(3, 4), rand(3, 4) > 0.5, randn())
case("masked_fill_inplace", lambda x, m: x.clone().masked_fill_(m, 0.5), randn(3, 4), rand(3, 4) > 0.5)
case("where_broadcast", lambda c, x, y: torch.where(c, x, y), rand(3, 4) > 0.5, randn(3, 4), randn(4))
case("where_scalar", lambda c, x: torch.where(c, x, 0.0), rand(3, 4) > 0.5, randn(3, 4))
case("topk", lambda x: x.topk(3), randn(4, 6))
case("topk_smallest_dim0", lambda x: torch.topk(x, 2, dim=0, largest=False), randn(4, 6))
case("topk_noncontiguous", lambda x: x.t().topk(2, 1), randn(4, 6))


def topk_unsorted(x):
    v, i = torch.topk(x, 3, sorted=False)
    vs, order = v.sort(-1, descending=True)
    return vs, i.gather(-1, order)


case("topk_unsorted", topk_unsorted, randn(3, 7))
case("sort", lambda x: x.sort(), randn(3, 5))
case("sort_descending_dim0", lambda x: torch.sort(x, 0, descending=True), randn(4, 3))
case("sort_stable_ties", lambda x: x.sort(stable=True), randint(0, 3, 3, 6).float())
case("sort_stable_ties_descending", lambda x: x.sort(dim=1, descending=True, stable=True), randint(0, 3, 3, 6).float())
case("argmax_all", lambda x: x.argmax(), randn(3, 4), grad=[False])
case("argmax_dim", lambda x: torch.argmax(x, 1), randn(3, 4), grad=[False])
case("argmin_dim_keepdim", lambda x: x.argmin(0, keepdim=True), randn(3, 4), grad=[False])
case("argmin_all", lambda x: torch.argmin(x), randn(3, 4), grad=[False])
case("var_all", lambda x: x.var(), randn(3, 4))
case("var_dim", lambda x: x.var(1), randn(3, 4))
case("var_biased_keepdim", lambda x: x.var(0, unbiased=False, keepdim=True), randn(3, 4))
case("var_correction2_dims", lambda x: torch.var(x, (0, 2), correction=2), randn(2, 3, 4))
case("var_noncontiguous", lambda x: x.t().var(1), randn(3, 4))
case("std_all", lambda x: x.std(), randn(3, 4))
case("std_dim_biased", lambda x: x.std(1, unbiased=False), randn(3, 4))
case("std_correction0_keepdim", lambda x: torch.std(x, (1,), correction=0, keepdim=True), randn(2, 3, 4))
case("logsumexp", lambda x: x.logsumexp(1), randn(3, 4))
case("logsumexp_keepdim_dim0", lambda x: torch.logsumexp(x, 0, keepdim=True), randn(3, 4))
case("logsumexp_dims_large", lambda x: (x * 60).logsumexp((0, 2)), randn(2, 3, 4))
case("logsumexp_infinite_rows", lambda x: x.logsumexp(1), torch.tensor([[-math.inf, -math.inf, -math.inf], [math.inf, 1.0, 2.0], [1.0, 2.0, 3.0]]), grad=[False])
case("cumsum", lambda x: x.cumsum(1), randn(3, 5))
case("cumsum_dim0_noncontiguous", lambda x: torch.cumsum(x.t(), 0), randn(3, 5))
case("cumsum_int", lambda x: x.cumsum(0), randint(-5, 5, 6), grad=[False], exact=True)
case("repeat", lambda x: x.repeat(2, 1, 2), randn(2, 3))
case("repeat_noncontiguous", lambda x: x.t().repeat(1, 3), randn(2, 3))
case("tile", lambda x: x.tile((2,)), randn(2, 3))
case("tile_more", lambda x: torch.tile(x, (2, 1, 2)), randn(2, 3))
case("einsum_matmul", lambda a, b: torch.einsum("ij,jk->ik", a, b), randn(3, 4), randn(4, 2))
case("einsum_bmm", lambda a, b: torch.einsum("bij,bjk->bik", a, b), randn(2, 3, 4), randn(2, 4, 2))
case("einsum_dot", lambda a, b: torch.einsum("i,i->", a, b), randn(5), randn(5))
case("einsum_transpose", lambda a: torch.einsum("ij->ji", a), randn(3, 4))
case("einsum_batch_dot", lambda a, b: torch.einsum("bi,bi->b", a, b), randn(3, 4), randn(3, 4))
case("einsum_implicit", lambda a, b: torch.einsum("ij,kj", a, b), randn(3, 4), randn(2, 4))
case("einsum_outer", lambda a, b: torch.einsum("i,j->ij", a, b), randn(3), randn(4))
case("einsum_sum", lambda a: torch.einsum("bij->bj", a), randn(2, 3, 4))
case("einsum_noncontiguous", lambda a, b: torch.einsum("ij,jk->ik", a.t(), b), randn(4, 3), randn(4, 2))
case("xlogy", lambda x, y: torch.xlogy(x, y), torch.tensor([[0.0, 0.5, 2.0], [1.5, 0.0, 0.25]]), rand(2, 3) + 0.1)
case("xlogy_broadcast", lambda x, y: x.xlogy(y), randn(2, 3), rand(3) + 0.1)
case("log1p", lambda x: x.log1p(), rand(3, 4) * 3 - 0.9)
case("expm1", lambda x: torch.expm1(x), randn(3, 4))
case("rsqrt", lambda x: x.rsqrt(), rand(3, 4) + 0.2)
case("square", lambda x: torch.square(x), randn(3, 4))
halves = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 3.7, -3.2, 0.0, -0.0, 7.5])
case("floor", lambda x: x.floor(), halves)
case("ceil", lambda x: torch.ceil(x), halves)
case("round_half_even", lambda x: x.round(), halves)
case("floor_int", lambda x: x.floor(), randint(-5, 5, 4), grad=[False], exact=True)
case("erf", lambda x: x.erf(), randn(3, 4) * 2)
sweep = torch.cat([torch.linspace(-7, 7, 1401), torch.tensor([1e-30, -1e-20, 3e-9, 1e-5, 0.84375, 1.25, 2.857, 6.0, -6.0, 27.9, 0.0])])
case("erf_sweep", lambda x: torch.erf(x), sweep, grad=[False], exact=True)
case("log1p_sweep", lambda x: torch.log1p(x), torch.cat([torch.linspace(-0.999, 20, 1201), torch.tensor([1e-30, -1e-10, 3e-8, 1e-5, -0.29, 0.414, 1e10, 0.0])]), grad=[False], exact=True)
case("expm1_sweep", lambda x: torch.expm1(x), torch.cat([torch.linspace(-20, 20, 1201), torch.tensor([1e-30, -1e-10, 3e-8, 1e-5, 0.3465, 1.0397, 88.0, -88.0, 0.0])]), grad=[False], exact=True)
case("erf_float64_sweep", lambda x: torch.erf(x), sweep.double(), grad=[False], exact=True)
case("log1p_float64", lambda x: torch.log1p(x), torch.linspace(-0.999, 20, 601, dtype=torch.float64), grad=[False])
case("expm1_float64", lambda x: torch.expm1(x), torch.linspace(-20, 20, 601, dtype=torch.float64), grad=[False])

# ---- activations ----
case("relu", lambda x: F.relu(x), randn(3, 4))
case("relu_inplace", lambda x: F.relu(x.clone(), inplace=True), randn(3, 4))
case("leaky_relu", lambda x: F.leaky_relu(x), randn(3, 4))
case("leaky_relu_slope", lambda x: F.leaky_relu(x, 0.2), randn(3, 4))
case("leaky_relu_inplace", lambda x: F.leaky_relu(x.clone(), 0.1, inplace=True), randn(3, 4))
case("elu", lambda x: F.elu(x), randn(3, 4))
case("elu_alpha", lambda x: F.elu(x, alpha=0.5), randn(3, 4) * 3)
case("elu_inplace", lambda x: F.elu(x.clone(), 1.3, inplace=True), randn(3, 4))
case("gelu", lambda x: F.gelu(x), randn(3, 4) * 2)
case("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), randn(3, 4) * 2)
# PyTorch sends contiguous float32 exact GELU to oneDNN, whose erf approximation depends on the CPU's ISA and
# differs by a few ulp where 1 + erf(x) cancels (x < -4); the sweep pins ATen's own kernel (glibc erff), which
# Nabla reproduces bit for bit, by disabling oneDNN. The "gelu" case above keeps PyTorch's default path.
with torch.backends.mkldnn.flags(enabled=False):
    case("gelu_sweep", lambda x: F.gelu(x), torch.linspace(-8, 8, 801), grad=[False], exact=True)
case("gelu_tanh_sweep", lambda x: F.gelu(x, approximate="tanh"), torch.linspace(-8, 8, 801), grad=[False], exact=True)
case("silu", lambda x: F.silu(x), randn(3, 4))
case("silu_inplace", lambda x: F.silu(x.clone(), inplace=True), randn(3, 4))
case("sigmoid", lambda x: torch.sigmoid(x), randn(3, 4))
case("tanh", lambda x: torch.tanh(x), randn(3, 4))
case("softmax_dim1", lambda x: F.softmax(x, 1), randn(3, 5))
case("softmax_dim0", lambda x: F.softmax(x, 0), randn(3, 5))
case("softmax_3d_dim1", lambda x: F.softmax(x, dim=1), randn(2, 3, 4))
case("softmax_long_row", lambda x: F.softmax(x, -1), randn(2, 21) * 4)
case("softmax_noncontiguous", lambda x: F.softmax(x.t(), 1), randn(3, 5))
case("softmax_float64", lambda x: F.softmax(x, 1, dtype=torch.float64), randn(3, 5))
case("softmax_large", lambda x: F.softmax(x * 100, 1), randn(3, 5))
case("log_softmax_dim1", lambda x: F.log_softmax(x, 1), randn(3, 5))
case("log_softmax_dim0", lambda x: F.log_softmax(x, 0), randn(3, 5))
case("log_softmax_3d_dim2", lambda x: F.log_softmax(x, dim=-1), randn(2, 3, 4))
case("log_softmax_long_row", lambda x: F.log_softmax(x, 1), randn(2, 19) * 4)
case("log_softmax_noncontiguous", lambda x: F.log_softmax(x.t(), 0), randn(3, 5))
case("module_ReLU", lambda x: nn.ReLU()(x), randn(3, 4))
case("module_LeakyReLU", lambda x: nn.LeakyReLU(0.3)(x), randn(3, 4))
case("module_ELU", lambda x: nn.ELU(0.7)(x), randn(3, 4))
case("module_GELU_tanh", lambda x: nn.GELU("tanh")(x), randn(3, 4))
case("module_SiLU", lambda x: nn.SiLU()(x), randn(3, 4))
case("module_Sigmoid", lambda x: nn.Sigmoid()(x), randn(3, 4))
case("module_Tanh", lambda x: nn.Tanh()(x), randn(3, 4))
case("module_Softmax", lambda x: nn.Softmax(dim=0)(x), randn(3, 4))
case("module_Softmax_legacy_dim", lambda x: nn.Softmax()(x), randn(3, 4))
case("module_LogSoftmax", lambda x: nn.LogSoftmax(dim=1)(x), randn(3, 4))
case("one_hot", lambda i: F.one_hot(i), torch.tensor([0, 3, 1, 3]), exact=True)
case("one_hot_classes_2d", lambda i: F.one_hot(i, 5), randint(0, 5, 2, 3), exact=True)
case("pad_constant_1d", lambda x: F.pad(x, (1, 2), value=0.5), randn(2, 3))
case("pad_constant_2d", lambda x: F.pad(x, (1, 1, 2, 0)), randn(2, 3))
case("pad_constant_negative", lambda x: F.pad(x, (-1, 2, 0, -1), value=-2.0), randn(3, 4))
case("pad_constant_noncontiguous", lambda x: F.pad(x.t(), (0, 1, 1, 0)), randn(2, 3))
case("pad_reflect_1d", lambda x: F.pad(x, (2, 1), mode="reflect"), randn(2, 3, 5))
case("pad_reflect_2d", lambda x: F.pad(x, (1, 2, 2, 1), mode="reflect"), randn(1, 2, 3, 4))
case("pad_replicate_1d", lambda x: F.pad(x, (2, 3), mode="replicate"), randn(2, 4))
case("pad_replicate_2d", lambda x: F.pad(x, (1, 0, 2, 2), mode="replicate"), randn(1, 2, 3, 3))
case("pad_replicate_3d", lambda x: F.pad(x, (1, 1, 0, 1, 1, 0), mode="replicate"), randn(1, 2, 2, 2, 2))

# ---- losses ----
N, C = 4, 3
logits = lambda: randn(N, C)  # noqa: E731
labels = lambda: randint(0, C, N)  # noqa: E731
with_ignored = torch.tensor([0, -100, 2, 1])
probs = lambda: F.softmax(randn(N, C), 1)  # noqa: E731
for r in ["mean", "sum", "none"]:
    case(f"cross_entropy_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), logits(), labels())
    case(f"cross_entropy_weight_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, reduction=r), logits(), labels(), rand(C) + 0.5, grad=[True, False, False])
    case(f"cross_entropy_ignore_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), logits(), with_ignored)
    case(f"cross_entropy_smoothing_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1), logits(), labels())
    case(f"cross_entropy_smoothing_weight_ignore_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, ignore_index=1, reduction=r, label_smoothing=0.2),
         logits(), torch.tensor([1, 0, 2, 1]), rand(C) + 0.5, grad=[True, False, False])
    case(f"cross_entropy_probabilities_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), logits(), probs())
    case(f"cross_entropy_probabilities_weight_smoothing_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=0.15),
         logits(), probs(), rand(C) + 0.5, grad=[True, False, False])
    case(f"cross_entropy_3d_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), randn(2, C, 4), randint(0, C, 2, 4))
    case(f"cross_entropy_4d_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), randn(2, C, 2, 3), randint(0, C, 2, 2, 3))
    case(f"nll_loss_{r}", lambda x, t, r=r: F.nll_loss(x, t, reduction=r), logits(), labels())
    case(f"nll_loss_weight_ignore_{r}", lambda x, t, w, r=r: F.nll_loss(x, t, weight=w, ignore_index=2, reduction=r), logits(), torch.tensor([2, 0, 1, 1]), rand(C) + 0.5,
         grad=[True, False, False])
    case(f"mse_loss_{r}", lambda x, y, r=r: F.mse_loss(x, y, reduction=r), randn(3, 4), randn(3, 4))
    case(f"l1_loss_{r}", lambda x, y, r=r: F.l1_loss(x, y, reduction=r), randn(3, 4), randn(3, 4))
    case(f"smooth_l1_loss_{r}", lambda x, y, r=r: F.smooth_l1_loss(x, y, reduction=r), randn(3, 4), randn(3, 4))
    case(f"huber_loss_{r}", lambda x, y, r=r: F.huber_loss(x, y, reduction=r), randn(3, 4), randn(3, 4))
    case(f"binary_cross_entropy_{r}", lambda x, y, r=r: F.binary_cross_entropy(x, y, reduction=r), rand(3, 4) * 0.9 + 0.05, rand(3, 4))
    case(f"binary_cross_entropy_with_logits_{r}", lambda x, y, r=r: F.binary_cross_entropy_with_logits(x, y, reduction=r), randn(3, 4), rand(3, 4))
    case(f"kl_div_{r}", lambda x, y, r=r: F.kl_div(x, y, reduction=r), F.log_softmax(randn(3, 4), 1), F.softmax(randn(3, 4), 1))
case("cross_entropy_5d_none", lambda x, t: F.cross_entropy(x, t, reduction="none"), randn(2, C, 2, 1, 2), randint(0, C, 2, 2, 1, 2))
case("cross_entropy_3d_weight_ignore", lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=0), randn(2, C, 3), randint(0, C, 2, 3), rand(C) + 0.5,
     grad=[True, False, False])
case("cross_entropy_1d", lambda x, t: F.cross_entropy(x, t), randn(5), torch.tensor(3))
case("cross_entropy_noncontiguous", lambda x, t: F.cross_entropy(x.t(), t), randn(C, N), labels())
case("cross_entropy_probabilities_3d", lambda x, t: F.cross_entropy(x, t), randn(2, C, 3), F.softmax(randn(2, C, 3), 1))
case("cross_entropy_all_ignored", lambda x, t: F.cross_entropy(x, t), logits(), torch.full((N,), -100))
case("nll_loss_1d", lambda x, t: F.nll_loss(x, t), randn(5), torch.tensor(1))
case("nll_loss_3d_weight", lambda x, t, w: F.nll_loss(x, t, weight=w), randn(2, C, 4), randint(0, C, 2, 4), rand(C) + 0.5, grad=[True, False, False])
case("mse_loss_broadcast_target_grad", lambda x, y: F.mse_loss(x, y), randn(3, 4), randn(4))
case("mse_loss_noncontiguous", lambda x, y: F.mse_loss(x.t(), y), randn(4, 3), randn(3, 4))
case("l1_loss_broadcast", lambda x, y: F.l1_loss(x, y, reduction="sum"), randn(3, 4), randn(3, 1))
case("smooth_l1_loss_beta", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), randn(3, 4), randn(3, 4))
case("smooth_l1_loss_beta0", lambda x, y: F.smooth_l1_loss(x, y, beta=0.0), randn(3, 4), randn(3, 4))
case("huber_loss_delta", lambda x, y: F.huber_loss(x, y, delta=0.3, reduction="sum"), randn(3, 4), randn(3, 4))
case("binary_cross_entropy_weight", lambda x, y, w: F.binary_cross_entropy(x, y, weight=w), rand(3, 4) * 0.9 + 0.05, rand(3, 4), rand(4), grad=[True, True, False])
case("binary_cross_entropy_weight_none", lambda x, y, w: F.binary_cross_entropy(x, y, weight=w, reduction="none"), rand(3, 4) * 0.9 + 0.05, rand(3, 4), rand(3, 4),
     grad=[True, True, False])
case("binary_cross_entropy_with_logits_weight", lambda x, y, w: F.binary_cross_entropy_with_logits(x, y, weight=w), randn(3, 4), rand(3, 4), rand(4),
     grad=[True, True, False])
case("binary_cross_entropy_with_logits_pos_weight", lambda x, y, p: F.binary_cross_entropy_with_logits(x, y, pos_weight=p), randn(3, 4) * 3, rand(3, 4), rand(4) * 2,
     grad=[True, True, False])
case("binary_cross_entropy_with_logits_both_weights_sum", lambda x, y, w, p: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=p, reduction="sum"),
     randn(3, 4), rand(3, 4), rand(3, 4), rand(4) * 2, grad=[True, True, False, False])
case("kl_div_batchmean", lambda x, y: F.kl_div(x, y, reduction="batchmean"), F.log_softmax(randn(3, 4), 1), F.softmax(randn(3, 4), 1))
case("kl_div_log_target", lambda x, y: F.kl_div(x, y, reduction="batchmean", log_target=True), F.log_softmax(randn(3, 4), 1), F.log_softmax(randn(3, 4), 1))
case("kl_div_log_target_none", lambda x, y: F.kl_div(x, y, reduction="none", log_target=True), F.log_softmax(randn(3, 4), 1), F.log_softmax(randn(3, 4), 1))
case("kl_div_zero_target", lambda x, y: F.kl_div(x, y, reduction="sum"), F.log_softmax(randn(2, 3), 1), torch.tensor([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]),
     grad=[True, False])
case("module_CrossEntropyLoss", lambda x, t, w: nn.CrossEntropyLoss(weight=w, label_smoothing=0.1)(x, t), logits(), labels(), rand(C) + 0.5, grad=[True, False, False])
case("module_NLLLoss", lambda x, t: nn.NLLLoss(reduction="sum")(x, t), logits(), labels())
case("module_MSELoss", lambda x, y: nn.MSELoss()(x, y), randn(3, 4), randn(3, 4))
case("module_L1Loss", lambda x, y: nn.L1Loss(reduction="none")(x, y), randn(3, 4), randn(3, 4))
case("module_SmoothL1Loss", lambda x, y: nn.SmoothL1Loss(beta=2.0)(x, y), randn(3, 4), randn(3, 4))
case("module_HuberLoss", lambda x, y: nn.HuberLoss(delta=0.5)(x, y), randn(3, 4), randn(3, 4))
case("module_BCELoss", lambda x, y, w: nn.BCELoss(weight=w)(x, y), rand(3, 4) * 0.9 + 0.05, rand(3, 4), rand(4), grad=[True, False, False])
case("module_BCEWithLogitsLoss", lambda x, y, p: nn.BCEWithLogitsLoss(pos_weight=p)(x, y), randn(3, 4), rand(3, 4), rand(4) * 2, grad=[True, False, False])
case("module_KLDivLoss", lambda x, y: nn.KLDivLoss(reduction="batchmean")(x, y), F.log_softmax(randn(3, 4), 1), F.softmax(randn(3, 4), 1))

# ---- module reprs ----
REPRS = {
    "ReLU": nn.ReLU(), "ReLU_inplace": nn.ReLU(inplace=True), "LeakyReLU": nn.LeakyReLU(), "LeakyReLU_0.2_inplace": nn.LeakyReLU(0.2, True),
    "ELU": nn.ELU(), "ELU_0.5": nn.ELU(0.5), "GELU": nn.GELU(), "GELU_tanh": nn.GELU("tanh"), "SiLU": nn.SiLU(), "SiLU_inplace": nn.SiLU(inplace=True),
    "Sigmoid": nn.Sigmoid(), "Tanh": nn.Tanh(), "Softmax_1": nn.Softmax(dim=1), "Softmax": nn.Softmax(), "LogSoftmax_-1": nn.LogSoftmax(dim=-1),
    "CrossEntropyLoss": nn.CrossEntropyLoss(), "CrossEntropyLoss_weight": nn.CrossEntropyLoss(weight=torch.ones(3), label_smoothing=0.1),
    "NLLLoss": nn.NLLLoss(), "MSELoss": nn.MSELoss(), "L1Loss": nn.L1Loss(), "SmoothL1Loss": nn.SmoothL1Loss(beta=0.5), "HuberLoss": nn.HuberLoss(),
    "BCELoss": nn.BCELoss(), "BCEWithLogitsLoss_pos_weight": nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)), "KLDivLoss": nn.KLDivLoss(reduction="batchmean"),
}
reprs = {name: {"repr": repr(m), "state_keys": list(m.state_dict().keys())} for name, m in REPRS.items()}

# ---- bad calls: the first line of PyTorch's message ----
x43, t4 = randn(4, 3), torch.tensor([0, 1, 2, 1])
BAD = {
    "cross_entropy_int32_target": lambda: F.cross_entropy(x43, t4.int()),
    "cross_entropy_float_index_target": lambda: F.cross_entropy(x43, t4.float()),
    "cross_entropy_long_probabilities": lambda: F.cross_entropy(x43, torch.zeros(4, 3).long()),
    "cross_entropy_class_out_of_range": lambda: F.cross_entropy(x43, torch.tensor([0, 1, 3, 1])),
    "cross_entropy_negative_class": lambda: F.cross_entropy(x43, torch.tensor([0, 1, -2, 1])),
    "cross_entropy_batch_mismatch": lambda: F.cross_entropy(x43, torch.tensor([0, 1, 2])),
    "cross_entropy_probabilities_ignore_index": lambda: F.cross_entropy(x43, torch.rand(4, 3), ignore_index=1),
    "cross_entropy_weight_shape": lambda: F.cross_entropy(x43, t4, weight=torch.ones(4)),
    "cross_entropy_smoothing_range": lambda: F.cross_entropy(x43, t4, label_smoothing=1.5),
    "nll_loss_float_target": lambda: F.nll_loss(x43, t4.float()),
    "nll_loss_class_out_of_range": lambda: F.nll_loss(x43, torch.tensor([0, 1, 5, 1])),
    "nll_loss_batch_mismatch": lambda: F.nll_loss(x43, torch.tensor([0, 1])),
    "nll_loss_3d_target_shape": lambda: F.nll_loss(torch.randn(2, 3, 4), torch.zeros(2, 5).long()),
    "mse_loss_shape": lambda: F.mse_loss(x43, torch.rand(4, 4)),
    "l1_loss_shape": lambda: F.l1_loss(x43, torch.rand(4, 4)),
    "smooth_l1_loss_shape": lambda: F.smooth_l1_loss(x43, torch.rand(4, 4)),
    "huber_loss_shape": lambda: F.huber_loss(x43, torch.rand(4, 4)),
    "kl_div_shape": lambda: F.kl_div(x43, torch.rand(4, 4)),
    "binary_cross_entropy_shape": lambda: F.binary_cross_entropy(x43.sigmoid(), torch.rand(4, 4)),
    "binary_cross_entropy_range": lambda: F.binary_cross_entropy(x43 + 2, torch.rand(4, 3)),
    "binary_cross_entropy_with_logits_shape": lambda: F.binary_cross_entropy_with_logits(x43, torch.rand(4, 4)),
    "smooth_l1_loss_negative_beta": lambda: F.smooth_l1_loss(x43, x43, beta=-1),
    "huber_loss_zero_delta": lambda: F.huber_loss(x43, x43, delta=0),
    "mse_loss_bad_reduction": lambda: F.mse_loss(x43, x43, reduction="avg"),
    "one_hot_float": lambda: F.one_hot(t4.float()),
    "one_hot_too_few_classes": lambda: F.one_hot(t4, 2),
    "one_hot_negative": lambda: F.one_hot(torch.tensor([-1])),
    "pad_odd_length": lambda: F.pad(x43, (1,)),
    "pad_reflect_too_wide": lambda: F.pad(x43.unsqueeze(0), (3, 3), mode="reflect"),
    "split_sizes_sum": lambda: x43.split([1, 1], 0),
    "chunk_zero": lambda: x43.chunk(0),
    "topk_too_many": lambda: x43.topk(4),
    "scatter_int32_index": lambda: x43.scatter(0, torch.zeros(2, 3).int(), x43),
    "scatter_dtype_mismatch": lambda: x43.scatter(0, torch.zeros(2, 3).long(), x43.double()),
    "scatter_index_too_big": lambda: x43.scatter(0, torch.zeros(5, 3).long(), x43),
    "masked_fill_value_not_0d": lambda: x43.masked_fill(x43 > 0, torch.ones(2)),
    "einsum_size_mismatch": lambda: torch.einsum("ij,jk->ik", x43, x43),
    "repeat_too_few": lambda: x43.repeat(2),
    "softmax_dim_out_of_range": lambda: F.softmax(x43, 2),
    "softmax_integer": lambda: F.softmax(t4, 0),
    "gelu_approximate": lambda: F.gelu(x43, approximate="foo"),
}
errors = {}
for name, fn in BAD.items():
    try:
        fn()
        raise AssertionError(f"{name} did not raise")
    except AssertionError:
        raise
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}

# Appended after the error cases so that the values drawn above stay as they were.
case("unbind_dim1", lambda x: x.unbind(1), randn(3, 4))
case("unbind_first_piece_only", lambda x: torch.unbind(x)[1], randn(2, 3))

write("functional", {"cases": CASES, "reprs": reprs, "errors": errors})
