# Attention and Transformer layers from PyTorch: F.scaled_dot_product_attention, nn.MultiheadAttention, nn.TransformerEncoderLayer,
# nn.TransformerDecoderLayer, nn.TransformerEncoder, nn.TransformerDecoder, nn.Transformer. Writes attention.json.
# Run from the repo root: /usr/bin/python3 tests/goldens/gen_attention.py   (Debian python3-torch 1.13)
#
# Each module case: after torch.manual_seed(seed) the module is built (PyTorch's init), switched to train or eval, the inputs are drawn;
# with "forward_seed" the generator is reseeded just before forward (dropout cases). The case records the repr, the state dict (keys,
# shapes, values), the inputs, every output (attention output, weights), and the gradients of sum_i (out_i * w_i).sum() with respect to
# each floating input and every parameter. The C# test builds the same module from the case name and compares.
from golden_util import *  # noqa: F401,F403 (sets ATEN_CPU_CAPABILITY=default first)
from collections import OrderedDict

import torch.nn as nn
import torch.nn.functional as F


def sdpa_2x(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    # F.scaled_dot_product_attention exists only from PyTorch 2.0. This is the reference formula of its 2.x documentation, written
    # with 1.13 ops: bool masks mean "takes part", float masks are added, dropout is at::dropout(attn, p, train=True) as in the math path.
    L, S = q.size(-2), k.size(-2)
    scale_factor = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=q.dtype)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias = attn_bias.masked_fill(temp_mask.logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias = attn_bias.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            attn_bias = attn_mask + attn_bias
    attn_weight = q @ k.transpose(-2, -1) * scale_factor
    attn_weight = attn_weight + attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    if dropout_p > 0:
        attn_weight = torch.dropout(attn_weight, dropout_p, True)
    return attn_weight @ v


def modulelist_repr_2x(self):
    # PyTorch 2.x's ModuleList.__repr__ (as in gen_layers.py): equal consecutive entries collapse into "(i-j): n x repr".
    reprs = [repr(item) for item in self]
    blocks = []
    for i, r in enumerate(reprs):
        if blocks and blocks[-1][2] == r:
            blocks[-1][1] = i
        else:
            blocks.append([i, i, r])
    lines = []
    for s, e, r in blocks:
        text = f"({s}): {r}" if s == e else f"({s}-{e}): {e - s + 1} x {r}"
        lines.append(nn.modules.module._addindent(text, 2))
    return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


nn.ModuleList.__repr__ = modulelist_repr_2x


def causal(n, dtype=torch.float32):
    return nn.Transformer.generate_square_subsequent_mask(n).to(dtype)


def bool_mask(shape, p=0.3, keep_col=0):
    # True = masked for MultiheadAttention; column keep_col stays False so no row is fully masked.
    m = torch.rand(shape) < p
    m[..., keep_col] = False
    return m


def record(fn, inputs, params, seed_weights=1234):
    outs = fn(inputs)
    outs = [o for o in outs if o is not None]
    g = torch.Generator().manual_seed(seed_weights)
    ws = [torch.randn(o.shape, generator=g, dtype=o.dtype) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, ws))
    loss.backward()
    grads = OrderedDict()
    for name, t in inputs.items():
        if t.requires_grad:
            grads[name] = tensor(t.grad)
    for name, p in params:
        grads[name] = tensor(p.grad) if p.grad is not None else None
    return {"outputs": [tensor(o) for o in outs], "loss_weights": [tensor(w) for w in ws], "grads": grads}


def draw_inputs(spec, dtype):
    inputs = OrderedDict()
    for name, v in spec.items():
        if isinstance(v, tuple):
            inputs[name] = torch.randn(v, dtype=dtype).requires_grad_()
        else:
            inputs[name] = v() if callable(v) else v
    return inputs


def module_case(build, spec, forward, seed=0, train=False, forward_seed=None, dtype=torch.float32):
    torch.manual_seed(seed)
    m = build()
    m.train(train)
    inputs = draw_inputs(spec, dtype)
    if forward_seed is not None:
        torch.manual_seed(forward_seed)
    case = {"seed": seed, "train": train, "forward_seed": forward_seed, "repr": repr(m),
            "state": [[k, tensor(v)] for k, v in m.state_dict().items()],
            "inputs": {k: tensor(v) for k, v in inputs.items()}}
    case.update(record(lambda xs: forward(m, xs), inputs, list(m.named_parameters())))
    return case


def sdpa_case(spec, kwargs, seed=0, forward_seed=None, dtype=torch.float32):
    torch.manual_seed(seed)
    inputs = draw_inputs(spec, dtype)
    if forward_seed is not None:
        torch.manual_seed(forward_seed)
    case = {"seed": seed, "forward_seed": forward_seed, "kwargs": {k: v for k, v in kwargs.items()},
            "inputs": {k: tensor(v) for k, v in inputs.items()}}
    case.update(record(lambda xs: [sdpa_2x(xs["q"], xs["k"], xs["v"], attn_mask=xs.get("mask"), **kwargs)], inputs, []))
    return case


