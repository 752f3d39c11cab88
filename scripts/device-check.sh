#!/usr/bin/env bash
# Device check for a Linux machine with a GPU (Node 20 + this repo; not part of npm test). No arguments.
# Prints the Dawn adapters and CUDA devices found, runs the torch parity tests on each real backend
# (torch-cpu always, torch-cuda when nvidia-smi lists a GPU; the Dawn<->torch engine parity on Dawn's
# GPU adapter), then trains the 784-256-128-10 MLP (batch 128, Adam) on Dawn-on-GPU and torch-cuda and
# prints samples/s and their ratio as one JSON line (scripts/device-check.ts). Exits non-zero on any
# failure, and at once when no GPU is found. TF.js-WebGPU in Chromium is not measured here (see
# scripts/bench-browser.ts). Budget: under 5 minutes once PyTorch is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[device-check] %s\n' "$*"; }
fail() { log "FAILED: $*"; exit 1; }

command -v node >/dev/null || fail "node is not on PATH (Node 20 is needed)"
[ -d node_modules ] || { log "installing npm packages"; npm install --no-audit --no-fund --loglevel=error; }

# Dawn finds a GPU through the Vulkan loader: point it at the NVIDIA ICD when there is one (createNodeGpu
# otherwise defaults to SwiftShader's, which is a CPU).
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; break; fi
  done
fi
log "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(unset)}"

have_cuda=0
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then have_cuda=1; fi

# The torch executor's Python (.tools/torch, as scripts/setup.sh makes it), only where a GPU can use it.
TORCH_PINS="torch==2.15.0 safetensors==0.7.0 packaging==26.4 numpy==2.4.6"
if [ "$have_cuda" = 1 ] && [ -z "${CYXWIZ_TORCH_PYTHON:-}" ] && [ ! -x .tools/torch/bin/python ]; then
  log "installing PyTorch into .tools/torch ($TORCH_PINS)"
  python3 -m venv .tools/torch && .tools/torch/bin/pip install --quiet --disable-pip-version-check $TORCH_PINS \
    || fail "could not install PyTorch (python3-venv and https://pypi.org needed)"
  echo "$TORCH_PINS" > .tools/torch/.cyxwiz-stamp
fi

# 1. What is here, and the MLP on each real GPU backend (fails at once when there is no GPU).
node --import tsx scripts/device-check.ts | tee /tmp/cyxwiz-device-check.$$.log
json=$(tail -n 1 /tmp/cyxwiz-device-check.$$.log); rm -f /tmp/cyxwiz-device-check.$$.log

# 2. Parity: torch against our CPU executor and against the WGSL engine, on each torch device.
parity="node-runner/torch/torch-parity.test.ts node-runner/torch/torch-engine-parity.test.ts node-runner/jobs/job-executor-torch.test.ts"
if [ -x .tools/torch/bin/python ] || [ -n "${CYXWIZ_TORCH_PYTHON:-}" ]; then
  log "torch parity on the CPU"
  CYXWIZ_TORCH_DEVICE=cpu npx vitest run $parity || fail "torch-cpu parity"
  if [ "$have_cuda" = 1 ]; then
    log "torch parity on CUDA"
    CYXWIZ_TORCH_DEVICE=cuda npx vitest run node-runner/torch/torch-parity.test.ts node-runner/torch/torch-engine-parity.test.ts || fail "torch-cuda parity"
  fi
fi
log "OK"
echo "$json"
