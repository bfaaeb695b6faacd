package dev.jcnn.cuda;

import static jcuda.jcudnn.cudnnDataType.CUDNN_DATA_FLOAT;
import static jcuda.jcudnn.cudnnTensorFormat.CUDNN_TENSOR_NCHW;

import dev.jcnn.backend.Availability;
import dev.jcnn.cuda.natives.JCudaLoader;
import dev.jcnn.cuda.natives.NativeProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnActivationMode;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnPoolingMode;
import jcuda.jcudnn.cudnnStatus;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * Run in a JVM of its own by {@link RedistLibrariesTest}, with the redist jar on the class
 * path and only a stand-in libcuda.so.1 on LD_LIBRARY_PATH: starts the backend as on a
 * machine with a driver and nothing else, calls into the real cuBLAS and cuDNN through
 * JCuda, and prints what it saw, one "key: value" a line.
 */
public final class RedistLoadMain {

    private RedistLoadMain() {
    }

    public static void main(String[] args) throws IOException {
        NativeProbe probe = NativeProbe.system();
        NativeProbe.Result r = probe.check();
        if (!r.ok()) {
            System.out.println("problem: " + r.problem());
            return;
        }
        System.out.println("cublas: " + r.plan().cublas().path());
        System.out.println("cudnn: " + r.plan().cudnn().path());
        long t0 = System.nanoTime();
        System.out.println("loaded: " + JCudaLoader.load(r.plan()).description());
        System.out.printf("loadSeconds: %.2f%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("cudnnGetVersion: " + JCudnn.cudnnGetVersion());
        System.out.println("cublasCreate: " + JCublas2.cublasCreate(new cublasHandle()));
        // host-only calls, served by cuDNN's sub-libraries, which libcudnn.so.9 opens by name
        cudnnTensorDescriptor x = new cudnnTensorDescriptor();
        cudnnFilterDescriptor w = new cudnnFilterDescriptor();
        cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
        int[] s = {JCudnn.cudnnCreateTensorDescriptor(x), JCudnn.cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NCHW,
                CUDNN_DATA_FLOAT, 2, 3, 9, 11), JCudnn.cudnnCreateFilterDescriptor(w),
            JCudnn.cudnnSetFilter4dDescriptor(w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, 8, 3, 3, 3),
            JCudnn.cudnnCreateConvolutionDescriptor(conv), JCudnn.cudnnSetConvolution2dDescriptor(conv, 1, 1, 2, 2, 1,
                    1, cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT)};
        System.out.println("descriptorStatuses: " + java.util.Arrays.toString(s));
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] wd = new int[1];
        int status = JCudnn.cudnnGetConvolution2dForwardOutputDim(conv, x, w, n, c, h, wd);
        System.out.println("convOutputDim: " + status + " " + n[0] + "x" + c[0] + "x" + h[0] + "x" + wd[0]);
        // cuDNN 9's error codes and the enum values the backend passes (JCudnn's, from cuDNN 8.4's headers)
        int bad = JCudnn.cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 0, 3, 9, 11);
        System.out.println("badParam: " + bad + " " + JCudnn.cudnnGetErrorString(bad) + " | JCudnn's name: "
                + cudnnStatus.stringFor(bad) + " | cuDNN 8's code 3 now: " + JCudnn.cudnnGetErrorString(3));
        System.out.println("mathTypes: " + JCudnn.cudnnSetConvolutionMathType(conv, 3) + " "
                + JCudnn.cudnnSetConvolutionMathType(conv, 1) + " " + JCudnn.cudnnSetConvolutionMathType(conv, 0) + " "
                + JCudnn.cudnnSetConvolutionMathType(conv, 99));
        cudnnPoolingDescriptor pool = new cudnnPoolingDescriptor();
        int[] p = {JCudnn.cudnnCreatePoolingDescriptor(pool), JCudnn.cudnnSetPooling2dDescriptor(pool,
                cudnnPoolingMode.CUDNN_POOLING_MAX_DETERMINISTIC, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 2, 2, 0, 0, 2,
                2), JCudnn.cudnnGetPooling2dForwardOutputDim(pool, x, n, c, h, wd)};
        System.out.println("pooling: " + java.util.Arrays.toString(p) + " " + n[0] + "x" + c[0] + "x" + h[0] + "x" + wd[0]);
        cudnnActivationDescriptor act = new cudnnActivationDescriptor();
        System.out.println("activation: " + JCudnn.cudnnCreateActivationDescriptor(act) + " "
                + JCudnn.cudnnSetActivationDescriptor(act, cudnnActivationMode.CUDNN_ACTIVATION_RELU,
                        cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0)
                + " " + JCudnn.cudnnSetActivationDescriptor(act, 99, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0));
        TreeSet<String> mapped = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0) {
                Path file = Path.of(line.substring(slash));
                if (file.getFileName().toString().matches("lib(cudnn|cublas|nvrtc).*\\.so.*")) {
                    mapped.add(file.toString());
                }
            }
        }
        mapped.forEach(m -> System.out.println("mapped: " + m));
        Availability a = new CudaBackendProvider(probe).availability();
        System.out.println("available: " + a.available());
        System.out.println("reason: " + a.reason());
    }
}
