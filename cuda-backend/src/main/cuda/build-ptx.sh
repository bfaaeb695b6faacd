#!/usr/bin/env bash
# Regenerates the committed PTX of the CUDA backend's own kernels:
#   src/main/cuda/jcnn_kernels.cu  ->  src/main/resources/dev/jcnn/cuda/jcnn_kernels.ptx
#
# nvcc 13 writes PTX ISA 9.0 for sm_75, which CUDA 11 and 12 drivers refuse to load. The
# kernels use nothing recent, so the header is lowered to .target sm_50 and to the lowest
# .version that ptxas accepts for that target; ptxas then checks every instruction against
# them. Needs nvcc and ptxas (CUDA 12 or 13) on PATH, or NVCC=/path/to/nvcc.
set -euo pipefail
cd "$(dirname "$0")"

NVCC=${NVCC:-nvcc}
PTXAS=${PTXAS:-$(dirname "$(command -v "$NVCC")")/ptxas}
[ -x "$PTXAS" ] || PTXAS=ptxas
TARGET=sm_50              # Maxwell: the oldest GPU that cuDNN 8/9 and cuBLAS 11+ still run on
MAX_VERSION=7.0           # the newest PTX ISA a CUDA 11.0 driver loads
OUT=../resources/dev/jcnn/cuda/jcnn_kernels.ptx

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# -fmad=false: a*b + c rounds twice, as in the Java reference backend.
"$NVCC" -ptx -arch=compute_75 -O3 -fmad=false -o "$tmp/raw.ptx" jcnn_kernels.cu
raw_version=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$tmp/raw.ptx")
raw_target=$(sed -n 's/^\.target \([a-z0-9_]*\)$/\1/p' "$tmp/raw.ptx")

chosen=
for v in 4.0 4.1 4.2 4.3 5.0 6.0 6.1 6.2 6.3 6.4 6.5 7.0; do
  sed -e "s/^\.version .*/.version $v/" -e "s/^\.target .*/.target $TARGET/" "$tmp/raw.ptx" > "$tmp/low.ptx"
  if "$PTXAS" -arch=sm_75 "$tmp/low.ptx" -o "$tmp/check.cubin" 2> "$tmp/ptxas.log"; then
    chosen=$v
    break
  fi
done
if [ -z "$chosen" ]; then
  echo "build-ptx: the kernels need a PTX ISA newer than $MAX_VERSION for .target $TARGET; ptxas said:" >&2
  cat "$tmp/ptxas.log" >&2
  exit 1
fi

{
  echo "// jcnn CUDA backend kernels: generated from src/main/cuda/jcnn_kernels.cu by build-ptx.sh; do not edit."
  echo "// nvcc wrote .version $raw_version .target $raw_target; lowered to .version $chosen .target $TARGET"
  echo "// (the lowest ptxas accepts) so that CUDA 11 and newer drivers can load it."
  echo "// source sha256 $(sha256sum jcnn_kernels.cu | cut -d' ' -f1)"
  cat "$tmp/low.ptx"
} > "$OUT"
echo "build-ptx: wrote $(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT") (.version $chosen, .target $TARGET," \
  "$(grep -c '^\.visible \.entry' "$OUT") kernels)"
