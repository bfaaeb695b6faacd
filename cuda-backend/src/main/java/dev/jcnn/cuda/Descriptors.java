package dev.jcnn.cuda;

import static jcuda.jcudnn.JCudnn.cudnnCreateFilterDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnCreateTensorDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyFilterDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyTensorDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetFilter4dDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetTensor4dDescriptor;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;

/**
 * cuDNN tensor descriptors for the shapes the elementwise ops meet, made once per shape and
 * reused (cached by the 4-D dimensions), plus factories for plans that own theirs.
 */
final class Descriptors implements AutoCloseable {

    /** A 4-D NCHW view of any shape: rank 4 as it is, else (d0, d1, the rest multiplied, 1). */
    static int[] nchw(Shape s) {
        int[] d = s.dims();
        if (d.length == 4) {
            return d;
        }
        int n = d[0];
        int c = d.length > 1 ? d[1] : 1;
        long rest = 1;
        for (int i = 2; i < d.length; i++) {
            rest *= d[i];
        }
        return new int[] {n, c, (int) rest, 1};
    }

    /** A flat (1, 1, 1, size) view for ops that treat a tensor as a list of values. */
    static int[] flat(Shape s) {
        return new int[] {1, 1, 1, s.size()};
    }

    private final PlanCache<List<Integer>, Owned> cache = new PlanCache<>(64);

    /** A descriptor for these NCHW dimensions, shared: do not destroy it. */
    cudnnTensorDescriptor tensor(int[] nchw) {
        List<Integer> key = List.of(nchw[0], nchw[1], nchw[2], nchw[3]);
        return cache.get(key, k -> new Owned(newTensor(nchw))).descriptor();
    }

    /** A new float NCHW tensor descriptor; the caller destroys it. */
    static cudnnTensorDescriptor newTensor(int[] nchw) {
        cudnnTensorDescriptor d = new cudnnTensorDescriptor();
        Status.cudnn(cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
        Status.cudnn(cudnnSetTensor4dDescriptor(d, cudnnTensorFormat.CUDNN_TENSOR_NCHW, cudnnDataType.CUDNN_DATA_FLOAT,
                nchw[0], nchw[1], nchw[2], nchw[3]), "cudnnSetTensor4dDescriptor" + List.of(nchw[0], nchw[1], nchw[2],
                nchw[3]));
        return d;
    }

    /** A new float filter descriptor (K, C, kh, kw); the caller destroys it. */
    static cudnnFilterDescriptor newFilter(Shape w) {
        cudnnFilterDescriptor d = new cudnnFilterDescriptor();
        Status.cudnn(cudnnCreateFilterDescriptor(d), "cudnnCreateFilterDescriptor");
        Status.cudnn(cudnnSetFilter4dDescriptor(d, cudnnDataType.CUDNN_DATA_FLOAT, cudnnTensorFormat.CUDNN_TENSOR_NCHW,
                w.dim(0), w.dim(1), w.dim(2), w.dim(3)), "cudnnSetFilter4dDescriptor" + w);
        return d;
    }

    static void destroy(cudnnTensorDescriptor d) {
        Status.cudnn(cudnnDestroyTensorDescriptor(d), "cudnnDestroyTensorDescriptor");
    }

    static void destroy(cudnnFilterDescriptor d) {
        Status.cudnn(cudnnDestroyFilterDescriptor(d), "cudnnDestroyFilterDescriptor");
    }

    /** Closes every resource in reverse order of acquisition, keeping the first failure. */
    static void closeAll(List<AutoCloseable> resources) {
        RuntimeException first = null;
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable r : reversed) {
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private record Owned(cudnnTensorDescriptor descriptor) implements AutoCloseable {
        @Override
        public void close() {
            destroy(descriptor);
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
