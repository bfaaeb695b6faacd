#!/usr/bin/env bash
# jcnn's CPU backend against PyTorch on the same machine, taking turns, so that both see the
# same load: LeNet-5 training on MNIST at batch 64 and 256 (images/s and peak resident memory),
# then the latency of predicting one image and the CIFAR-style CNN's training images/s.
# Each round runs both sides back to back, alternating which goes first; the summary gives
# medians over the rounds and the median of the per-round ratios.
#
# usage: scripts/bench-vs-pytorch.sh MNIST_DIR [rounds=5] [steps=300]
# env:   PEERS   folder of pytorch_lenet.py and pytorch_latency_and_cifar.py (../shared/bench)
#        PYTHON  the Python with torch (/usr/bin/python3, Debian's python3-torch)
#        THREADS threads for both sides (2)
#        OUT     folder for the raw results (a new temporary one)
#        JAVA_HEAP  the JVM's -Xmx (1g); training needs the data plus about 20-50 MB
set -euo pipefail
cd "$(dirname "$0")/.."
MNIST=${1:?usage: scripts/bench-vs-pytorch.sh MNIST_DIR [rounds=5] [steps=300]}
ROUNDS=${2:-5}
STEPS=${3:-300}
PEERS=${PEERS:-../shared/bench}
PYTHON=${PYTHON:-/usr/bin/python3}
export THREADS=${THREADS:-2}
OUT=${OUT:-$(mktemp -d)}
JAR=bench/target/benchmarks.jar
JAVA=(java --add-modules jdk.incubator.vector "-Xmx${JAVA_HEAP:-1g}" -cp "$JAR")

[ -f "$JAR" ] || mvn -B -q -o -Pbench -pl bench -am package -DskipTests
for f in pytorch_lenet.py pytorch_latency_and_cifar.py; do
  [ -f "$PEERS/$f" ] || { echo "missing $PEERS/$f (set PEERS)" >&2; exit 2; }
done
mkdir -p "$OUT"
: > "$OUT/results"

# run NAME CMD...: runs CMD under /usr/bin/time and appends "NAME <output line> peak_rss_mb=… load=…".
run() {
  local name=$1; shift
  /usr/bin/time -f "%M" -o "$OUT/rss" "$@" > "$OUT/line" 2> "$OUT/err" || { cat "$OUT/err" >&2; exit 1; }
  local line
  line=$(grep -E 'images/s|predict' "$OUT/line" | tr '\n' ' ')
  echo "$name | $line| peak_rss_mb=$(( $(tail -1 "$OUT/rss") / 1024 )) load=$(cut -d' ' -f1 /proc/loadavg)" \
    | tee -a "$OUT/results"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(java -version 2>&1 | head -1), torch $("$PYTHON" -c 'import torch; print(torch.__version__)'), THREADS=$THREADS" \
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
done

"$PYTHON" - "$OUT/results" <<'PY'
import re, statistics, sys
rows = [l for l in open(sys.argv[1]) if not l.startswith("#")]
def med(xs): return statistics.median(xs) if xs else float("nan")
def grab(pattern, name):
    return [float(m.group(1)) for l in rows if l.startswith(name) for m in [re.search(pattern, l)] if m]
print("\n| batch | PyTorch images/s (median) | jcnn images/s (median) | ratio of medians | median of per-round ratios | per-round ratios |")
print("|---|---|---|---|---|---|")
for bs in (64, 256):
    py = grab(r"images/s=(\d+)", f"train pytorch bs={bs} ")
    jc = grab(r"images/s=(\d+)", f"train jcnn bs={bs} ")
    ratios = [j / p for j, p in zip(jc, py)]
    print(f"| {bs} | {med(py):.0f} | {med(jc):.0f} | {med(jc) / med(py):.2f} | {med(ratios):.2f} | "
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
print(f"\nLeNet-5 predict one image, median of medians: PyTorch {med(lp):.0f} us, jcnn {med(lj):.0f} us")
print(f"CIFAR-style CNN training, batch 64, median: PyTorch {med(cp):.0f} images/s, jcnn {med(cj):.0f} images/s "
      f"(ratio {med(cj) / med(cp):.2f})")
PY
echo "raw results: $OUT/results"
