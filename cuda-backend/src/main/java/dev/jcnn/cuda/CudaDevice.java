package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * One GPU and its primary context (the one the CUDA runtime inside cuBLAS and cuDNN uses
 * too), with device memory allocation that turns out-of-memory into a clear message.
 */
final class CudaDevice implements AutoCloseable {

    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final String name;
    private final int ccMajor;
    private final int ccMinor;
    private final long totalMemory;
    private boolean open;

    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        Status.cu(cuInit(0), "cuInit");
        Status.cu(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        Status.cu(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        open = true;
        makeCurrent();
        byte[] raw = new byte[256];
        Status.cu(cuDeviceGetName(raw, raw.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        name = new String(raw, 0, len, StandardCharsets.US_ASCII);
        int[] v = new int[1];
        Status.cu(cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
                "cuDeviceGetAttribute(compute capability major)");
        ccMajor = v[0];
        Status.cu(cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
                "cuDeviceGetAttribute(compute capability minor)");
        ccMinor = v[0];
        long[] total = new long[1];
        Status.cu(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        totalMemory = total[0];
    }

    /** Makes this device's context current on the calling thread (cheap; done at the start of every op). */
    void makeCurrent() {
        Status.cu(cuCtxSetCurrent(context), "cuCtxSetCurrent(device " + ordinal + ")");
    }

    /** Waits for all queued work; errors of earlier asynchronous launches surface here, named by {@code after}. */
    void synchronize(String after) {
        Status.cu(cuCtxSynchronize(), "cuCtxSynchronize after " + after);
    }

    /**
     * Allocates device memory.
     *
     * @param what names the request for the error message, e.g. "tensor (64, 32, 28, 28)"
     * @throws CudaOutOfMemoryException naming the request, its size and the free memory
     */
    CUdeviceptr allocate(long bytes, String what) {
        CUdeviceptr p = new CUdeviceptr();
        int r = cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            long[] free = new long[1];
            long[] total = new long[1];
            cuMemGetInfo(free, total);
            throw new CudaOutOfMemoryException("out of GPU memory: " + what + " needs " + bytes(bytes) + ", but only "
                    + bytes(free[0]) + " of " + bytes(total[0]) + " is free on " + name + " (device " + ordinal + ")");
        }
        Status.cu(r, "cuMemAlloc(" + bytes + " bytes for " + what + ")");
        return p;
    }

    void free(CUdeviceptr p, String what) {
        Status.cu(cuMemFree(p), "cuMemFree(" + what + ")");
    }

    /** Free and total device memory, in bytes. */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        Status.cu(cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    String name() {
        return name;
    }

    int ordinal() {
        return ordinal;
    }

    String computeCapability() {
        return "sm_" + ccMajor + ccMinor;
    }

    long totalMemory() {
        return totalMemory;
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return b + " bytes";
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            Status.cu(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease(device " + ordinal + ")");
        }
    }
}