SDPA = OrderedDict([
    ("basic_3d", sdpa_case({"q": (2, 3, 4), "k": (2, 5, 4), "v": (2, 5, 6)}, {})),
    ("heads_4d_bool_mask", sdpa_case({"q": (2, 2, 3, 4), "k": (2, 2, 5, 4), "v": (2, 2, 5, 4),
                                      "mask": lambda: ~bool_mask((3, 5))}, {})),
    ("float_mask_broadcast", sdpa_case({"q": (2, 2, 3, 4), "k": (2, 2, 5, 4), "v": (2, 2, 5, 3),
                                        "mask": lambda: torch.randn(2, 1, 3, 5)}, {})),
    ("causal_square", sdpa_case({"q": (2, 4, 8), "k": (2, 4, 8), "v": (2, 4, 8)}, {"is_causal": True})),
    ("causal_rectangular", sdpa_case({"q": (1, 2, 3, 4), "k": (1, 2, 5, 4), "v": (1, 2, 5, 4)}, {"is_causal": True})),
    ("scale", sdpa_case({"q": (3, 4), "k": (6, 4), "v": (6, 2)}, {"scale": 0.3})),
    ("float64_causal", sdpa_case({"q": (2, 5, 4), "k": (2, 5, 4), "v": (2, 5, 4)}, {"is_causal": True}, dtype=torch.float64)),
    ("dropout", sdpa_case({"q": (2, 2, 4, 4), "k": (2, 2, 4, 4), "v": (2, 2, 4, 4)}, {"dropout_p": 0.3}, forward_seed=7)),
])


def mha(m, xs, **kw):
    q = xs["query"]
    k = xs.get("key", q)
    v = xs.get("value", k)
    return list(m(q, k, v, key_padding_mask=xs.get("kpm"), attn_mask=xs.get("attn_mask"), **kw))


MHA = OrderedDict([
    ("self_seq_first", module_case(lambda: nn.MultiheadAttention(8, 2), {"query": (4, 3, 8)}, mha)),
    ("cross_batch_first_bool_masks_per_head", module_case(
        lambda: nn.MultiheadAttention(8, 4, batch_first=True), {"query": (2, 3, 8), "key": (2, 5, 8), "value": (2, 5, 8),
                                                                 "kpm": lambda: bool_mask((2, 5)), "attn_mask": lambda: bool_mask((3, 5), keep_col=1)},
        lambda m, xs: mha(m, xs, average_attn_weights=False), seed=1)),
    ("kdim_vdim_no_bias_float_mask", module_case(
        lambda: nn.MultiheadAttention(6, 3, bias=False, kdim=5, vdim=7, batch_first=True),
        {"query": (2, 3, 6), "key": (2, 4, 5), "value": (2, 4, 7), "attn_mask": lambda: torch.randn(3, 4)}, mha, seed=2)),
    ("bias_kv_zero_attn_3d_mask", module_case(
        lambda: nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True),
        {"query": (3, 2, 8), "key": (4, 2, 8), "value": (4, 2, 8), "kpm": lambda: bool_mask((2, 4)),
         "attn_mask": lambda: bool_mask((4, 3, 4))}, mha, seed=3)),
    ("float_mask_and_bool_padding", module_case(
        lambda: nn.MultiheadAttention(8, 2, batch_first=True),
        {"query": (2, 4, 8), "kpm": lambda: bool_mask((2, 4)), "attn_mask": lambda: causal(4)}, mha, seed=4)),
    ("unbatched_3d_mask", module_case(
        lambda: nn.MultiheadAttention(8, 2), {"query": (3, 8), "key": (5, 8), "value": (5, 8),
                                             "attn_mask": lambda: bool_mask((2, 3, 5))},
        lambda m, xs: mha(m, xs, average_attn_weights=False), seed=5)),
    ("unbatched_float_padding", module_case(
        lambda: nn.MultiheadAttention(4, 1), {"query": (3, 4), "kpm": lambda: torch.randn(3)}, mha, seed=6)),
    ("no_weights", module_case(lambda: nn.MultiheadAttention(8, 4, batch_first=True), {"query": (2, 3, 8)},
                               lambda m, xs: mha(m, xs, need_weights=False), seed=7)),
    ("float64", module_case(lambda: nn.MultiheadAttention(6, 2, dtype=torch.float64, add_bias_kv=True), {"query": (3, 2, 6)}, mha,
                            seed=8, dtype=torch.float64)),
    ("dropout_train", module_case(lambda: nn.MultiheadAttention(8, 2, dropout=0.25, batch_first=True), {"query": (2, 4, 8)}, mha,
                                  seed=9, train=True, forward_seed=11)),
])


