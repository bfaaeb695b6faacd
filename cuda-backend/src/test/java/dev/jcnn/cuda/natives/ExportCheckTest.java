package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker behind the opt-in redist test (RedistLibrariesTest), on fake inputs and on
 * cuda-backend's own sources with JCuda's real JNI libraries (no cuDNN or cuBLAS needed).
 */
class ExportCheckTest {

    @TempDir
    Path tmp;

    private static Set<String> jniImports(String library) {
        return ExportCheck.imports(ElfFile.of(JniLibraries.read(library), JniLibraries.fileName(library)));
    }

    @Test
    void aFunctionTheLibraryLacksFails() {
        List<ExportCheck.Binding> b = ExportCheck.bind(new java.util.TreeSet<>(Set.of("cudnnCreate", "cudnnAddedLater")),
                Set.of("cudnnCreate", "cudnnAddedLater"));
        List<String> problems = ExportCheck.problems(b, Set.of("cudnnCreate", "cudnnDestroy"), "libcudnn.so.9");
        assertEquals(List.of("cudnnAddedLater: libcudnn.so.9 does not export cudnnAddedLater"), problems);
        assertEquals(List.of(), ExportCheck.problems(b, Set.of("cudnnCreate", "cudnnAddedLater"), "libcudnn.so.9"));
    }

    @Test
    void cublasNamesBindToTheirV2Symbols() {
        List<ExportCheck.Binding> b = ExportCheck.bind(new java.util.TreeSet<>(Set.of("cublasCreate", "cublasSetMathMode",
                "cublasUnknown")), Set.of("cublasCreate_v2", "cublasSetMathMode"));
        assertEquals(List.of(new ExportCheck.Binding("cublasCreate", "cublasCreate_v2"),
                new ExportCheck.Binding("cublasSetMathMode", "cublasSetMathMode"),
                new ExportCheck.Binding("cublasUnknown", null)), b);
        assertEquals(List.of("cublasUnknown: JCuda's JNI library imports neither cublasUnknown nor cublasUnknown_v2"),
                ExportCheck.problems(b, Set.of("cublasCreate_v2", "cublasSetMathMode"), "libcublas.so.12"));
    }

    @Test
    void aLegacyCallAddedToTheSourcesIsCaughtFromTheRealJniLibrary() throws Exception {
        // cudnnRNNForwardInference is in JCudnn 11.7 (cuDNN 8's RNN API) and gone from cuDNN 9
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Later.java"), "class Later { void f() { JCudnn.cudnnCreate(h);"
                + " cudnnRNNForwardInference(h, rnn, 3); new cudnnHandle(); cudnnVersionString(v); } }");
        SortedSet<String> names = ExportCheck.calledNames(src, JCudnn.class, "cudnn");
        assertEquals(Set.of("cudnnCreate", "cudnnRNNForwardInference"), names,
                "own helpers and JCuda's handle classes are not calls into cuDNN");
        Set<String> imports = jniImports(JniLibraries.CUDNN);
        Set<String> cudnn9 = new HashSet<>(imports);
        cudnn9.remove("cudnnRNNForwardInference");
        assertEquals(List.of("cudnnRNNForwardInference: libcudnn.so.9 does not export cudnnRNNForwardInference"),
                ExportCheck.problems(ExportCheck.bind(names, imports), cudnn9, "libcudnn.so.9"));
    }

    @Test
    void everyCallInCudaBackendBindsToASymbolOfJcudasJniLibraries() {
        Path main = Path.of("src/main/java");
        SortedSet<String> cudnn = ExportCheck.calledNames(main, JCudnn.class, "cudnn");
        SortedSet<String> cublas = ExportCheck.calledNames(main, JCublas2.class, "cublas");
        assertTrue(cudnn.size() >= 40 && cudnn.contains("cudnnConvolutionForward")
                && cudnn.contains("cudnnBatchNormalizationForwardTraining"), "cuDNN calls found: " + cudnn);
        assertTrue(cublas.contains("cublasSgemm") && cublas.contains("cublasCreate"), "cuBLAS calls found: " + cublas);
        Set<String> cudnnImports = jniImports(JniLibraries.CUDNN);
        Set<String> cublasImports = jniImports(JniLibraries.CUBLAS2);
        // the JNI library's own imports as the "library": only a missing binding can be reported
        assertEquals(List.of(), ExportCheck.problems(ExportCheck.bind(cudnn, cudnnImports), cudnnImports, "JCudnn"));
        assertEquals(List.of(), ExportCheck.problems(ExportCheck.bind(cublas, cublasImports), cublasImports, "JCublas2"));
        assertTrue(ExportCheck.bind(cublas, cublasImports).contains(new ExportCheck.Binding("cublasSgemm", "cublasSgemm_v2")));
    }
}
