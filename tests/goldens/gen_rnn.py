# Recurrent layers (RNN, LSTM, GRU and their cells) and the samplers torch.multinomial / torch.bernoulli, from PyTorch.
# Writes rnn.json. Run from the repo root: /usr/bin/python3 tests/goldens/gen_rnn.py   (Debian python3-torch 1.13)
#
# Each "modules" case: after torch.manual_seed(seed) the module is built (default init, uniform_(-1/sqrt(hidden), 1/sqrt(hidden))
# over the parameters in order), then the input, the initial state (when the case passes one) and one random weight per
# output are drawn; the case records the state_dict, repr, forward outputs, and the gradients of sum(out_i * w_i) with
# respect to the input, the initial state and every parameter. The C# test builds the same module from the case name.
from golden_util import *  # noqa: F401,F403 (sets ATEN_CPU_CAPABILITY=default first)
from collections import OrderedDict

import torch.nn as nn

F64 = torch.float64

# name: (constructor, input shape, initial state given, training, dtype)
CASES = OrderedDict([
    ("lstm_basic", (lambda: nn.LSTM(4, 5), (6, 3, 4), False, False, None)),
    ("lstm_2layer_bidir_batch_first_state", (lambda: nn.LSTM(4, 5, num_layers=2, batch_first=True, bidirectional=True), (3, 6, 4), True, False, None)),
    ("lstm_2layer_bidir", (lambda: nn.LSTM(4, 5, num_layers=2, bidirectional=True), (5, 2, 4), False, False, None)),
    ("lstm_proj_2layer_state", (lambda: nn.LSTM(4, 6, num_layers=2, proj_size=3), (5, 2, 4), True, False, None)),
    ("lstm_proj_bidir", (lambda: nn.LSTM(4, 6, bidirectional=True, proj_size=3, batch_first=True), (2, 5, 4), False, False, None)),
    ("lstm_unbatched_state", (lambda: nn.LSTM(4, 5, num_layers=2), (6, 4), True, False, None)),
    ("lstm_unbatched_bidir", (lambda: nn.LSTM(3, 4, bidirectional=True, batch_first=True), (5, 3), False, False, None)),
    ("lstm_no_bias", (lambda: nn.LSTM(4, 5, bias=False), (4, 2, 4), False, False, None)),
    ("lstm_dropout_train", (lambda: nn.LSTM(4, 5, num_layers=3, dropout=0.4), (5, 2, 4), False, True, None)),
    ("lstm_float64_bidir_state", (lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True, dtype=F64), (4, 2, 3), True, False, F64)),
    ("gru_basic", (lambda: nn.GRU(4, 5), (6, 3, 4), False, False, None)),
    ("gru_2layer_bidir_batch_first_state", (lambda: nn.GRU(4, 5, num_layers=2, batch_first=True, bidirectional=True), (3, 6, 4), True, False, None)),
    ("gru_2layer_bidir", (lambda: nn.GRU(4, 5, num_layers=2, bidirectional=True), (5, 2, 4), False, False, None)),
    ("gru_unbatched_state", (lambda: nn.GRU(4, 5), (6, 4), True, False, None)),
    ("gru_no_bias_dropout_train", (lambda: nn.GRU(4, 5, num_layers=2, bias=False, dropout=0.5), (5, 2, 4), False, True, None)),
    ("gru_float64_bidir_state", (lambda: nn.GRU(3, 4, num_layers=2, bidirectional=True, dtype=F64), (4, 2, 3), True, False, F64)),
    ("rnn_tanh_basic", (lambda: nn.RNN(4, 5), (6, 3, 4), False, False, None)),
    ("rnn_relu_2layer_bidir_state", (lambda: nn.RNN(4, 5, num_layers=2, nonlinearity="relu", bidirectional=True), (5, 2, 4), True, False, None)),
    ("rnn_batch_first_no_bias", (lambda: nn.RNN(4, 5, bias=False, batch_first=True), (2, 5, 4), False, False, None)),
    ("rnn_unbatched_state", (lambda: nn.RNN(4, 5, num_layers=2), (6, 4), True, False, None)),
    ("rnn_float64_relu", (lambda: nn.RNN(3, 4, nonlinearity="relu", dtype=F64), (4, 2, 3), True, False, F64)),
    ("lstm_cell_state", (lambda: nn.LSTMCell(4, 5), (3, 4), True, False, None)),
    ("lstm_cell_zero_state", (lambda: nn.LSTMCell(4, 5), (3, 4), False, False, None)),
    ("lstm_cell_unbatched_no_bias", (lambda: nn.LSTMCell(4, 5, bias=False), (4,), True, False, None)),
    ("gru_cell_state", (lambda: nn.GRUCell(4, 5), (3, 4), True, False, None)),
    ("gru_cell_zero_state", (lambda: nn.GRUCell(4, 5), (3, 4), False, False, None)),
    ("gru_cell_unbatched", (lambda: nn.GRUCell(4, 5), (4,), True, False, None)),
    ("rnn_cell_tanh_state", (lambda: nn.RNNCell(4, 5), (3, 4), True, False, None)),
    ("rnn_cell_relu_zero_state", (lambda: nn.RNNCell(4, 5, nonlinearity="relu"), (3, 4), False, False, None)),
    ("rnn_cell_unbatched_no_bias", (lambda: nn.RNNCell(4, 5, bias=False), (4,), True, False, None)),
    ("lstm_cell_float64", (lambda: nn.LSTMCell(3, 4, dtype=F64), (2, 3), True, False, F64)),
])


