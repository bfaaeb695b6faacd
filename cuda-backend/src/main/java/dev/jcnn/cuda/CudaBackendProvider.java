package dev.jcnn.cuda;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.cuda.natives.JCudaLoader;
import dev.jcnn.cuda.natives.NativeProbe;

/**
 * Makes the {@link CudaBackend} known to {@link dev.jcnn.backend.Backends} as "cuda".
 *
 * <p>{@link #availability()} first looks for the driver, cuBLAS and cuDNN as files
 * ({@link NativeProbe}), loading nothing: on a machine without the NVIDIA driver no class
 * of JCuda is ever loaded. Only when the libraries are there does it load JCuda (retargeting
 * its JNI libraries to newer cuBLAS/cuDNN majors if needed, see {@link JCudaLoader}) and ask
 * the driver for a device. The answer is computed once per JVM.
 */
public final class CudaBackendProvider implements BackendProvider {

    /** The name the backend is found by. */
    public static final String NAME = "cuda";

    private final NativeProbe probe;

    /** The provider for this machine, as {@link java.util.ServiceLoader} makes it. */
    public CudaBackendProvider() {
        this(null);
    }

    /** A provider that looks for the libraries with the given probe (tests); null means this machine. */
    CudaBackendProvider(NativeProbe probe) {
        this.probe = probe;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Above the CPU reference: the GPU is preferred whenever it can start. */
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return startup().availability();
    }

    @Override
    public Backend create(BackendOptions options) {
        Startup s = startup();
        if (!s.availability().available()) {
            throw new IllegalStateException("backend '" + NAME + "' cannot start: " + s.availability().reason());
        }
        if (options.device() != 0) {
            Availability device = DeviceProbe.check(s.plan(), s.libraries(), options.device());
            if (!device.available()) {
                throw new IllegalStateException("backend '" + NAME + "' cannot start: " + device.reason());
            }
        }
        return new CudaBackend(options, s.libraries());
    }

    private Startup startup() {
        return probe == null ? ThisMachine.STARTUP : Startup.of(probe);
    }

    /** The outcome of looking for and loading the libraries. */
    record Startup(Availability availability, NativeProbe.Plan plan, String libraries) {

        static Startup of(NativeProbe probe) {
            NativeProbe.Result r = probe.check();
            if (!r.ok()) {
                return new Startup(Availability.no(r.problem()), null, null);
            }
            String libraries;
            try {
                libraries = JCudaLoader.load(r.plan()).description();
            } catch (RuntimeException e) {
                return new Startup(Availability.no(e.getMessage()), r.plan(), null);
            }
            Availability device = DeviceProbe.check(r.plan(), libraries, 0);
            if (!device.available()) {
                // the libraries did load: say which, so that the set-up can be checked up to the device
                device = Availability.no(device.reason() + "; loaded " + libraries);
            }
            return new Startup(device, r.plan(), libraries);
        }
    }

    /** Computed on first use, once per JVM. */
    private static final class ThisMachine {
        static final Startup STARTUP = Startup.of(NativeProbe.system());
    }
}
