# Goldens for in-place ops on views of tensors that require grad: PyTorch rebases the root base's history as CopySlices
# over the in-place op's node, and every view whose storage changed reads its gradient through AsStridedBackward0.
# Each case records the forward value, the grad_fn names of the base and its views, and the leaves' gradients of a fixed
# weighted sum; one case also records a Hessian-vector product through an in-place write on a view (create_graph=True).
# Run: /usr/bin/python3 tests/goldens/gen_inplace_views.py   (Debian python3-torch 1.13), float64 throughout.
from golden_util import tensor, write  # sets ATEN_CPU_CAPABILITY=default before torch loads

import torch

torch.set_default_dtype(torch.float64)


def rn(*shape):
    return torch.randn(*shape)


def select_mul(x):
    y = x * 1
    v, w = y[0], y[1]
    v.mul_(2)
    return y, {"base": y, "view": v, "other_view": w}


def column_add_tensor(x, z):
    y = x * 1
    v = y[:, 1]
    v.add_(z)
    return y, {"base": y, "view": v}


def t_add_scalar(x):
    y = x * 1
    t = y.t()
    t.add_(1)
    return y, {"base": y, "view": t}


def diagonal_zero(x):
    y = x * 1
    d = y.diagonal()
    d.zero_()
    return y, {"base": y, "view": d}


def narrow_mul_tensor(x, m):
    y = x * 1
    n = y.narrow(1, 1, 2)
    n.mul_(m)
    return y, {"base": y, "view": n}


def setitem_copy(x, value):
    y = x * 1
    y[0] = value
    return y, {"base": y}


def nested_view_div(x):
    y = x * 1
    tail = y[1:]
    s = tail[0]
    s.div_(3)
    return y, {"base": y, "outer_view": tail, "view": s}


def inplace_on_base_then_old_view(x):
    y = x * 1
    t = y.t()
    y.mul_(3)
    return t * t, {"base": y, "old_view": t}


def zeros_base_add(a):
    z = torch.zeros(3, 2)
    rest = z[1:]
    head = z.narrow(0, 0, 1)
    head.add_(a)
    return z * rest.sum(), {"base": z, "view": head, "other_view": rest}


def view_of_view_mul(x, b):
    y = x * 1
    flat = y.view(12)
    s = flat[2:8]
    s.mul_(b)
    return y, {"base": y, "outer_view": flat, "view": s}


def clamp_pow_relu_on_selects(x):
    y = x * 1
    y[1].clamp_(-0.5, 0.5)
    y[2].pow_(2)
    y[:, 0].relu_()
    return y, {"base": y}


def masked_fill_on_view(x):
    y = x * 1
    r = y[0]
    r.masked_fill_(r > 0, 0.0)
    return y, {"base": y, "view": r}


def unsqueeze_select_sub(x, z):
    y = x * 1
    u = y.unsqueeze(0)[0, 1]
    u.sub_(z, alpha=2)
    return y, {"base": y, "view": u}


def transpose_lerp(x, e):
    y = x * 1
    v = y.transpose(0, 2)[1]
    v.lerp_(e, 0.7)
    return y, {"base": y, "view": v}


def view_used_after_its_write(x):
    y = x * 1
    v = y[0]
    v.mul_(2)
    return v * y[1], {"base": y, "view": v}


# name -> (function, leaf shapes); every leaf requires grad.
CASES = {
    "select_mul": (select_mul, [[3, 4]]),
    "column_add_tensor": (column_add_tensor, [[3, 4], [3]]),
    "t_add_scalar": (t_add_scalar, [[3, 4]]),
    "diagonal_zero": (diagonal_zero, [[3, 4]]),
    "narrow_mul_tensor": (narrow_mul_tensor, [[3, 4], [3, 2]]),
    "setitem_copy": (setitem_copy, [[3, 4], [4]]),
    "nested_view_div": (nested_view_div, [[3, 4]]),
    "inplace_on_base_then_old_view": (inplace_on_base_then_old_view, [[3, 4]]),
    "zeros_base_add": (zeros_base_add, [[1, 2]]),
    "view_of_view_mul": (view_of_view_mul, [[3, 4], [6]]),
    "clamp_pow_relu_on_selects": (clamp_pow_relu_on_selects, [[3, 4]]),
    "masked_fill_on_view": (masked_fill_on_view, [[3, 4]]),
    "unsqueeze_select_sub": (unsqueeze_select_sub, [[3, 4], [4]]),
    "transpose_lerp": (transpose_lerp, [[2, 3, 4], [3, 2]]),
    "view_used_after_its_write": (view_used_after_its_write, [[3, 4]]),
}


def case(k, name, fn, shapes):
    torch.manual_seed(300 + k)
    leaves = [rn(*s).requires_grad_() for s in shapes]
    out, named = fn(*leaves)
    # The class name, as PyTorch prints grad_fn (<CopySlices object>); name() would say torch::autograd::CopySlices.
    grad_fns = {n: (type(t.grad_fn).__name__ if t.grad_fn is not None else None) for n, t in named.items()}
    requires = {n: t.requires_grad for n, t in named.items()}
    weight = rn(*out.shape)
    (out * weight).sum().backward()
    return {"name": name, "leaves": [tensor(t) for t in leaves], "output": tensor(out), "weight": tensor(weight),
            "grad_fns": grad_fns, "requires_grad": requires, "grads": [tensor(t.grad) for t in leaves]}


def hessian_vector_product():
    # f(x) = sum(sin(y)) with y = x * 1, then y[0] *= x[1] and y[:, 2] **= 2 through views: d/dx and (d2f/dx2) v.
    torch.manual_seed(400)
    x = rn(3, 4).requires_grad_()
    v = rn(3, 4)
    y = x * 1
    y[0].mul_(x[1])
    y[:, 2].pow_(2)
    f = y.sin().sum()
    (g,) = torch.autograd.grad(f, x, create_graph=True)
    (hv,) = torch.autograd.grad((g * v).sum(), x)
    return {"x": tensor(x), "vector": tensor(v), "value": tensor(f), "grad": tensor(g), "hvp": tensor(hv)}


write("inplace_views", {
    "cases": [case(k, name, fn, shapes) for k, (name, (fn, shapes)) in enumerate(CASES.items())],
    "hvp": hessian_vector_product(),
})
