#!/usr/bin/env bash
# jcnn's CPU backend against PyTorch on the same machine, taking turns, so that both see the
# same load: LeNet-5 training on MNIST at batch 64 and 256 (images/s and peak resident memory),
# then the latency of predicting one image, the CIFAR-style CNN's and ResNet-20's training
# images/s at batch 64. Each round runs both sides back to back, alternating which goes first;
# the summary gives medians over the rounds and the median of the per-round ratios.
#
# The peer must be fair: Debian's python3-torch runs its products on the generic reference BLAS
# unless libopenblas0-pthread provides libblas.so.3. The script checks the package (dpkg), installs
# it with --install-blas (apt-get, through sudo unless root), or stops saying what to run; then
# every peer measures its own BLAS and refuses the reference one (scripts/peers/blas_check.py).
#
# usage: scripts/bench-vs-pytorch.sh [--install-blas] MNIST_DIR [rounds=5] [steps=300]
#        scripts/bench-vs-pytorch.sh [--install-blas] --blas-only   (the BLAS check alone)
# env:   PEERS   folder of the peer scripts (scripts/peers)
#        PYTHON  the Python with torch (/usr/bin/python3, Debian's python3-torch)
#        THREADS threads for both sides (2; OPENBLAS_NUM_THREADS defaults to it)
#        OUT     folder for the raw results (a new temporary one)
#        JAR     the benchmarks jar (bench/target/benchmarks.jar): another build, to compare two
#        JAVA_HEAP  the JVM's -Xmx (1g); training needs the data plus about 20-50 MB
#        ALLOW_REFERENCE_BLAS=1  run against the reference BLAS anyway: lines are marked, no ratios
set -euo pipefail
cd "$(dirname "$0")/.."
INSTALL_BLAS=0
BLAS_ONLY=0
while [ $# -gt 0 ]; do
  case $1 in
    --install-blas) INSTALL_BLAS=1; shift ;;
    --blas-only) BLAS_ONLY=1; shift ;;
    *) break ;;
  esac
done
PEERS=${PEERS:-scripts/peers}
PYTHON=${PYTHON:-/usr/bin/python3}
export THREADS=${THREADS:-2}
# OpenBLAS starts its own threads, one per core unless told: the peer's products get THREADS as well
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-$THREADS}

# The fair peer: OpenBLAS behind libblas.so.3, then one thread's rate of a 1024x1024 torch.mm.
if ! dpkg -s libopenblas0-pthread > /dev/null 2>&1; then
  if [ "$INSTALL_BLAS" = 1 ]; then
    SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
    "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y libopenblas0-pthread
  elif [ "${ALLOW_REFERENCE_BLAS:-0}" != 1 ]; then
    echo "libopenblas0-pthread is not installed: PyTorch would run on the reference BLAS, an unfair peer." >&2
    echo "Run: sudo apt-get update && sudo apt-get install -y libopenblas0-pthread" >&2
    echo "(or rerun this script with --install-blas; ALLOW_REFERENCE_BLAS=1 measures anyway, without ratios)" >&2
    exit 3
  fi
fi
"$PYTHON" "$PEERS/blas_check.py" 1024 || [ "${ALLOW_REFERENCE_BLAS:-0}" = 1 ] || {
  echo "PyTorch still runs on the reference BLAS (update-alternatives --display libblas.so.3-x86_64-linux-gnu)" >&2
  exit 3
}
[ "$BLAS_ONLY" = 1 ] && exit 0

MNIST=${1:?usage: scripts/bench-vs-pytorch.sh [--install-blas] MNIST_DIR [rounds=5] [steps=300]}
ROUNDS=${2:-5}
STEPS=${3:-300}
OUT=${OUT:-$(mktemp -d)}
JAR=${JAR:-bench/target/benchmarks.jar}
JAVA=(java --add-modules jdk.incubator.vector "-Xmx${JAVA_HEAP:-1g}" -cp "$JAR")

[ -f "$JAR" ] || mvn -B -q -o -Pbench -pl bench -am package -DskipTests
for f in blas_check.py pytorch_lenet.py pytorch_latency_and_cifar.py pytorch_resnet20.py; do
  [ -f "$PEERS/$f" ] || { echo "missing $PEERS/$f (set PEERS)" >&2; exit 2; }
done
mkdir -p "$OUT"
: > "$OUT/results"

