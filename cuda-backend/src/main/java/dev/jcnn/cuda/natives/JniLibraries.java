package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * JCuda's JNI libraries as its natives jar ships them: file names and contents. JCuda's own
 * loader looks for "lib" + name + "-11.7.0-linux-x86_64.so" on java.library.path, then in its
 * jar under /lib, then in java.io.tmpdir.
 */
public final class JniLibraries {

    /** The JCuda release this project uses. */
    public static final String JCUDA_VERSION = "11.7.0";

    /** The JNI library of cuBLAS (the v2 API), linked against libcublas.so.11. */
    public static final String CUBLAS2 = "JCublas2";

    /** The JNI library of cuDNN, linked against libcudnn.so.8. */
    public static final String CUDNN = "JCudnn";

    private JniLibraries() {
    }

    /** The file name JCuda looks for, e.g. libJCublas2-11.7.0-linux-x86_64.so. */
    public static String fileName(String library) {
        return "lib" + library + "-" + JCUDA_VERSION + "-linux-x86_64.so";
    }

    /** The library's bytes, read from JCuda's natives jar on the class path. */
    public static byte[] read(String library) {
        String resource = "/lib/" + fileName(library);
        try (InputStream in = JniLibraries.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("JCuda's JNI library " + resource + " is not on the class path; add"
                        + " org.jcuda:" + library.toLowerCase(java.util.Locale.ROOT).replace("2", "")
                        + "-natives:" + JCUDA_VERSION + ":linux-x86_64");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the class path", e);
        }
    }
}
