# What numpy's str(array) prints (default print options) for arrays as onnx.numpy_helper.to_array returns them:
# the seed notebook prints initializers this way. Writes numpy_print.json for NumpyArrayFormat's tests.
# Run: /usr/bin/python3 tests/goldens/gen_numpy_print.py   (Debian's python3-numpy)
from golden_util import write
import numpy as np

f32, f64 = np.float32, np.float64
cases = [
    np.array([-0.8021901], f32),
    np.array([0.33669037], f32),
    np.array(0.1, f32),
    np.array(42, np.int64),
    np.array([1.5, 0.25], f32),
    np.array([1.0, 2.0, -3.0], f32),
    np.array([[1.0, 2.0], [3.0, 4.5]], f32),
    np.array([1e-5, 1.0], f32),
    np.array([1e9, -2.5], f32),
    np.array([0.0, -0.0, 1.0], f32),
    np.array([0.1, 0.2, 0.30000001], f64),
    np.array([1.0 / 3.0, 2.0 / 3.0], f64),
    np.array([123456.789, 0.5], f32),
    np.array([np.nan, 1.5, np.inf, -np.inf], f32),
    np.array([3, -10, 200], np.int64),
    np.array([[1, 2], [30, 4]], np.int32),
    np.array([True, False, True]),
    np.array([], f32),
    np.arange(12, dtype=f32).reshape(2, 3, 2) / 7,
    np.arange(40, dtype=f32) / 3,
    np.arange(2000, dtype=np.int64),
    np.random.default_rng(0).standard_normal((3, 4)).astype(f32),
]
out = []
for a in cases:
    if a.dtype == np.bool_:
        values = [bool(v) for v in a.flatten()]
    elif a.dtype.kind == "f":
        values = [None if np.isnan(v) else ("inf" if v == np.inf else "-inf" if v == -np.inf else float(v)) for v in a.flatten()]
    else:
        values = [int(v) for v in a.flatten()]
    out.append({"dtype": str(a.dtype), "shape": list(a.shape), "values": values, "str": str(a)})
write("numpy_print", out)
