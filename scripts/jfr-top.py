#!/usr/bin/python3
"""Summarises a JFR recording's execution samples: where the CPU time goes.

usage: scripts/jfr-top.py RECORDING.jfr [top=25] [METHOD]
Prints the share of samples per method at the top of the stack (self time), and per jcnn
op family (the outermost dev.jcnn.cpu frame below the CpuBackend facade: inclusive time).
With METHOD (a suffix such as Arrays.fill), also who calls it.
"""
import collections, re, subprocess, sys

rec = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
focus = sys.argv[3] if len(sys.argv) > 3 else None
callers = collections.Counter()
text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", rec],
                      check=True, capture_output=True, text=True).stdout
self_counts, op_counts = collections.Counter(), collections.Counter()
total = 0
for block in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", block, re.M)
    if not frames:
        continue
    total += 1
    self_counts[frames[0]] += 1
    inner = [f for f in frames if f.startswith("dev.jcnn.cpu.") and not f.startswith(
        ("dev.jcnn.cpu.CpuBackend.", "dev.jcnn.cpu.Parallel", "dev.jcnn.cpu.Gemm", "dev.jcnn.cpu.Scratch"))]
    op = inner[-1].split("$")[0].rsplit(".", 1)[0] + "." + re.sub(r"^lambda\$(\w+?)\$\d+$", r"\1", inner[-1].rsplit(".", 1)[1]) if inner else (
        next((f for f in frames if f.startswith("dev.jcnn.")), "(outside jcnn) " + frames[-1]))
    op_counts[op] += 1
    if focus and frames[0].endswith(focus) and len(frames) > 1:
        callers[frames[1]] += 1
print(f"{total} samples")
print("\nself time (top of stack)")
for f, c in self_counts.most_common(top):
    print(f"{100.0 * c / total:6.1f}%  {f}")
print("\ninclusive time per op family (outermost dev.jcnn.cpu frame)")
for f, c in op_counts.most_common(top):
    print(f"{100.0 * c / total:6.1f}%  {f}")
if focus:
    print(f"\ncallers of {focus}")
    for f, c in callers.most_common(top):
        print(f"{100.0 * c / total:6.1f}%  {f}")
