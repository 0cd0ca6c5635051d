# Opens checkpoints written by Nabla with real PyTorch and prints what it finds as JSON, for RoundTripWithPyTorchTests.
#     read_checkpoints.py STATE.pt STATE.safetensors TRAINING.pt
# The .pt opens with torch.load(weights_only=True); the .safetensors is read by the reader below, written from the
# format's specification (8-byte little-endian header length, JSON header, byte ranges covering the data exactly).
import json
import struct
import sys

import torch

SPEC_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
               "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = data[8 + n:]
    ranges = sorted((v["data_offsets"][0], v["data_offsets"][1]) for v in header.values())
    position = 0
    for begin, end in ranges:  # the spec: no gaps, no overlaps, the whole buffer used
        assert begin == position, (begin, position)
        position = end
    assert position == len(buffer), (position, len(buffer))
    tensors = {}
    for name, v in header.items():
        begin, end = v["data_offsets"]
        dtype = SPEC_DTYPES[v["dtype"]]
        raw = bytearray(buffer[begin:end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(v["shape"])
    return tensors, metadata


def describe(tensors):
    return {k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                "values": [float(x) for x in t.double().flatten().tolist()]} for k, t in tensors.items()}


pt = torch.load(sys.argv[1], weights_only=True)
st, metadata = read_safetensors(sys.argv[2])
keys = list(pt)
shared = [[a, b] for i, a in enumerate(keys) for b in keys[i + 1:]
          if pt[a].numel() and pt[b].numel() and pt[a].storage().data_ptr() == pt[b].storage().data_ptr()]
training = torch.load(sys.argv[3])
print(json.dumps({
    "pt": describe(pt), "pt_type": type(pt).__name__, "pt_shared": shared,
    "pt_parameters": [k for k, t in pt.items() if isinstance(t, torch.nn.Parameter)],
    "pt_strides": {k: list(t.stride()) for k, t in pt.items()},
    "safetensors": describe(st), "safetensors_keys": list(st), "metadata": metadata,
    "training": {"epoch": training["epoch"], "lr": training["optimizer"]["param_groups"][0]["lr"],
                 "params": training["optimizer"]["param_groups"][0]["params"],
                 "betas": list(training["optimizer"]["param_groups"][0]["betas"]),
                 "state_keys": sorted(training["optimizer"]["state"][0].keys()),
                 "step": float(training["optimizer"]["state"][0]["step"])},
}))
