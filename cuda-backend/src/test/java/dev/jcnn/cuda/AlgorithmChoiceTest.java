package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Numerics;
import dev.jcnn.cuda.AlgorithmChoice.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing among cuDNN's ranked algorithms, and that cuDNN's math type constants are the ones assumed. */
class AlgorithmChoiceTest {

    private static final Candidate FAST_TF32 = new Candidate(1, 0, 0.1f, 0, true, AlgorithmChoice.TENSOR_OP_MATH);
    private static final Candidate NONDET = new Candidate(0, 0, 0.2f, 0, false, AlgorithmChoice.FMA_MATH);
    private static final Candidate BIG = new Candidate(4, 0, 0.3f, 1L << 40, true, AlgorithmChoice.FMA_MATH);
    private static final Candidate FAILED = new Candidate(5, 9, 0.0f, 0, true, AlgorithmChoice.FMA_MATH);
    private static final Candidate GOOD = new Candidate(2, 0, 0.4f, 1024, true, AlgorithmChoice.FMA_MATH);

    @Test
    void exactTakesTheFirstDeterministicFmaAlgorithmThatFits() {
        Candidate c = AlgorithmChoice.pick(List.of(FAST_TF32, NONDET, BIG, FAILED, GOOD), Numerics.EXACT, 1 << 20, "x");
        assertEquals(GOOD, c);
        assertEquals(AlgorithmChoice.FMA_MATH, AlgorithmChoice.mathTypeFor(c, Numerics.EXACT));
    }

    @Test
    void fastTakesTheFastestThatWorkedAndFits() {
        assertEquals(FAST_TF32, AlgorithmChoice.pick(List.of(FAST_TF32, GOOD), Numerics.FAST, 1 << 20, "x"));
        assertEquals(NONDET, AlgorithmChoice.pick(List.of(FAILED, BIG, NONDET), Numerics.FAST, 1 << 20, "x"));
        assertEquals(AlgorithmChoice.TENSOR_OP_MATH, AlgorithmChoice.mathTypeFor(FAST_TF32, Numerics.FAST));
    }

    @Test
    void exactNeverRunsTensorCoreMathEvenIfCudnnRanksItFirst() {
        Candidate defaultMath = new Candidate(6, 0, 0.1f, 0, true, AlgorithmChoice.DEFAULT_MATH);
        Candidate c = AlgorithmChoice.pick(List.of(FAST_TF32, defaultMath), Numerics.EXACT, 0, "x");
        assertEquals(defaultMath, c);
        // the descriptor is still set to FMA math, which rules out TF32 on Ampere and later
        assertEquals(AlgorithmChoice.FMA_MATH, AlgorithmChoice.mathTypeFor(c, Numerics.EXACT));
    }

    @Test
    void noUsableAlgorithmNamesWhatWasOffered() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AlgorithmChoice.pick(List.of(FAST_TF32, NONDET), Numerics.EXACT, 1 << 20, "forward x (1, 1, 5, 5)"));
        assertTrue(e.getMessage().startsWith("cuDNN offers no usable algorithm for forward x (1, 1, 5, 5) with EXACT"
                + " numerics and a workspace limit of 1048576 bytes; candidates: [algo 1"), e.getMessage());
    }

    @Test
    void mathTypeConstantsAreCudnns() {
        assertEquals(jcuda.jcudnn.cudnnMathType.CUDNN_DEFAULT_MATH, AlgorithmChoice.DEFAULT_MATH);
        assertEquals(jcuda.jcudnn.cudnnMathType.CUDNN_TENSOR_OP_MATH, AlgorithmChoice.TENSOR_OP_MATH);
        assertEquals(jcuda.jcudnn.cudnnMathType.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION,
                AlgorithmChoice.TENSOR_OP_MATH_ALLOW_CONVERSION);
        assertEquals(jcuda.jcudnn.cudnnMathType.CUDNN_FMA_MATH, AlgorithmChoice.FMA_MATH);
    }
}
