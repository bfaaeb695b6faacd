package dev.jcnn.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetMathMode;
import static jcuda.jcublas.JCublas2.cublasSetPointerMode;
import static jcuda.jcudnn.JCudnn.cudnnCreate;
import static jcuda.jcudnn.JCudnn.cudnnDestroy;
import static jcuda.jcudnn.JCudnn.cudnnGetVersion;

import dev.jcnn.backend.Numerics;
import java.util.ArrayList;
import java.util.List;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcudnn.cudnnHandle;

/**
 * What every op family shares: the device and its context, the cuDNN and cuBLAS handles
 * (both on the default stream), the kernels, scratch buffers and cached descriptors, and
 * the numerics mode. Exact numerics sets cuBLAS to pedantic math (no TF32, no reduced
 * precision); fast numerics allows TF32 tensor cores.
 */
final class Gpu implements AutoCloseable {

    final CudaDevice device;
    final Numerics numerics;
    final cudnnHandle cudnn = new cudnnHandle();
    final cublasHandle cublas = new cublasHandle();
    final Kernels kernels;
    final Scratch scratch;
    final Descriptors descriptors;
    final int cublasVersion;
    final long cudnnVersion;
    /** Synchronise after every op, so an asynchronous error names the op that caused it (-Djcnn.cuda.sync=true). */
    final boolean syncEveryOp = Boolean.getBoolean("jcnn.cuda.sync");
    private final List<AutoCloseable> owned = new ArrayList<>();

    Gpu(int ordinal, Numerics numerics) {
        this.numerics = numerics;
        device = new CudaDevice(ordinal);
        owned.add(device);
        try {
            Status.cudnn(cudnnCreate(cudnn), "cudnnCreate");
            owned.add(() -> Status.cudnn(cudnnDestroy(cudnn), "cudnnDestroy"));
            Status.cublas(cublasCreate(cublas), "cublasCreate");
            owned.add(() -> Status.cublas(cublasDestroy(cublas), "cublasDestroy"));
            Status.cublas(cublasSetPointerMode(cublas, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode(host)");
            int math = numerics == Numerics.EXACT ? cublasMath.CUBLAS_PEDANTIC_MATH : cublasMath.CUBLAS_TF32_TENSOR_OP_MATH;
            Status.cublas(cublasSetMathMode(cublas, math), "cublasSetMathMode(" + cublasMath.stringFor(math) + ")");
            int[] v = new int[1];
            Status.cublas(cublasGetVersion(cublas, v), "cublasGetVersion");
            cublasVersion = v[0];
            cudnnVersion = cudnnGetVersion();
            kernels = new Kernels();
            owned.add(kernels);
            scratch = new Scratch(device);
            owned.add(scratch);
            descriptors = new Descriptors();
            owned.add(descriptors);
        } catch (RuntimeException e) {
            try {
                Descriptors.closeAll(owned);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Called at the end of an op: checks for asynchronous errors when -Djcnn.cuda.sync=true. */
    void done(String op) {
        if (syncEveryOp) {
            device.synchronize(op);
        }
    }

    /** cuDNN's version number as major.minor.patch (8.x: 8902 → 8.9.2; 9.x: 90100 → 9.1.0). */
    static String cudnnVersionString(long v) {
        if (v >= 90000) {
            return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
        }
        return (v / 1000) + "." + (v / 100 % 10) + "." + (v % 100);
    }

    /** cuBLAS's version number as major.minor.patch (e.g. 120405 → 12.4.5; 11xxx → 11.x.x). */
    static String cublasVersionString(int v) {
        if (v >= 100000) {
            return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
        }
        return (v / 1000) + "." + (v / 100 % 10) + "." + (v % 100);
    }

    @Override
    public void close() {
        device.makeCurrent();
        Descriptors.closeAll(owned);
    }
}
