#!/usr/bin/env bash
# Prepares .gpu/: everything a GPU machine without network, Maven or Java needs to run the CUDA
# backend's GPU suites (parity against the CPU, core's conformance, the golden cases, LeNet-5),
# the LeNet-5 benchmark and the PyTorch peers; run.sh inside is the one command to run there.
#
# usage: scripts/gpu-kit.sh [--check] [--redist[=JAR]]
#   --check   afterwards run .gpu/run.sh here, where it must fail only for want of a GPU
#   --redist  also copy the redist jar with cuBLAS and cuDNN (2 GB; default: the one in ~/.m2) into
#             .gpu/redist/, so that run.sh runs the suites a second time with those libraries. Such a
#             kit is too large to carry to a lent device machine (64 MiB); for one, put the jar on the
#             GPU machine and run JCNN_REDIST_JAR=FILE .gpu/run.sh instead.
# Docs: docs/cuda.md ("The GPU kit").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
kit="$root/.gpu"
shared=${JCNN_SHARED:-$root/../shared}
[ -d "$shared/bench" ] || shared=/work/shared

# offline: everything the build needs is in the local repository once the project has built
mvn_opts=(-B -q -o)

check=
redist=
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --redist) redist="$HOME/.m2/repository/org/bytedeco/cuda/12.6-9.5-1.5.11/cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar" ;;
    --redist=*) redist=${arg#--redist=} ;;
    *) echo "gpu-kit: unknown argument $arg (expected --check, --redist or --redist=JAR)" >&2; exit 2 ;;
  esac
done
if [ -n "$redist" ] && [ ! -f "$redist" ]; then
  echo "gpu-kit: no redist jar at $redist (mvn dependency:get -Dartifact=org.bytedeco:cuda:12.6-9.5-1.5.11:jar:linux-x86_64-redist)" >&2
  exit 2
fi

echo "gpu-kit: building the modules and their test classes"
rm -rf "$kit"
mkdir -p "$kit/lib"
# One reactor run: the sibling modules' jars and test-jars come from their target folders.
mvn "${mvn_opts[@]}" -pl cuda-backend -am package dependency:copy-dependencies -DskipTests \
  -DincludeScope=test -DexcludeGroupIds=dev.jcnn -DoutputDirectory="$kit/lib"
version=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)
for m in core cpu-reference cuda-backend; do
  cp "$m"/target/jcnn-"$m"-"$version".jar "$kit/lib/" 2>/dev/null || cp "$m"/target/*"$version".jar "$kit/lib/"
  if ls "$m"/target/*-tests.jar >/dev/null 2>&1; then cp "$m"/target/*-tests.jar "$kit/lib/"; fi
done
# cuda-backend's test classes (the GPU suites) as a folder: the JUnit launcher lists them by
# class, because the small runtime has no zip file system for scanning jars.
cp -r cuda-backend/target/test-classes "$kit/test-classes"
# KernelPtxTest, HostKernelTest and RetargetedLoadTest read the source tree (and need a C or
# C++ compiler), and so do the redist jar's host-side tests (RedistJarTest starts JVMs on the
# build's class path): build-only.
(cd "$kit/test-classes" && find dev -name '*Test.class' ! -name '*$*' | sed 's/\.class$//; s:/:.:g' | sort \
  | grep -v -e '\.KernelPtxTest$' -e '\.HostKernelTest$' -e '\.RetargetedLoadTest$' \
      -e '\.RedistJarTest$' -e '\.RedistLibrariesTest$' -e '\.RedistDocTest$' -e '\.ExportCheckTest$' \
      -e '\.HeaderConstantsTest$') > "$kit/tests.txt"
# Maven-only artifacts the launcher does not need:
rm -f "$kit"/lib/jmh-*.jar

# The JUnit console launcher, of the platform version that goes with the Jupiter version in use.
jupiter=$(ls "$kit"/lib/junit-jupiter-api-*.jar | sed 's/.*junit-jupiter-api-\(.*\)\.jar/\1/')
platform="1.${jupiter#5.}"
console=org.junit.platform:junit-platform-console-standalone:$platform
if ! mvn "${mvn_opts[@]}" dependency:copy -Dartifact="$console" -DoutputDirectory="$kit/tools" >/dev/null 2>&1; then
  mvn -B -q dependency:copy -Dartifact="$console" -DoutputDirectory="$kit/tools"
fi
# The console launcher brings the platform and Jupiter itself; drop the duplicates.
rm -f "$kit"/lib/junit-*.jar "$kit"/lib/opentest4j-*.jar "$kit"/lib/apiguardian-*.jar

echo "gpu-kit: Java runtime"
bash "$shared/gpu/make-jre.sh" "$kit/jre.tgz" >/dev/null

echo "gpu-kit: data, benchmark peers, run script"
mkdir -p "$kit/mnist" "$kit/bench"
cp samples/src/test/resources/mnist-slice/*.gz "$kit/mnist/"
cp "$shared"/bench/*.py "$kit/bench/"
cp scripts/gpu-kit/run.sh "$kit/run.sh"
chmod +x "$kit/run.sh"
git rev-parse HEAD > "$kit/COMMIT" 2>/dev/null || true

size=$(du -sm "$kit" | cut -f1)
echo "gpu-kit: $kit is ${size} MiB ($(ls "$kit/lib" | wc -l) jars)"
if [ -n "$redist" ]; then
  mkdir -p "$kit/redist"
  cp -l "$redist" "$kit/redist/" 2>/dev/null || cp "$redist" "$kit/redist/"
  echo "gpu-kit: with $(basename "$redist") in $kit/redist ($(du -sm "$kit" | cut -f1) MiB in all: copy it to the GPU machine yourself)"
elif [ "$size" -ge 60 ]; then
  echo "gpu-kit: too large to carry (the tree and the kit must stay under 64 MiB together)" >&2
  exit 1
fi

if [ -n "$check" ]; then
  echo "gpu-kit: checking run.sh here (no GPU: it must fail for that reason only)"
  out=$(mktemp -d)
  set +e
  (cd "$kit" && OUT="$out" ./run.sh) > "$out/check.log" 2>&1
  rc=$?
  set -e
  tail -n 25 "$out/check.log"
  # every failure must be the requireGpu one: anything else is a defect of the kit or the suites
  others=$(grep -hE '^\s+=> ' "$out/tests.log" ${redist:+"$out/redist/tests.log"} \
    | grep -v -e 'jcnn.requireGpu=true, but the CUDA backend cannot start' || true)
  if [ -n "$others" ]; then
    echo "gpu-kit: check FAILED: failures other than the missing GPU:" >&2
    echo "$others" | sort | uniq -c >&2
    exit 1
  fi
  if [ "$rc" -eq 3 ] && grep -q "CUDA backend cannot start" "$out/junit/summary.txt"; then
    echo "gpu-kit: check passed: run.sh ran the suites and failed only because this machine has no GPU"
  else
    echo "gpu-kit: check FAILED (run.sh exit $rc); the log is $out/check.log" >&2
    exit 1
  fi
fi