# run NAME CMD...: runs CMD under /usr/bin/time and appends "NAME <output line> peak_rss_mb=… load=…".
run() {
  local name=$1; shift
  /usr/bin/time -f "%M" -o "$OUT/rss" "$@" > "$OUT/line" 2> "$OUT/err" || { cat "$OUT/err" >&2; exit 1; }
  { echo "## $name"; cat "$OUT/line"; } >> "$OUT/log"
  local line
  line=$(grep -E 'images/s|predict' "$OUT/line" | tr '\n' ' ')
  echo "$name | $line| peak_rss_mb=$(( $(tail -1 "$OUT/rss") / 1024 )) load=$(cut -d' ' -f1 /proc/loadavg)" \
    | tee -a "$OUT/results"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(java -version 2>&1 | head -1), torch $("$PYTHON" -c 'import torch; print(torch.__version__)'), THREADS=$THREADS" \
  "OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS" \
  | tee -a "$OUT/results"
for round in $(seq 1 "$ROUNDS"); do
  for batch in 64 256; do
    sides=(pytorch jcnn)
    (( round % 2 == 0 )) && sides=(jcnn pytorch)
    for side in "${sides[@]}"; do
      if [ "$side" = pytorch ]; then
        run "train pytorch bs=$batch round=$round" "$PYTHON" "$PEERS/pytorch_lenet.py" "$MNIST" "$STEPS" "$batch"
      else
        run "train jcnn bs=$batch round=$round" "${JAVA[@]}" dev.jcnn.bench.TrainBench "$MNIST" "$STEPS" "$batch"
      fi
    done
  done
  run "extras pytorch round=$round" "$PYTHON" "$PEERS/pytorch_latency_and_cifar.py"
  run "extras jcnn-latency round=$round" "${JAVA[@]}" dev.jcnn.bench.LatencyBench
  run "extras jcnn-cifar round=$round" "${JAVA[@]}" dev.jcnn.bench.CifarBench
  sides=(pytorch jcnn)
  (( round % 2 == 0 )) && sides=(jcnn pytorch)
  for side in "${sides[@]}"; do
    if [ "$side" = pytorch ]; then
      run "resnet20 pytorch round=$round" "$PYTHON" "$PEERS/pytorch_resnet20.py" 30 64
    else
      run "resnet20 jcnn round=$round" "${JAVA[@]}" dev.jcnn.bench.CifarBench resnet20 30
    fi
  done
done

"$PYTHON" - "$OUT/results" <<'PY'
import re, statistics, sys
rows = [l for l in open(sys.argv[1]) if not l.startswith("#")]
unfair = any("REFERENCE-BLAS" in l for l in rows)
def med(xs): return statistics.median(xs) if xs else float("nan")
def ratio(j, p): return float("nan") if unfair else j / p
if unfair:
    print("\nPyTorch ran on the REFERENCE BLAS (ALLOW_REFERENCE_BLAS=1): not a fair peer, no ratios printed.")
def grab(pattern, name):
    return [float(m.group(1)) for l in rows if l.startswith(name) for m in [re.search(pattern, l)] if m]
print("\n| batch | PyTorch images/s (median) | jcnn images/s (median) | ratio of medians | median of per-round ratios | per-round ratios |")
print("|---|---|---|---|---|---|")
for bs in (64, 256):
    py = grab(r"images/s=(\d+)", f"train pytorch bs={bs} ")
    jc = grab(r"images/s=(\d+)", f"train jcnn bs={bs} ")
    ratios = [ratio(j, p) for j, p in zip(jc, py)]
    print(f"| {bs} | {med(py):.0f} | {med(jc):.0f} | {ratio(med(jc), med(py)):.2f} | {med(ratios):.2f} | "
          + ", ".join(f"{r:.2f}" for r in ratios) + " |")
print("\n| batch | PyTorch peak RSS MB (median) | jcnn peak RSS MB (median) | jcnn live heap MB (data MB) |")
print("|---|---|---|---|")
for bs in (64, 256):
    py = grab(r"peak_rss_mb=(\d+) load", f"train pytorch bs={bs} ")
    jc = grab(r"peak_rss_mb=(\d+) load", f"train jcnn bs={bs} ")
    live = grab(r"live_heap_mb=(\d+)", f"train jcnn bs={bs} ")
    data = grab(r"data_mb=(\d+)", f"train jcnn bs={bs} ")
    print(f"| {bs} | {med(py):.0f} | {med(jc):.0f} | {med(live):.0f} ({med(data):.0f}) |")
lp = grab(r"median (\d+) us", "extras pytorch")
lj = grab(r"median (\d+) us", "extras jcnn-latency")
cp = grab(r"bs=64: (\d+) images/s", "extras pytorch")
cj = grab(r"bs=64: (\d+) images/s", "extras jcnn-cifar")
print(f"\nLeNet-5 predict one image, median of medians: PyTorch {med(lp):.0f} us, jcnn {med(lj):.0f} us "
      f"(PyTorch / jcnn {ratio(med(lp), med(lj)):.2f})")
print(f"CIFAR-style CNN training, batch 64, median: PyTorch {med(cp):.0f} images/s, jcnn {med(cj):.0f} images/s "
      f"(ratio {ratio(med(cj), med(cp)):.2f})")
rp = grab(r"bs=64: (\d+) images/s", "resnet20 pytorch")
rj = grab(r"bs=64: (\d+) images/s", "resnet20 jcnn")
rr = [ratio(j, p) for j, p in zip(rj, rp)]
print(f"ResNet-20 training, batch 64, median: PyTorch {med(rp):.0f} images/s, jcnn {med(rj):.0f} images/s "
      f"(ratio of medians {ratio(med(rj), med(rp)):.2f}; per round " + ", ".join(f"{r:.2f}" for r in rr) + ")")
blas = sorted({m.group(0) for l in rows for m in [re.search(r"blas_lib=\S+ blas_gflops=\S+", l)] if m})
print("PyTorch's BLAS: " + "; ".join(blas))
PY
echo "raw results: $OUT/results (every run's whole output: $OUT/log)"
