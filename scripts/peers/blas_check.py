"""Refuses to serve as a CPU peer when PyTorch's matrix products run on the reference BLAS.

Debian's python3-torch links the generic libblas.so.3; unless OpenBLAS provides it
(`apt-get install libopenblas0-pthread`, which switches the libblas.so.3 alternative), torch.mm
runs at a few GFLOP/s and every dense layer is about ten times slower than PyTorch elsewhere:
an unfair peer. BLAS_INFO in torch.__config__ is a build setting (Debian's build says
"generic" whichever library the alternative points at), so the check is the measured rate of
a product on one thread (the fastest of several, so that a busy machine lowers it less) together
with the library the process actually mapped: OpenBLAS mapped, or 6 GFLOP/s and more, is fair.
ALLOW_REFERENCE_BLAS=1 lets a run go on anyway; its figures are then marked REFERENCE-BLAS
and scripts/bench-vs-pytorch.sh prints no ratio for them."""
import os, re, sys, time, torch

# Below this a 512x512 product on one thread is the reference BLAS (about 3 GFLOP/s on the
# machines measured; OpenBLAS gives 40-60 on one AVX-512 core).
FAIR_GFLOPS = 6.0


def blas_info():
    """BLAS_INFO from torch.__config__ (the build's setting)."""
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def loaded_blas():
    """The file name of the BLAS library this process mapped (after a product has run)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {os.path.realpath(l.split()[-1]) for l in f if re.search(r"lib(open)?blas", l)}
    except OSError:
        return "unknown"
    return ",".join(sorted(os.path.basename(p) for p in libs)) or "none"


def blas_gflops(n=512, reps=20):
    """One thread's GFLOP/s for an n x n product: the fastest of reps, so that a busy machine lowers it less."""
    threads = torch.get_num_threads(); torch.set_num_threads(1)
    a = torch.randn(n, n)
    for _ in range(3): a @ a
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); a @ a; best = min(best, time.perf_counter() - t)
    torch.set_num_threads(threads)
    return 2 * n ** 3 / best / 1e9


def require_fair_blas():
    """The tag every peer line ends with; exits when the BLAS is the reference one (unless allowed)."""
    g = blas_gflops()
    lib = loaded_blas()
    tag = f"blas_info={blas_info()} blas_lib={lib} blas_gflops={g:.0f}"
    if g < FAIR_GFLOPS and "openblas" not in lib:
        if os.environ.get("ALLOW_REFERENCE_BLAS") != "1":
            sys.exit(f"PyTorch's BLAS ({tag}) runs a 512x512 product at {g:.1f} GFLOP/s on one thread: the "
                     f"reference BLAS, not a fair peer. Install libopenblas0-pthread "
                     f"(scripts/bench-vs-pytorch.sh --install-blas does), or set ALLOW_REFERENCE_BLAS=1.")
        tag += "(REFERENCE-BLAS)"
    return tag


if __name__ == "__main__":
    # python3 blas_check.py [n=1024]: BLAS_INFO, the loaded library and one thread's GFLOP/s for an n x n torch.mm
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    g = blas_gflops(n, 10)
    lib = loaded_blas()
    fair = g >= FAIR_GFLOPS or "openblas" in lib
    print(f"torch {torch.__version__} BLAS_INFO={blas_info()} loaded={lib} "
          f"torch.mm {n}x{n} one thread: {g:.1f} GFLOP/s (best of 10)" + ("" if fair else " (REFERENCE BLAS)"))
    sys.exit(0 if fair else 1)
