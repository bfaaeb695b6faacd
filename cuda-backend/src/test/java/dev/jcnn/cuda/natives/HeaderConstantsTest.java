package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The constant comparison behind the opt-in redist test, on sample text and on JCuda's real jars. */
class HeaderConstantsTest {

    @Test
    void javapOutputIsParsed() {
        SortedMap<String, String> c = HeaderConstants.parse("public class x {\n  public static final int CUDNN_FMA_MATH = 3;\n"
                + "  public static final double CUDNN_BN_MIN_EPSILON = 0.0d;\n  public static final int OTHER = 1;\n"
                + "  public static final int CUDNN_FMA_MATH = 9;\n}");
        assertEquals(Map.of("CUDNN_FMA_MATH", "3", "CUDNN_BN_MIN_EPSILON", "0.0d"), c);
    }

    @Test
    void aChangedOrMissingValueIsReportedAndTheBackendsOwnNamesAreNot() {
        SortedSet<String> names = new TreeSet<>(List.of("CUDNN_A", "CUDNN_B", "CUDNN_C", "CUDNN_OWN"));
        List<String> m = HeaderConstants.mismatches(names, Map.of("CUDNN_A", "1", "CUDNN_B", "3", "CUDNN_C", "0"),
                Map.of("CUDNN_A", "1", "CUDNN_B", "2000"));
        assertEquals(List.of("CUDNN_B: JCuda 3, the release 2000", "CUDNN_C: JCuda 0, not defined by the release"), m);
    }

    @Test
    void theBackendsNamesAndJcudasValuesAreRead() {
        SortedSet<String> used = HeaderConstants.usedNames(Path.of("src/main/java"));
        assertTrue(used.contains("CUDNN_BN_MIN_EPSILON") && used.contains("CUBLAS_PEDANTIC_MATH"), used.toString());
        assertFalse(used.contains("CUDNN_STATUS_BAD_PARAM"), "a name only in a comment does not count: " + used);
        SortedMap<String, String> jcudnn = HeaderConstants.ofJar(HeaderConstants.jarOf("jcuda/jcudnn/JCudnn.class"),
                "jcuda/jcudnn/");
        assertEquals("0.0d", jcudnn.get("CUDNN_BN_MIN_EPSILON"));
        assertEquals("3", jcudnn.get("CUDNN_STATUS_BAD_PARAM"), "cuDNN 8's numbering");
        assertEquals("3", jcudnn.get("CUDNN_POOLING_MAX_DETERMINISTIC"));
        SortedMap<String, String> jcublas = HeaderConstants.ofJar(HeaderConstants.jarOf("jcuda/jcublas/JCublas2.class"),
                "jcuda/jcublas/");
        assertEquals("3", jcublas.get("CUBLAS_TF32_TENSOR_OP_MATH"));
    }
}
