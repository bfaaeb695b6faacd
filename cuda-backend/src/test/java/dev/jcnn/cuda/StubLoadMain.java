package dev.jcnn.cuda;

import dev.jcnn.backend.Availability;
import dev.jcnn.cuda.natives.JCudaLoader;
import dev.jcnn.cuda.natives.LibraryLocator;
import dev.jcnn.cuda.natives.NativeProbe;
import java.nio.file.Path;
import java.util.List;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;

/**
 * Run in a JVM of its own by {@link RetargetedLoadTest}, with LD_LIBRARY_PATH set to a
 * folder of stand-in libraries: loads JCuda through {@link JCudaLoader} (retargeting its JNI
 * libraries) and calls through each binding, printing what it saw, one "key: value" a line.
 */
public final class StubLoadMain {

    private StubLoadMain() {
    }

    public static void main(String[] args) {
        Path libs = Path.of(args[0]);
        NativeProbe probe = new NativeProbe(new LibraryLocator(List.of(libs), List.of(), List.of()), List.of(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        NativeProbe.Result r = probe.check();
        System.out.println("plan: " + (r.ok() ? r.plan().cublas().found() + " " + r.plan().cudnn().found()
                : r.problem()));
        System.out.println("loaded: " + JCudaLoader.load(r.plan()).description());
        System.out.println("cudnnGetVersion: " + JCudnn.cudnnGetVersion());
        cublasHandle handle = new cublasHandle();
        int status = JCublas2.cublasCreate(handle);
        System.out.println("cublasCreate: " + status);
        if (status == 0) {
            int[] version = new int[1];
            System.out.println("cublasGetVersion: " + JCublas2.cublasGetVersion(handle, version) + " " + version[0]);
        }
        Availability a = new CudaBackendProvider(probe).availability();
        System.out.println("available: " + a.available());
        System.out.println("reason: " + a.reason());
    }
}
