#!/usr/bin/env bash
# Installs whatever `npm start` / `npm test` need and is missing, then returns quickly when all is there.
# Usage: bash scripts/setup.sh start|test|bench
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-start}"
FERRETDB_VERSION="v1.24.0"

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; exit 1; fi
}

# 1. Debian packages. postgresql: the embedded database (FerretDB) stores into a private cluster of it,
#    unless MONGODB_URI is set or mongod is on PATH. For tests and benchmarks only: chromium (browser
#    tests, and its SwiftShader Vulkan ICD) and libvulkan1 (the loader through which Dawn in Node finds it).
debs=()
if [ -z "${MONGODB_URI:-}" ] && ! command -v mongod >/dev/null; then debs+=(postgresql); fi
[ "$mode" != start ] && debs+=(chromium libvulkan1)
missing=()
for p in "${debs[@]+"${debs[@]}"}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    log "please install: ${missing[*]} (no apt-get on this machine)"; exit 1
  fi
fi

# 2. npm packages, re-installed only when package.json or the lockfile changed.
stamp=node_modules/.cyxwiz-install-stamp
want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing npm packages"
  # npm ci fails here when the lockfile names other platforms' optional binaries; install works.
  npm install --no-audit --no-fund --loglevel=error
  want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  echo "$want" > "$stamp"
fi

# 3. Benchmarks compare against numpy's BLAS: a project-local Python with numpy from PyPI.
if [ "$mode" = bench ] && [ ! -x .tools/py/bin/python3 ]; then
  log "installing numpy into .tools/py (for the BLAS comparison)"
  python3 -m venv .tools/py && .tools/py/bin/pip install --quiet numpy
fi

# 3b. The runner's torch executor (node-runner/torch) and its parity tests: PyTorch from PyPI in its own
#     venv (about 5 GB with the CUDA libraries its Linux wheel carries; with no GPU it runs on the CPU).
#     Re-installed only when the pinned versions change.
TORCH_PINS="torch==2.15.0 safetensors==0.7.0 packaging==26.4 numpy==2.4.6"
torch_stamp=.tools/torch/.cyxwiz-stamp
if [ "$mode" != start ] && { [ ! -x .tools/torch/bin/python ] || [ "$(cat "$torch_stamp" 2>/dev/null)" != "$TORCH_PINS" ]; }; then
  log "installing PyTorch into .tools/torch ($TORCH_PINS; once, about 5 GB and a minute or two)"
  command -v python3 >/dev/null || { log "PyTorch needs Python 3.9+: install python3 and python3-venv (apt-get install python3-venv), then rerun"; exit 1; }
  if ! python3 -m venv .tools/torch || ! .tools/torch/bin/pip install --quiet --disable-pip-version-check $TORCH_PINS; then
    log "could not install PyTorch. Check that https://pypi.org is reachable, that python3-venv is installed and that 6 GB of disk are free,"
    log "then run: rm -rf .tools/torch && python3 -m venv .tools/torch && .tools/torch/bin/pip install $TORCH_PINS"
    exit 1
  fi
  echo "$TORCH_PINS" > "$torch_stamp"
fi

# 4. The embedded database: mongod when on PATH, else FerretDB built from the Go module proxy, with our
#    patches (scripts/ferretdb/*.patch); rebuilt when the version or a patch changes.
ferret_stamp=.tools/bin/ferretdb.stamp
ferret_want=$( (echo "$FERRETDB_VERSION"; cat scripts/ferretdb/*.patch) | sha256sum | cut -d' ' -f1)
if [ -z "${MONGODB_URI:-}" ] && ! command -v mongod >/dev/null \
  && { [ ! -x .tools/bin/ferretdb ] || [ "$(cat "$ferret_stamp" 2>/dev/null)" != "$ferret_want" ]; }; then
  command -v go >/dev/null || { log "Go is needed to build the embedded database (FerretDB). Install Go, or set MONGODB_URI."; exit 1; }
  log "building FerretDB $FERRETDB_VERSION (once; about a minute)"
  # `go install …@v1.24.1` fails here: that version is not served by the module proxy (403), and
  # go install also needs the module's version list, which the proxy refuses. So we download the
  # pinned module, copy it, write the version file its build expects, and build it in place.
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || { log "could not download FerretDB $FERRETDB_VERSION from the Go module proxy"; exit 1; }
  work=.tools/ferretdb-src
  rm -rf "$work" && mkdir -p .tools/bin && cp -r "$src" "$work" && chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  for p in scripts/ferretdb/*.patch; do patch -s -d "$work" -p1 < "$p"; done
  (cd "$work" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -o ../bin/ferretdb ./cmd/ferretdb)
  rm -rf "$work"
  echo "$ferret_want" > "$ferret_stamp"
fi
