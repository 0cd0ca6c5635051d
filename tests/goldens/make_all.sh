#!/usr/bin/env bash
# Regenerates every golden file from the reference PyTorch (Debian's python3-torch 1.13 and python3-onnx):
#     apt-get install -y python3-torch python3-onnx
#     bash tests/goldens/make_all.sh
# Each script is deterministic: rerunning it writes the same files. CI needs none of this: it reads the committed goldens.
# Convolutions go through oneDNN, whose kernels follow the CPU's instruction sets: on a machine with other ones (AVX2 only
# against AVX-512) conv values differ in the last bits (up to ~1e-5 relative, inside the tests' tolerances), so commit a
# regenerated file only for the cases that changed on purpose.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
for script in gen_rng gen_print gen_core gen_functional gen_layers gen_optim gen_numpy_print gen_seed gen_training gen_hardening gen_autograd gen_rng_capability gen_opinfo gen_data gen_attention gen_dtypes gen_checkpoints gen_inplace_views; do
    echo "== $script"
    "$py" "tests/goldens/$script.py"
done
echo "== gen_rnn"; "$py" tests/goldens/gen_rnn.py
echo "== gen_onnx_files"
(cd tests/goldens && "$py" gen_onnx_files.py)
