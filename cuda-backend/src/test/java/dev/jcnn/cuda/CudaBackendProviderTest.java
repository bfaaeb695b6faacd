package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.backend.Backends;
import dev.jcnn.cuda.natives.LibraryLocator;
import dev.jcnn.cuda.natives.NativeProbe;
import java.io.File;
import java.lang.reflect.Constructor;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider: found by ServiceLoader, and on a machine without a driver it says why and loads no JCuda class. */
class CudaBackendProviderTest {

    private static NativeProbe noLibraries() {
        return new NativeProbe(new LibraryLocator(List.of(), List.of(), List.of()), List.of(), "Linux", "amd64");
    }

    @Test
    void isFoundByNameWithAPriorityAboveTheCpu() {
        BackendProvider p = Backends.provider("cuda");
        assertTrue(p instanceof CudaBackendProvider);
        assertEquals("cuda", p.name());
        assertEquals(100, p.priority());
    }

    @Test
    void withoutADriverItSaysSoAndRefusesToStart() {
        CudaBackendProvider p = new CudaBackendProvider(noLibraries());
        Availability a = p.availability();
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("no NVIDIA driver: libcuda.so.1 was not found"), a.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.create(BackendOptions.exact()));
        assertTrue(e.getMessage().startsWith("backend 'cuda' cannot start: no NVIDIA driver"), e.getMessage());
    }

    @Test
    void checkingAvailabilityWithoutADriverLoadsNoJCudaClass() throws Exception {
        List<String> requested = Collections.synchronizedList(new ArrayList<>());
        Availability a = isolatedAvailability(List.of(), requested);
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("no NVIDIA driver"), a.reason());
        assertTrue(requested.stream().anyMatch(n -> n.startsWith("dev.jcnn.cuda.")), "the loader was not used");
        assertEquals(List.of(), requested.stream().filter(n -> n.startsWith("jcuda.")).toList(),
                "JCuda classes were loaded");
    }

    @Test
    void withTheLibrariesPresentItDoesTurnToJCuda(@TempDir Path dir) throws Exception {
        // the control for the test above: the isolating loader sees JCuda being asked for (and refuses it)
        for (String name : List.of("libcuda.so.1", "libcublas.so.11", "libcublasLt.so.11", "libcudnn.so.8",
                "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8",
                "libcudnn_cnn_train.so.8")) {
            Files.write(dir.resolve(name), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        }
        List<String> requested = Collections.synchronizedList(new ArrayList<>());
        Availability a = isolatedAvailability(List.of(dir), requested);
        assertFalse(a.available());
        assertEquals("jcuda.driver.JCudaDriver is not on the class path (add org.jcuda artifacts 11.7.0)", a.reason());
        assertTrue(requested.contains("jcuda.driver.JCudaDriver"), requested.toString());
    }

    /** The provider's availability, computed with classes of an {@link IsolatingLoader} that refuses JCuda. */
    private static Availability isolatedAvailability(List<Path> libraryPath, List<String> requested) throws Exception {
        try (IsolatingLoader loader = new IsolatingLoader(requested)) {
            Class<?> locator = loader.loadClass(LibraryLocator.class.getName());
            Class<?> probe = loader.loadClass(NativeProbe.class.getName());
            Class<?> provider = loader.loadClass(CudaBackendProvider.class.getName());
            Object loc = locator.getConstructor(List.class, List.class, List.class)
                    .newInstance(libraryPath, List.of(), List.of());
            Object prb = probe.getConstructor(locator, List.class, String.class, String.class)
                    .newInstance(loc, List.of(), "Linux", "amd64");
            Constructor<?> c = provider.getDeclaredConstructor(probe);
            c.setAccessible(true);
            return ((BackendProvider) c.newInstance(prb)).availability();
        }
    }

    /**
     * Loads dev.jcnn.cuda.* itself and records every class asked for; refuses jcuda.* (so
     * that no native library is ever loaded here); everything else comes from the test's loader.
     */
    private static final class IsolatingLoader extends URLClassLoader {

        private final List<String> requested;

        IsolatingLoader(List<String> requested) throws MalformedURLException {
            super(classPath(), CudaBackendProviderTest.class.getClassLoader());
            this.requested = requested;
        }

        /** The test's class path: its loader's URLs (a launcher's own loader), else java.class.path. */
        private static URL[] classPath() throws MalformedURLException {
            if (CudaBackendProviderTest.class.getClassLoader() instanceof URLClassLoader u) {
                return u.getURLs();
            }
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            return urls.toArray(new URL[0]);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.jcnn.cuda.") && !name.startsWith("jcuda.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                requested.add(name);
                if (name.startsWith("jcuda.")) {
                    throw new ClassNotFoundException(name + " (refused by the test)");
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
