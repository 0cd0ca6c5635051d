# Runs the onnx package's checker (with full shape and type inference) on every .onnx file in a folder of Nabla exports.
#
# Make the exports with the ONNX Runtime tests, then check them (Debian's python3-onnx; onnx 1.12 knows opsets up to 17):
#   export NABLA_ONNX_EXPORT_DIR="$(mktemp -d)"
#   dotnet test tests/Nabla.Tests -c Release --filter "FullyQualifiedName~ExportOrtTests"
#   /usr/bin/python3 tests/goldens/check_exports.py "$NABLA_ONNX_EXPORT_DIR"
#
# Files whose opset is newer than the installed onnx package supports are reported as skipped, not failed.
# Exits 1 when any file fails the check. Not part of CI (CI has no Python); a tool for people changing the exporter.
import pathlib
import sys

import onnx
from onnx import defs

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
newest = defs.onnx_opset_version()
failed = 0
for path in sorted(folder.glob("*.onnx")):
    model = onnx.load(str(path))
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if opset > newest:
        print(f"skip  {path.name}: opset {opset} (onnx {onnx.__version__} knows up to {newest})")
        continue
    try:
        onnx.checker.check_model(model, full_check=True)
        print(f"ok    {path.name}: opset {opset}, ir {model.ir_version}, {len(model.graph.node)} nodes")
    except Exception as e:  # noqa: BLE001 - report every failure, keep going
        failed += 1
        print(f"FAIL  {path.name}: {e}")
print(f"{failed} failed")
sys.exit(1 if failed else 0)
