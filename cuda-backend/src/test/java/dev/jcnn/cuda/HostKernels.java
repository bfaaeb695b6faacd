package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the backend's own kernels on the host: src/main/cuda/jcnn_kernels.cu compiled as C++
 * (with src/test/cuda/host_shim.h, FMA contraction off as in build-ptx.sh) together with a
 * dispatcher generated from {@link Kernel}'s names and signatures. Each launch is one process
 * that runs the kernel as a single thread over the whole range, with the device buffers as
 * files. So the CUDA C of the grid-stride kernels and the Java that computes their launch
 * arguments are checked without a GPU; what nvcc, the driver and the grid add is not.
 *
 * <p>Device buffers are host arrays registered with {@link #buffer(DevicePointer, float[])}, or
 * the scratch buffers the losses ask of it as their {@link Losses.Device}. Needs a C++ compiler
 * ("c++" or "g++" on PATH); the caller skips without one.
 */
final class HostKernels implements Losses.Device {

    private static final Path BUILD = Path.of("target/host-kernels");
    private static Path harness;

    private final Map<DevicePointer, float[]> buffers = new IdentityHashMap<>();
    /** Buffers of other element types (labels, partial sums), as their bytes in native order. */
    private final Map<DevicePointer, byte[]> raw = new IdentityHashMap<>();
    private int launches;

    /** A host stand-in for a device buffer. */
    record HostBuffer(int length) implements DevicePointer {
        @Override
        public jcuda.driver.CUdeviceptr pointer() {
            throw new UnsupportedOperationException("a host buffer has no device address");
        }
    }

    /** The harness, built once per JVM; skips the calling test when there is no C++ compiler. */
    static synchronized HostKernels start() {
        if (harness == null) {
            String compiler = compiler();
            assumeTrue(compiler != null, "no C++ compiler (c++ or g++) on PATH to run the kernels on the host");
            harness = build(compiler);
        }
        return new HostKernels();
    }

    /** Registers {@code values} as the contents of device buffer {@code p} (a tensor or a {@link HostBuffer}). */
    void buffer(DevicePointer p, float[] values) {
        buffers.put(p, values);
    }

    float[] values(DevicePointer p) {
        return buffers.get(p);
    }

    int launches() {
        return launches;
    }

    /** One block: the harness runs a launch as a single thread over the whole range. */
    @Override
    public int reduceBlocks(long work) {
        return 1;
    }

    @Override
    public void launchReducing(Kernel k, int blocks, Object... args) {
        launch(k, blocks, args);
    }

    @Override
    public DevicePointer buffer(Scratch.Purpose purpose, long bytes) {
        return rawBuffer(new byte[(int) bytes]);
    }

    @Override
    public DevicePointer upload(Scratch.Purpose purpose, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        b.asIntBuffer().put(values);
        return rawBuffer(b.array());
    }

    @Override
    public DevicePointer upload(Scratch.Purpose purpose, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(values);
        return rawBuffer(b.array());
    }

    @Override
    public DevicePointer upload(Scratch.Purpose purpose, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.nativeOrder());
        b.asDoubleBuffer().put(values);
        return rawBuffer(b.array());
    }

    @Override
    public double[] read(DevicePointer buffer, int count, String what) {
        double[] out = new double[count];
        ByteBuffer.wrap(raw.get(buffer)).order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
        return out;
    }

    private DevicePointer rawBuffer(byte[] bytes) {
        HostBuffer p = new HostBuffer(bytes.length);
        raw.put(p, bytes);
        return p;
    }

    @Override
    public void launch(Kernel k, long work, Object... args) {
        k.checkArguments(args);
        launches++;
        try {
            Path dir = Files.createDirectories(BUILD.resolve("launches"));
            List<String> cmd = new ArrayList<>(List.of(harness.toAbsolutePath().toString(), k.entry()));
            List<Path> files = new ArrayList<>();
            for (Object a : args) {
                if (a == null) {
                    cmd.add("-");
                } else if (a instanceof DevicePointer p) {
                    float[] v = buffers.get(p);
                    if (v == null && !raw.containsKey(p)) {
                        throw new IllegalStateException(k.entry() + ": no host buffer registered for " + p);
                    }
                    Path f = Files.createTempFile(dir, k.entry(), ".f32");
                    if (v == null) {
                        Files.write(f, raw.get(p));
                    } else {
                        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.nativeOrder());
                        b.asFloatBuffer().put(v);
                        Files.write(f, b.array());
                    }
                    files.add(f);
                    cmd.add(f.toString());
                } else if (a instanceof Float f) {
                    cmd.add(Float.toHexString(f));
                } else if (a instanceof Double d) {
                    cmd.add(Double.toHexString(d));
                } else {
                    cmd.add(a.toString());
                }
            }
            run(cmd, k.entry());
            int i = 0;
            for (Object a : args) {
                if (a instanceof DevicePointer p) {
                    Path f = files.get(i++);
                    byte[] bytes = Files.readAllBytes(f);
                    if (raw.containsKey(p)) {
                        System.arraycopy(bytes, 0, raw.get(p), 0, bytes.length);
                    } else {
                        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().get(buffers.get(p));
                    }
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String compiler() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("c++", "g++")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    private static Path build(String compiler) {
        try {
            Files.createDirectories(BUILD);
            Path source = BUILD.resolve("harness.cpp");
            Files.writeString(source, dispatcher(), StandardCharsets.UTF_8);
            Path exe = BUILD.resolve("harness");
            run(List.of(compiler, "-std=c++17", "-O1", "-ffp-contract=off", "-w", "-include",
                    Path.of("src/test/cuda/host_shim.h").toAbsolutePath().toString(), "-I",
                    Path.of("src/main/cuda").toAbsolutePath().toString(), "-o", exe.toString(), source.toString()),
                    "compiling the host harness");
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** C++ that includes the kernels and calls the one named in argv[1] with the rest of argv, by signature. */
    static String dispatcher() {
        StringBuilder s = new StringBuilder("""
                // generated by dev.jcnn.cuda.HostKernels from dev.jcnn.cuda.Kernel
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include "jcnn_kernels.cu"

                struct Ptr {
                    void *p;
                    template <class T> operator T *() const { return (T *)p; }
                };
                static void *buf[32];
                static long len[32];
                static char **arg;

                static Ptr P(int k) { return Ptr{buf[k]}; }
                static int I(int k) { return atoi(arg[k]); }
                static float F(int k) { return strtof(arg[k], 0); }
                static double D(int k) { return strtod(arg[k], 0); }

                static int call(const char *name);

                int main(int argc, char **argv) {
                    arg = argv + 2;
                    int n = argc - 2;
                    for (int k = 0; k < n; k++) {
                        buf[k] = 0;
                        FILE *f = strcmp(arg[k], "-") == 0 ? 0 : fopen(arg[k], "rb");
                        if (f) {
                            fseek(f, 0, SEEK_END);
                            len[k] = ftell(f);
                            fseek(f, 0, SEEK_SET);
                            buf[k] = malloc(len[k] + 1);
                            if (fread(buf[k], 1, len[k], f) != (size_t)len[k]) { fprintf(stderr, "short read %s\\n", arg[k]); return 3; }
                            fclose(f);
                        }
                    }
                    if (!call(argv[1])) { fprintf(stderr, "no kernel %s\\n", argv[1]); return 2; }
                    for (int k = 0; k < n; k++) {
                        if (buf[k]) {
                            FILE *f = fopen(arg[k], "wb");
                            if (!f || fwrite(buf[k], 1, len[k], f) != (size_t)len[k]) { fprintf(stderr, "cannot write %s\\n", arg[k]); return 3; }
                            fclose(f);
                        }
                    }
                    return 0;
                }

                static int call(const char *name) {
                """);
        for (Kernel k : Kernel.values()) {
            s.append("    if (strcmp(name, \"").append(k.entry()).append("\") == 0) { ").append(k.entry()).append('(');
            String sig = k.signature();
            for (int i = 0; i < sig.length(); i++) {
                s.append(i > 0 ? ", " : "").append(Character.toUpperCase(sig.charAt(i))).append('(').append(i)
                        .append(')');
            }
            s.append("); return 1; }\n");
        }
        return s.append("    return 0;\n}\n").toString();
    }

    private static void run(List<String> cmd, String what) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log;
        try {
            log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), what + " did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
        assertTrue(p.exitValue() == 0, what + " failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + log);
    }
}
