package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The backend's own kernels: the PTX module loaded through the driver API (the driver
 * compiles it for the GPU at hand) and launches checked against each kernel's signature.
 */
final class Kernels implements KernelLauncher, AutoCloseable {

    /** Most blocks of an elementwise launch; the kernels stride over the rest. */
    static final int MAX_BLOCKS = 65_535;

    /** Most blocks of a reducing launch: the length of the partial-sum buffer. */
    static final int MAX_REDUCE_BLOCKS = 1024;

    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new IdentityHashMap<>();
    private boolean loaded;

    Kernels() {
        String ptx = readPtx();
        int r = cuModuleLoadData(module, ptx);
        Status.cu(r, "cuModuleLoadData(" + Kernel.PTX_RESOURCE + ", " + ptxHeader(ptx) + ")");
        loaded = true;
        for (Kernel k : Kernel.values()) {
            CUfunction f = new CUfunction();
            Status.cu(cuModuleGetFunction(f, module, k.entry()), "cuModuleGetFunction(" + k.entry() + ")");
            functions.put(k, f);
        }
    }

    static String readPtx() {
        try (InputStream in = Kernels.class.getResourceAsStream(Kernel.PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the kernels' PTX " + Kernel.PTX_RESOURCE + " is missing from the"
                        + " class path (dev/jcnn/cuda/" + Kernel.PTX_RESOURCE + " in jcnn-cuda-backend)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + Kernel.PTX_RESOURCE, e);
        }
    }

    /** The .version and .target lines, for messages. */
    static String ptxHeader(String ptx) {
        StringBuilder b = new StringBuilder();
        for (String line : ptx.split("\n")) {
            if (line.startsWith(".version") || line.startsWith(".target")) {
                b.append(b.length() > 0 ? " " : "").append(line.strip());
            }
        }
        return b.toString();
    }

    /** Blocks for an elementwise launch over {@code work} items. */
    static int blocksFor(long work) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (work + Kernel.BLOCK - 1) / Kernel.BLOCK));
    }

    /** Blocks for a reducing launch over {@code work} items (at most the partial buffer's length). */
    static int reduceBlocksFor(long work) {
        return (int) Math.max(1, Math.min(MAX_REDUCE_BLOCKS, (work + Kernel.BLOCK - 1) / Kernel.BLOCK));
    }

    /** Launches {@code k} over {@code work} items on the default stream. */
    @Override
    public void launch(Kernel k, long work, Object... args) {
        launchGrid(k, blocksFor(work), args);
    }

    /** Launches {@code k} with exactly {@code blocks} blocks of {@link Kernel#BLOCK} threads. */
    void launchGrid(Kernel k, int blocks, Object... args) {
        k.checkArguments(args);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                params[i] = Pointer.to(new long[] {0L});
            } else if (a instanceof DevicePointer p) {
                params[i] = Pointer.to(p.pointer());
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else {
                params[i] = Pointer.to(new double[] {(Double) a});
            }
        }
        Status.cu(cuLaunchKernel(functions.get(k), blocks, 1, 1, Kernel.BLOCK, 1, 1, 0, null, Pointer.to(params), null),
                "cuLaunchKernel(" + k.entry() + ", " + blocks + " blocks)");
    }

    @Override
    public void close() {
        if (loaded) {
            loaded = false;
            Status.cu(cuModuleUnload(module), "cuModuleUnload(" + Kernel.PTX_RESOURCE + ")");
        }
    }
}
