#!/usr/bin/env bash
# Runs the CUDA backend's GPU suites and benchmarks from the kit folder (made by
# scripts/gpu-kit.sh), on a machine with an NVIDIA GPU and no network, Maven or Java.
# Writes logs and reports under $OUT (default ./out) and prints a short table last.
# Exit status: 0 all passed; 1 a suite failed on the GPU; 2 the kit is broken; 3 no usable
# GPU (the suites ran with -Djcnn.requireGpu=true and failed for that reason).
# With a redist jar (kit/redist/*.jar, or JCNN_REDIST_JAR=FILE) the suites run a second time
# with cuBLAS and cuDNN from it; that pass writes under $OUT/redist.
set -uo pipefail
kit=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$kit/out}
mkdir -p "$OUT"
log() { echo "run.sh: $*"; }

# ---- Java ---------------------------------------------------------------------------------
work=$(mktemp -d)
tar xzf "$kit/jre.tgz" -C "$work" || { log "cannot unpack jre.tgz"; exit 2; }
java="$work/jre/bin/java"
"$java" -version > "$OUT/java.txt" 2>&1 || { log "the bundled Java does not run"; exit 2; }

# ---- the machine --------------------------------------------------------------------------
{
  date -u +"date: %Y-%m-%dT%H:%M:%SZ"
  echo "kit commit: $(cat "$kit/COMMIT" 2>/dev/null)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu: /'
  else
    echo "gpu: nvidia-smi not found"
  fi
} | tee "$OUT/machine.txt"

