package dev.jcnn.cuda;

import static jcuda.jcudnn.JCudnn.cudnnAddTensor;
import static jcuda.jcudnn.JCudnn.cudnnConvolutionBackwardBias;
import static jcuda.jcudnn.JCudnn.cudnnConvolutionBackwardData;
import static jcuda.jcudnn.JCudnn.cudnnConvolutionBackwardFilter;
import static jcuda.jcudnn.JCudnn.cudnnConvolutionForward;
import static jcuda.jcudnn.JCudnn.cudnnCreateConvolutionDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyConvolutionDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnFindConvolutionBackwardDataAlgorithm;
import static jcuda.jcudnn.JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm;
import static jcuda.jcudnn.JCudnn.cudnnFindConvolutionForwardAlgorithm;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolution2dForwardOutputDim;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionForwardAlgorithm_v7;
import static jcuda.jcudnn.JCudnn.cudnnGetConvolutionForwardWorkspaceSize;
import static jcuda.jcudnn.JCudnn.cudnnSetConvolution2dDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetConvolutionGroupCount;
import static jcuda.jcudnn.JCudnn.cudnnSetConvolutionMathType;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnDeterminism;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * 2-D convolution with cuDNN: forward, gradient with respect to the input, to the weights
 * and to the bias. Descriptors and algorithms live in a {@link Plan} per geometry (input
 * shape, filters, spec, numerics), made when the geometry first appears; the algorithm of
 * each pass is chosen on its first use (cuDNN's heuristics for exact numerics, timing with
 * cudnnFind for fast numerics), filtered by {@link AlgorithmChoice} and logged at DEBUG.
 * Asymmetric padding: see {@link ConvGeometry}.
 */