def initial_state(m, x):
    """The initial state PyTorch's docs describe, drawn with randn: (h0, c0) for LSTM, h0 otherwise."""
    dt = x.dtype
    if isinstance(m, nn.RNNCellBase):
        lead = x.shape[:-1]
        h = torch.randn(*lead, m.hidden_size, dtype=dt, requires_grad=True)
        if isinstance(m, nn.LSTMCell):
            return (h, torch.randn(*lead, m.hidden_size, dtype=dt, requires_grad=True))
        return h
    nd = 2 if m.bidirectional else 1
    batch = () if x.dim() == 2 else (x.shape[0 if m.batch_first else 1],)
    real_hidden = m.proj_size if getattr(m, "proj_size", 0) > 0 else m.hidden_size
    h = torch.randn(m.num_layers * nd, *batch, real_hidden, dtype=dt, requires_grad=True)
    if isinstance(m, nn.LSTM):
        return (h, torch.randn(m.num_layers * nd, *batch, m.hidden_size, dtype=dt, requires_grad=True))
    return h


def flatten(result):
    """Module outputs in order: (output, hn) / (output, (hn, cn)) / (h, c) / h."""
    if isinstance(result, torch.Tensor):
        return [result]
    out = []
    for r in result:
        out.extend(flatten(r))
    return out


def run_case(seed, ctor, shape, with_state, training, dtype):
    torch.manual_seed(seed)
    m = ctor()
    m.train(training)
    init = OrderedDict((k, tensor(v)) for k, v in m.state_dict().items())
    x = torch.randn(*shape, dtype=dtype or torch.float32, requires_grad=True)
    state = initial_state(m, x) if with_state else None
    result = m(x, state) if with_state else m(x)
    outs = flatten(result)
    ws = [torch.randn(o.shape, dtype=o.dtype) for o in outs]
    sum((o * w).sum() for o, w in zip(outs, ws)).backward()
    states = flatten(state) if state is not None else []
    return {
        "seed": seed,
        "training": training,
        "repr": repr(m),
        "state_keys": list(m.state_dict().keys()),
        "init": init,
        "input": tensor(x),
        "state": [tensor(s) for s in states],
        "outputs": [tensor(o) for o in outs],
        "weights": [tensor(w) for w in ws],
        "grad_input": tensor(x.grad),
        "grad_state": [tensor(s.grad) for s in states],
        "grads": OrderedDict((k, tensor(p.grad)) for k, p in m.named_parameters()),
    }


modules = OrderedDict()
for i, (name, (ctor, shape, with_state, training, dtype)) in enumerate(CASES.items()):
    modules[name] = run_case(300 + i, ctor, shape, with_state, training, dtype)


# ---- Samplers: torch.multinomial (1.13: without replacement by the exponential trick and topk, with replacement by a
# cumulative-distribution search per draw), torch.bernoulli with a probability tensor (float32 uniforms for float32
# probabilities, double ones for float64) and with a scalar p (double uniforms). ----
def probs(seed, shape, dtype, zeros=False, transposed=False):
    torch.manual_seed(seed)
    p = torch.rand(*shape, dtype=dtype)
    if zeros == "sparse":
        p[p < 0.995] = 0  # a few categories of nonzero probability: the samples after them are ties at key 0
        p[..., 1] = 0.5
    elif zeros:
        p[..., ::3] = 0
    # A transposed view: PyTorch draws the exponentials in the memory order of a tensor laid out like it.
    return p.t().contiguous().t() if transposed else p


multinomial = []
for k, (shape, n, replacement, dtype, zeros, *transposed) in enumerate([
    ((10,), 1, False, torch.float32, False),
    ((10,), 4, False, torch.float32, False),
    ((10,), 10, False, torch.float32, True),
    ((3, 7), 1, False, torch.float32, False),
    ((3, 7), 5, False, torch.float64, False),
    ((4, 20), 3, False, torch.float32, True),
    ((10,), 1, True, torch.float32, False),
    ((10,), 25, True, torch.float32, True),
    ((3, 7), 6, True, torch.float64, False),
    ((5, 300), 40, True, torch.float32, False),
    ((2, 5), 12, True, torch.float32, True),
    ((4, 6), 3, False, torch.float32, False, True),
    ((3, 5), 1, False, torch.float64, False, True),
    ((4, 6), 5, True, torch.float32, False, True),
    ((40,), 30, False, torch.float32, True),
    ((300,), 4, False, torch.float32, "sparse"),
    ((2, 700), 10, False, torch.float64, "sparse"),
    ((3, 50), 45, False, torch.float32, "sparse"),
]):
    p = probs(40 + k, shape, dtype, zeros, bool(transposed))
    seed = 1000 + k
    torch.manual_seed(seed)
    idx = torch.multinomial(p, n, replacement=replacement)
    after = torch.rand(3)
    multinomial.append({"seed": seed, "probs": tensor(p), "transposed": bool(transposed), "num_samples": n, "replacement": replacement,
                        "result": tensor(idx), "rand_after": tensor(after)})

bernoulli = []
for k, (shape, dtype, p_scalar) in enumerate([
    ((20,), torch.float32, None),
    ((3, 5), torch.float64, None),
    ((4, 6), torch.float32, 0.3),
    ((17,), torch.float64, 0.75),
]):
    p = probs(60 + k, shape, dtype)
    seed = 2000 + k
    torch.manual_seed(seed)
    b = torch.bernoulli(p) if p_scalar is None else torch.bernoulli(p, p_scalar)
    torch.manual_seed(seed)
    inplace = torch.zeros(shape, dtype=dtype).bernoulli_(p if p_scalar is None else p_scalar)
    bernoulli.append({"seed": seed, "probs": tensor(p), "p": p_scalar, "result": tensor(b), "inplace": tensor(inplace)})

write("rnn", {"modules": modules, "multinomial": multinomial, "bernoulli": bernoulli})