# The redist jar (cuBLAS 12.6 and cuDNN 9.5 as a Maven dependency, docs/cuda.md), if the kit holds
# one (scripts/gpu-kit.sh --redist) or JCNN_REDIST_JAR names one on this machine: the suites run a
# second time with it on the class path, and the machine's LD_LIBRARY_PATH as it was.
redist_jar=${JCNN_REDIST_JAR:-$(ls "$kit"/redist/*.jar 2>/dev/null | head -1)}
original_ld_path=${LD_LIBRARY_PATH:-}

# ---- cuBLAS and cuDNN: LD_LIBRARY_PATH first, then the linker cache, the toolkit, pip's wheels
find_lib() {  # prints the folder of the first of the given file names found
  local name dir
  local path=${LD_LIBRARY_PATH:-}
  for name in "$@"; do
    for dir in ${path//:/ } /usr/local/cuda/lib64; do
      [ -e "$dir/$name" ] && { echo "$dir"; return 0; }
    done
    dir=$(ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n { print $NF; exit }')
    [ -n "$dir" ] && { dirname "$dir"; return 0; }
  done
  local pip
  pip=$(python3 -c 'import nvidia, os; print(list(nvidia.__path__)[0])' 2>/dev/null) || pip=
  for name in "$@"; do
    if [ -n "$pip" ]; then
      dir=$(find "$pip" -name "$name" 2>/dev/null | head -1)
      [ -n "$dir" ] && { dirname "$dir"; return 0; }
    fi
  done
  for name in "$@"; do
    dir=$(find / -xdev \( -path /proc -o -path /sys \) -prune -o -name "$name" -print 2>/dev/null | head -1)
    [ -n "$dir" ] && { dirname "$dir"; return 0; }
  done
  return 1
}
cublas_dir=$(find_lib libcublas.so.11 libcublas.so.12 libcublas.so.13) || cublas_dir=
cudnn_dir=$(find_lib libcudnn.so.8 libcudnn.so.9) || cudnn_dir=
log "cuBLAS in ${cublas_dir:-(not found)}, cuDNN in ${cudnn_dir:-(not found)}" | tee -a "$OUT/machine.txt"
for d in "$cudnn_dir" "$cublas_dir"; do
  [ -n "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done

cp="$kit/test-classes:$kit/lib/*"
jvm=(-Xmx8g -Djcnn.cuda.cacheDir="$OUT/jcnn-cache" -Djava.io.tmpdir="$work")

# ---- the GPU suites, with -Djcnn.requireGpu=true --------------------------------------------
run_suites() {  # OUT-DIR [EXTRA-JAR]: the suites into OUT-DIR/tests.log, OUT-DIR/junit; returns their status
  local dir=$1 extra=${2:-}
  mkdir -p "$dir/junit"
  "$java" "${jvm[@]}" -Djcnn.requireGpu=true -Djcnn.mnist.dir="$kit/mnist" \
    -Djcnn.parity.out="$dir/parity-table.txt" \
    -jar "$kit"/tools/junit-platform-console-standalone-*.jar execute \
    --class-path "$kit/test-classes:$(ls "$kit"/lib/*.jar | tr '\n' ':')${extra:+$extra}" \
    $(sed 's/^/--select-class /' "$kit/tests.txt") \
    --reports-dir "$dir/junit" --details summary --details-theme ascii --disable-banner \
    > "$dir/tests.log" 2>&1
  local rc=$?
  grep -E "tests (successful|failed|skipped|aborted|found)" "$dir/tests.log" > "$dir/junit/summary.txt"
  if grep -q "CUDA backend cannot start" "$dir/tests.log"; then
    grep -m1 -o "CUDA backend cannot start: .*" "$dir/tests.log" >> "$dir/junit/summary.txt"
  fi
  return $rc
}
log "running the GPU suites (parity, conformance, golden, LeNet-5), this takes a few minutes"
run_suites "$OUT"
tests_rc=$?
redist_rc=0
if [ -n "$redist_jar" ]; then
  log "running the GPU suites again with cuBLAS and cuDNN from $redist_jar"
  # extracted once into the temporary folder (about 1.4 GB), not into $OUT
  ld_now=${LD_LIBRARY_PATH:-}
  export LD_LIBRARY_PATH=$original_ld_path
  jvm_system=("${jvm[@]}")
  jvm=(-Xmx8g -Djcnn.cuda.cacheDir="$work/redist-cache" -Djava.io.tmpdir="$work")
  run_suites "$OUT/redist" ":$redist_jar"
  redist_rc=$?
  jvm=("${jvm_system[@]}")
  export LD_LIBRARY_PATH=$ld_now
fi

# ---- benchmarks: jcnn beside the PyTorch peer ------------------------------------------------
if [ "$tests_rc" -eq 0 ] || ! grep -q "CUDA backend cannot start" "$OUT/tests.log"; then
  log "benchmarks"
  raw="$work/mnist-raw"; mkdir -p "$raw"
  for f in "$kit"/mnist/*.gz; do gunzip -c "$f" > "$raw/$(basename "$f" .gz)"; done
  for numerics in fast exact; do
    "$java" "${jvm[@]}" -cp "$cp" dev.jcnn.cuda.LeNetBenchmark "$raw" cuda "$numerics" 300 64 \
      >> "$OUT/bench.txt" 2>> "$OUT/bench.log" || echo "jcnn cuda $numerics: failed (see bench.log)" >> "$OUT/bench.txt"
  done
  if command -v python3 >/dev/null && python3 -c "import torch" 2>/dev/null; then
    # the peer indexes 60,000 images: tile the 2,000-image slice to that many (speed only)
    python3 - "$raw" <<'PY'
import sys, struct, numpy as np
d = sys.argv[1]
for name, magic, per in (("train-images-idx3-ubyte", 0x803, 784), ("train-labels-idx1-ubyte", 0x801, 1)):
    b = open(f"{d}/{name}", "rb").read(); nd = b[3]; dims = struct.unpack(">" + "I" * nd, b[4:4 + 4 * nd])
    data = np.frombuffer(b, np.uint8, offset=4 + 4 * nd)
    reps = -(-60000 // dims[0]); tiled = np.tile(data, reps)[:60000 * per]
    with open(f"{d}/{name}", "wb") as f:
        f.write(struct.pack(">I", magic) + struct.pack(">" + "I" * nd, 60000, *dims[1:]) + tiled.tobytes())
PY
    python3 "$kit/bench/pytorch_lenet.py" "$raw" 300 64 cuda >> "$OUT/bench.txt" 2>> "$OUT/bench.log" \
      || echo "pytorch lenet: failed (see bench.log)" >> "$OUT/bench.txt"
    python3 "$kit/bench/pytorch_latency_and_cifar.py" >> "$OUT/bench.txt" 2>> "$OUT/bench.log" || true
  else
    echo "pytorch: not available here" >> "$OUT/bench.txt"
  fi
fi

# ---- the table --------------------------------------------------------------------------------
echo
echo "==== jcnn GPU kit: $(head -1 "$OUT/machine.txt" 2>/dev/null) ===="
grep '^gpu:' "$OUT/machine.txt" || true
[ -f "$OUT/parity-table.txt" ] && cat "$OUT/parity-table.txt"
cat "$OUT/junit/summary.txt"
if [ -n "$redist_jar" ]; then
  echo "---- with the redist jar ($(basename "$redist_jar")):"
  [ -f "$OUT/redist/parity-table.txt" ] && cat "$OUT/redist/parity-table.txt"
  cat "$OUT/redist/junit/summary.txt"
fi
[ -f "$OUT/bench.txt" ] && cat "$OUT/bench.txt"
rm -rf "$work"
if [ "$tests_rc" -eq 0 ] && [ "$redist_rc" -eq 0 ]; then
  exit 0
fi
failed_log="$OUT/tests.log"
[ "$tests_rc" -eq 0 ] && failed_log="$OUT/redist/tests.log"
if grep -q "CUDA backend cannot start" "$failed_log"; then
  exit 3
fi
exit 1