final class Convolution extends ConvolutionOps<CudaTensor> implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Convolution.class);
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    /** The most workspace any algorithm may use, whatever the free memory. */
    private static final long WORKSPACE_CAP = 1L << 30;

    private final Gpu gpu;
    private final Elementwise elementwise;
    private final Dense dense;
    private final PlanCache<ConvGeometry, Plan> plans = new PlanCache<>(64);

    Convolution(CudaBackend backend, Gpu gpu, Elementwise elementwise, Dense dense) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
        this.elementwise = elementwise;
        this.dense = dense;
    }

    /** y = x ⋆ w + b; b may be null. */
    @Override
    protected void computeForward(CudaTensor x, CudaTensor w, CudaTensor b, ConvSpec spec, CudaTensor y) {
        Plan p = plan(x.shape(), w.shape().dim(0), spec);
        DevicePointer in = padded(p, x);
        AlgorithmChoice.Candidate algo = p.forwardAlgorithm();
        setMath(p, algo);
        Scratch.Buffer ws = gpu.scratch.get(Scratch.Purpose.WORKSPACE, p.forwardWorkspace);
        Status.cudnn(cudnnConvolutionForward(gpu.cudnn, ONE, p.xDesc, in.pointer(), p.wDesc, w.pointer(), p.convDesc,
                algo.algo(), ws.pointer(), p.forwardWorkspace, ZERO, p.yDesc, y.pointer()),
                "cudnnConvolutionForward(" + p.name + ", algo " + algo.algo() + ")");
        if (b != null) {
            Status.cudnn(cudnnAddTensor(gpu.cudnn, ONE, p.biasDesc, b.pointer(), ONE, p.yDesc, y.pointer()),
                    "cudnnAddTensor(bias of " + p.name + ")");
        }
    }

    /** dx = the gradient with respect to the input. */
    @Override
    protected void computeBackwardData(CudaTensor dy, CudaTensor w, ConvSpec spec, CudaTensor dx) {
        Plan p = plan(dx.shape(), w.shape().dim(0), spec);
        AlgorithmChoice.Candidate algo = p.backwardDataAlgorithm();
        setMath(p, algo);
        DevicePointer out = p.geometry.padsExplicitly()
                ? gpu.scratch.get(Scratch.Purpose.PADDED_GRADIENT, 4L * p.geometry.cudnnInput().size()) : dx;
        Scratch.Buffer ws = gpu.scratch.get(Scratch.Purpose.WORKSPACE, p.backwardDataWorkspace);
        Status.cudnn(cudnnConvolutionBackwardData(gpu.cudnn, ONE, p.wDesc, w.pointer(), p.yDesc, dy.pointer(),
                p.convDesc, algo.algo(), ws.pointer(), p.backwardDataWorkspace, ZERO, p.xDesc, out.pointer()),
                "cudnnConvolutionBackwardData(" + p.name + ", algo " + algo.algo() + ")");
        if (p.geometry.padsExplicitly()) {
            elementwise.crop(out, p.geometry.explicitPadding(), dx, dx.shape());
        }
    }

    /** dw = the gradient with respect to the weights (overwritten). */
    @Override
    protected void computeBackwardFilter(CudaTensor x, CudaTensor dy, ConvSpec spec, CudaTensor dw) {
        Plan p = plan(x.shape(), dw.shape().dim(0), spec);
        DevicePointer in = padded(p, x);
        AlgorithmChoice.Candidate algo = p.backwardFilterAlgorithm();
        setMath(p, algo);
        Scratch.Buffer ws = gpu.scratch.get(Scratch.Purpose.WORKSPACE, p.backwardFilterWorkspace);
        Status.cudnn(cudnnConvolutionBackwardFilter(gpu.cudnn, ONE, p.xDesc, in.pointer(), p.yDesc, dy.pointer(),
                p.convDesc, algo.algo(), ws.pointer(), p.backwardFilterWorkspace, ZERO, p.wDesc, dw.pointer()),
                "cudnnConvolutionBackwardFilter(" + p.name + ", algo " + algo.algo() + ")");
    }

    /** db[c] = Σ of dy over every axis but 1: a matrix-vector product for (N, C), cuDNN's bias gradient for images. */
    @Override
    protected void computeBiasBackward(CudaTensor dy, CudaTensor db) {
        Shape s = dy.shape();
        if (s.rank() == 2) {
            dense.biasBackward(dy, db, s.dim(0), s.dim(1));
        } else {
            imageBiasBackward(dy, db);
        }
    }

    /** db[c] = Σ of dy (N, C, H, W) over every axis but 1. */
    private void imageBiasBackward(CudaTensor dy, CudaTensor db) {
        cudnnTensorDescriptor dyDesc = gpu.descriptors.tensor(Descriptors.nchw(dy.shape()));
        cudnnTensorDescriptor dbDesc = gpu.descriptors.tensor(new int[] {1, dy.shape().dim(1), 1, 1});
        Status.cudnn(cudnnConvolutionBackwardBias(gpu.cudnn, ONE, dyDesc, dy.pointer(), ZERO, dbDesc, db.pointer()),
                "cudnnConvolutionBackwardBias(dy " + dy.shape() + ")");
    }

    /** x itself, or x padded into scratch when the geometry pads explicitly. */
    private DevicePointer padded(Plan p, CudaTensor x) {
        if (!p.geometry.padsExplicitly()) {
            return x;
        }
        Scratch.Buffer buf = gpu.scratch.get(Scratch.Purpose.PADDED_INPUT, 4L * p.geometry.cudnnInput().size());
        elementwise.pad(x, x.shape(), p.geometry.explicitPadding(), 0f, buf);
        return buf;
    }

    private void setMath(Plan p, AlgorithmChoice.Candidate c) {
        int math = AlgorithmChoice.mathTypeFor(c, gpu.numerics);
        if (math != p.mathType) {
            Status.cudnn(cudnnSetConvolutionMathType(p.convDesc, math), "cudnnSetConvolutionMathType(" + math + ")");
            p.mathType = math;
        }
    }

    /** The plan of this geometry, made (descriptors set up) the first time it appears. */
    Plan plan(Shape x, int filters, ConvSpec spec) {
        return plans.get(new ConvGeometry(x, filters, spec, gpu.numerics), Plan::new);
    }

    int cachedPlans() {
        return plans.size();
    }

    @Override
    public void close() {
        plans.close();
    }

    private long workspaceLimit() {
        return Math.min(WORKSPACE_CAP, gpu.device.memoryInfo()[0] / 2);
    }

    /** Descriptors and chosen algorithms of one geometry. */
    final class Plan implements AutoCloseable {

        final ConvGeometry geometry;
        final String name;
        final cudnnTensorDescriptor xDesc;
        final cudnnFilterDescriptor wDesc;
        final cudnnTensorDescriptor yDesc;
        final cudnnTensorDescriptor biasDesc;
        final cudnnConvolutionDescriptor convDesc = new cudnnConvolutionDescriptor();
        private final List<AutoCloseable> owned = new ArrayList<>();
        int mathType;
        private AlgorithmChoice.Candidate forward;
        private AlgorithmChoice.Candidate backwardData;
        private AlgorithmChoice.Candidate backwardFilter;
        long forwardWorkspace;
        long backwardDataWorkspace;
        long backwardFilterWorkspace;

        Plan(ConvGeometry g) {
            geometry = g;
            Padding2D pad = g.spec().padding();
            name = "x " + g.x() + " w " + g.w() + " stride " + g.spec().strideH() + "x" + g.spec().strideW()
                    + " padding " + pad.top() + "/" + pad.bottom() + "/" + pad.left() + "/" + pad.right() + " dilation "
                    + g.spec().dilationH() + "x" + g.spec().dilationW() + " groups " + g.spec().groups();
            try {
                xDesc = Descriptors.newTensor(Descriptors.nchw(g.cudnnInput()));
                owned.add(() -> Descriptors.destroy(xDesc));
                wDesc = Descriptors.newFilter(g.w());
                owned.add(() -> Descriptors.destroy(wDesc));
                yDesc = Descriptors.newTensor(Descriptors.nchw(g.y()));
                owned.add(() -> Descriptors.destroy(yDesc));
                biasDesc = Descriptors.newTensor(new int[] {1, g.filters(), 1, 1});
                owned.add(() -> Descriptors.destroy(biasDesc));
                Status.cudnn(cudnnCreateConvolutionDescriptor(convDesc), "cudnnCreateConvolutionDescriptor");
                owned.add(() -> Status.cudnn(cudnnDestroyConvolutionDescriptor(convDesc),
                        "cudnnDestroyConvolutionDescriptor"));
                Status.cudnn(cudnnSetConvolution2dDescriptor(convDesc, g.cudnnPadH(), g.cudnnPadW(), g.spec().strideH(),
                        g.spec().strideW(), g.spec().dilationH(), g.spec().dilationW(),
                        cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, cudnnDataType.CUDNN_DATA_FLOAT),
                        "cudnnSetConvolution2dDescriptor(" + name + ")");
                // cuDNN splits the channels itself: the filter descriptor holds C/groups input channels
                Status.cudnn(cudnnSetConvolutionGroupCount(convDesc, g.spec().groups()),
                        "cudnnSetConvolutionGroupCount(" + name + ")");
                mathType = g.numerics() == Numerics.EXACT ? AlgorithmChoice.FMA_MATH : AlgorithmChoice.TENSOR_OP_MATH;
                Status.cudnn(cudnnSetConvolutionMathType(convDesc, mathType), "cudnnSetConvolutionMathType");
                checkOutputShape();
            } catch (RuntimeException e) {
                try {
                    Descriptors.closeAll(owned);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private void checkOutputShape() {
            int[] n = new int[1];
            int[] c = new int[1];
            int[] h = new int[1];
            int[] w = new int[1];
            Status.cudnn(cudnnGetConvolution2dForwardOutputDim(convDesc, xDesc, wDesc, n, c, h, w),
                    "cudnnGetConvolution2dForwardOutputDim(" + name + ")");
            Shape cudnn = Shape.of(n[0], c[0], h[0], w[0]);
            if (!cudnn.equals(geometry.y())) {
                throw new IllegalStateException("cuDNN computes output " + cudnn + " for " + name + ", core's formula "
                        + geometry.y());
            }
        }

        /** Resets the descriptor to the math type the search should consider. */
        private void searchMath() {
            int math = geometry.numerics() == Numerics.EXACT ? AlgorithmChoice.FMA_MATH : AlgorithmChoice.TENSOR_OP_MATH;
            Status.cudnn(cudnnSetConvolutionMathType(convDesc, math), "cudnnSetConvolutionMathType");
            mathType = math;
        }

        AlgorithmChoice.Candidate forwardAlgorithm() {
            if (forward == null) {
                searchMath();
                int[] max = new int[1];
                Status.cudnn(cudnnGetConvolutionForwardAlgorithmMaxCount(gpu.cudnn, max),
                        "cudnnGetConvolutionForwardAlgorithmMaxCount");
                cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[max[0]];
                for (int i = 0; i < perf.length; i++) {
                    perf[i] = new cudnnConvolutionFwdAlgoPerf();
                }
                int[] count = new int[1];
                boolean find = geometry.numerics() == Numerics.FAST;
                String call = find ? "cudnnFindConvolutionForwardAlgorithm" : "cudnnGetConvolutionForwardAlgorithm_v7";
                Status.cudnn(find
                        ? cudnnFindConvolutionForwardAlgorithm(gpu.cudnn, xDesc, wDesc, convDesc, yDesc, perf.length,
                                count, perf)
                        : cudnnGetConvolutionForwardAlgorithm_v7(gpu.cudnn, xDesc, wDesc, convDesc, yDesc, perf.length,
                                count, perf), call + "(" + name + ")");
                List<AlgorithmChoice.Candidate> ranked = new ArrayList<>();
                for (int i = 0; i < count[0]; i++) {
                    ranked.add(new AlgorithmChoice.Candidate(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory,
                            perf[i].determinism == cudnnDeterminism.CUDNN_DETERMINISTIC, perf[i].mathType));
                }
                forward = AlgorithmChoice.pick(ranked, geometry.numerics(), workspaceLimit(), "forward " + name);
                setMath(this, forward);
                long[] size = new long[1];
                Status.cudnn(cudnnGetConvolutionForwardWorkspaceSize(gpu.cudnn, xDesc, wDesc, convDesc, yDesc,
                        forward.algo(), size), "cudnnGetConvolutionForwardWorkspaceSize(" + name + ")");
                forwardWorkspace = size[0];
                log("forward", forward, find, forwardWorkspace);
            }
            return forward;
        }

        AlgorithmChoice.Candidate backwardDataAlgorithm() {
            if (backwardData == null) {
                searchMath();
                int[] max = new int[1];
                Status.cudnn(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(gpu.cudnn, max),
                        "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
                cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[max[0]];
                for (int i = 0; i < perf.length; i++) {
                    perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
                }
                int[] count = new int[1];
                boolean find = geometry.numerics() == Numerics.FAST;
                String call = find ? "cudnnFindConvolutionBackwardDataAlgorithm"
                        : "cudnnGetConvolutionBackwardDataAlgorithm_v7";
                Status.cudnn(find
                        ? cudnnFindConvolutionBackwardDataAlgorithm(gpu.cudnn, wDesc, yDesc, convDesc, xDesc,
                                perf.length, count, perf)
                        : cudnnGetConvolutionBackwardDataAlgorithm_v7(gpu.cudnn, wDesc, yDesc, convDesc, xDesc,
                                perf.length, count, perf), call + "(" + name + ")");
                List<AlgorithmChoice.Candidate> ranked = new ArrayList<>();
                for (int i = 0; i < count[0]; i++) {
                    ranked.add(new AlgorithmChoice.Candidate(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory,
                            perf[i].determinism == cudnnDeterminism.CUDNN_DETERMINISTIC, perf[i].mathType));
                }
                backwardData = AlgorithmChoice.pick(ranked, geometry.numerics(), workspaceLimit(),
                        "backward data " + name);
                setMath(this, backwardData);
                long[] size = new long[1];
                Status.cudnn(cudnnGetConvolutionBackwardDataWorkspaceSize(gpu.cudnn, wDesc, yDesc, convDesc, xDesc,
                        backwardData.algo(), size), "cudnnGetConvolutionBackwardDataWorkspaceSize(" + name + ")");
                backwardDataWorkspace = size[0];
                log("backward data", backwardData, find, backwardDataWorkspace);
            }
            return backwardData;
        }

        AlgorithmChoice.Candidate backwardFilterAlgorithm() {
            if (backwardFilter == null) {
                searchMath();
                int[] max = new int[1];
                Status.cudnn(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(gpu.cudnn, max),
                        "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
                cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[max[0]];
                for (int i = 0; i < perf.length; i++) {
                    perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
                }
                int[] count = new int[1];
                boolean find = geometry.numerics() == Numerics.FAST;
                String call = find ? "cudnnFindConvolutionBackwardFilterAlgorithm"
                        : "cudnnGetConvolutionBackwardFilterAlgorithm_v7";
                Status.cudnn(find
                        ? cudnnFindConvolutionBackwardFilterAlgorithm(gpu.cudnn, xDesc, yDesc, convDesc, wDesc,
                                perf.length, count, perf)
                        : cudnnGetConvolutionBackwardFilterAlgorithm_v7(gpu.cudnn, xDesc, yDesc, convDesc, wDesc,
                                perf.length, count, perf), call + "(" + name + ")");
                List<AlgorithmChoice.Candidate> ranked = new ArrayList<>();
                for (int i = 0; i < count[0]; i++) {
                    ranked.add(new AlgorithmChoice.Candidate(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory,
                            perf[i].determinism == cudnnDeterminism.CUDNN_DETERMINISTIC, perf[i].mathType));
                }
                backwardFilter = AlgorithmChoice.pick(ranked, geometry.numerics(), workspaceLimit(),
                        "backward filter " + name);
                setMath(this, backwardFilter);
                long[] size = new long[1];
                Status.cudnn(cudnnGetConvolutionBackwardFilterWorkspaceSize(gpu.cudnn, xDesc, yDesc, convDesc, wDesc,
                        backwardFilter.algo(), size), "cudnnGetConvolutionBackwardFilterWorkspaceSize(" + name + ")");
                backwardFilterWorkspace = size[0];
                log("backward filter", backwardFilter, find, backwardFilterWorkspace);
            }
            return backwardFilter;
        }

        private void log(String pass, AlgorithmChoice.Candidate c, boolean found, long workspace) {
            LOG.debug("conv {} {} ({}): cuDNN algorithm {} by {}, math type {}, workspace {} bytes", pass, name,
                    geometry.numerics(), c.algo(), found ? "timing (cudnnFind)" : "heuristics", mathType, workspace);
        }

        @Override
        public void close() {
            Descriptors.closeAll(owned);
        }
    }
}