def enc_layer(m, xs):
    return [m(xs["src"], src_mask=xs.get("mask"), src_key_padding_mask=xs.get("kpm"))]


def dec_layer(m, xs):
    return [m(xs["tgt"], xs["memory"], tgt_mask=xs.get("tgt_mask"), memory_mask=xs.get("memory_mask"),
              tgt_key_padding_mask=xs.get("tgt_kpm"), memory_key_padding_mask=xs.get("memory_kpm"))]


def enc_stack(m, xs):
    return [m(xs["src"], mask=xs.get("mask"), src_key_padding_mask=xs.get("kpm"))]


def transformer(m, xs):
    return [m(xs["src"], xs["tgt"], src_mask=xs.get("src_mask"), tgt_mask=xs.get("tgt_mask"),
              src_key_padding_mask=xs.get("src_kpm"), memory_key_padding_mask=xs.get("memory_kpm"))]


TRANSFORMER = OrderedDict([
    ("encoder_layer_post_norm_relu", module_case(
        lambda: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0), {"src": (5, 2, 8), "mask": lambda: causal(5)}, enc_layer)),
    ("encoder_layer_pre_norm_gelu_padding", module_case(
        lambda: nn.TransformerEncoderLayer(8, 4, dim_feedforward=12, dropout=0.0, activation="gelu", batch_first=True, norm_first=True,
                                           layer_norm_eps=1e-3),
        {"src": (2, 4, 8), "kpm": lambda: bool_mask((2, 4))}, enc_layer, seed=1)),
    ("encoder_layer_function_activation_bool_mask", module_case(
        lambda: nn.TransformerEncoderLayer(6, 2, dim_feedforward=10, dropout=0.0, activation=torch.tanh, batch_first=True),
        {"src": (2, 3, 6), "mask": lambda: bool_mask((3, 3))}, enc_layer, seed=2)),
    ("encoder_layer_unbatched", module_case(
        lambda: nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0), {"src": (3, 4)}, enc_layer, seed=3)),
    ("encoder_layer_float64", module_case(
        lambda: nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0, dtype=torch.float64, norm_first=True),
        {"src": (3, 2, 4), "mask": lambda: causal(3, torch.float64)}, enc_layer, seed=4, dtype=torch.float64)),
    ("encoder_layer_dropout_train", module_case(
        lambda: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.2, batch_first=True), {"src": (2, 4, 8)}, enc_layer,
        seed=5, train=True, forward_seed=21)),
    ("decoder_layer_post_norm", module_case(
        lambda: nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0),
        {"tgt": (4, 2, 8), "memory": (5, 2, 8), "tgt_mask": lambda: causal(4), "memory_kpm": lambda: bool_mask((2, 5))}, dec_layer, seed=6)),
    ("decoder_layer_pre_norm_batch_first", module_case(
        lambda: nn.TransformerDecoderLayer(8, 4, dim_feedforward=16, dropout=0.0, activation="gelu", batch_first=True, norm_first=True),
        {"tgt": (2, 3, 8), "memory": (2, 4, 8), "tgt_kpm": lambda: bool_mask((2, 3)), "memory_mask": lambda: torch.randn(3, 4)},
        dec_layer, seed=7)),
    ("encoder_stack_norm", module_case(
        lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True), 2,
                                      norm=nn.LayerNorm(8)),
        {"src": (2, 5, 8), "mask": lambda: causal(5), "kpm": lambda: bool_mask((2, 5))}, enc_stack, seed=8)),
    ("decoder_stack", module_case(
        lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0), 2),
        {"tgt": (3, 2, 8), "memory": (4, 2, 8), "tgt_mask": lambda: causal(3)}, dec_layer, seed=9)),
    ("transformer", module_case(
        lambda: nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16, dropout=0.0,
                               batch_first=True),
        {"src": (2, 5, 8), "tgt": (2, 3, 8), "tgt_mask": lambda: causal(3), "src_kpm": lambda: bool_mask((2, 5)),
         "memory_kpm": lambda: bool_mask((2, 5))}, transformer, seed=10)),
    ("transformer_pre_norm_seq_first", module_case(
        lambda: nn.Transformer(d_model=4, nhead=1, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=8, dropout=0.0,
                               norm_first=True, activation="gelu"),
        {"src": (3, 2, 4), "tgt": (2, 2, 4), "src_mask": lambda: causal(3)}, transformer, seed=11)),
])

write("attention", {
    "square_subsequent_mask": tensor(nn.Transformer.generate_square_subsequent_mask(4)),
    "sdpa": SDPA,
    "mha": MHA,
    "transformer": TRANSFORMER,
})
