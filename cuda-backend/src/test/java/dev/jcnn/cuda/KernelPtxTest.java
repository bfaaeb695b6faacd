package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The committed PTX: present, loadable by CUDA 11+ drivers, current, and matching every kernel the Java code names. */
class KernelPtxTest {

    private static final String PTX = Kernels.readPtx();

    @Test
    void headerIsLowEnoughForCuda11Drivers() {
        Matcher v = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)$").matcher(PTX);
        assertTrue(v.find(), "no .version line");
        int version = Integer.parseInt(v.group(1)) * 10 + Integer.parseInt(v.group(2));
        assertTrue(version <= 70, "PTX ISA " + v.group(1) + "." + v.group(2) + " is newer than 7.0, which a CUDA 11.0"
                + " driver loads");
        assertTrue(PTX.contains("\n.target sm_50\n"), "expected .target sm_50");
        assertTrue(PTX.contains("\n.address_size 64\n"), "expected .address_size 64");
        assertEquals(".version 4.0 .target sm_50", Kernels.ptxHeader(PTX));
    }

    @Test
    void isGeneratedFromTheCurrentSource() throws IOException, NoSuchAlgorithmException {
        Path source = Path.of("src/main/cuda/jcnn_kernels.cu");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(source));
        String expected = "// source sha256 " + HexFormat.of().formatHex(digest);
        assertTrue(PTX.contains(expected + "\n"), "the PTX is stale: run src/main/cuda/build-ptx.sh (" + expected
                + " not in its header)");
    }

    @Test
    void everyKernelIsThereWithItsSignature() {
        Map<String, String> entries = entries();
        List<String> named = new ArrayList<>();
        for (Kernel k : Kernel.values()) {
            named.add(k.entry());
            assertTrue(entries.containsKey(k.entry()), "kernel " + k.entry() + " is not in the PTX; entries: "
                    + entries.keySet());
            assertEquals(k.signature(), entries.get(k.entry()), "parameters of " + k.entry());
        }
        assertEquals(named.stream().sorted().toList(), entries.keySet().stream().sorted().toList(),
                "the PTX holds kernels the Java code does not name");
    }

    @Test
    void reducingKernelsUseTheLaunchBlockSize() throws IOException {
        String source = Files.readString(Path.of("src/main/cuda/jcnn_kernels.cu"), StandardCharsets.UTF_8);
        assertTrue(source.contains("#define REDUCE_THREADS " + Kernel.BLOCK + "\n"),
                "REDUCE_THREADS in jcnn_kernels.cu must equal Kernel.BLOCK = " + Kernel.BLOCK);
    }

    @Test
    void launchArgumentsAreChecked() {
        DevicePointer p = () -> null;
        Kernel.FILL.checkArguments(p, 1f, 3);
        Kernel.SGD_UPDATE.checkArguments(p, p, null, 0.1f, 0f, 0f, 0, 10);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Kernel.FILL.checkArguments(p, 1f));
        assertEquals("kernel fill_f32 takes 3 arguments (pfi), got 2", count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> Kernel.FILL.checkArguments(p, 1.0, 3));
        assertEquals("kernel fill_f32 argument 1 must be a float, got Double 1.0", type.getMessage());
        IllegalArgumentException ptr = assertThrows(IllegalArgumentException.class,
                () -> Kernel.SCALE.checkArguments(7, 1f, p, 3));
        assertEquals("kernel scale_f32 argument 0 must be a device pointer, got Integer 7", ptr.getMessage());
    }

    @Test
    void gridsCoverTheWorkWithinLimits() {
        assertEquals(1, Kernels.blocksFor(1));
        assertEquals(1, Kernels.blocksFor(256));
        assertEquals(2, Kernels.blocksFor(257));
        assertEquals(Kernels.MAX_BLOCKS, Kernels.blocksFor(1L << 40));
        assertEquals(Kernels.MAX_REDUCE_BLOCKS, Kernels.reduceBlocksFor(10_000_000));
        assertEquals(4, Kernels.reduceBlocksFor(1000));
    }

    /** Entry name to signature letters, read from the .param lines. */
    private static Map<String, String> entries() {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)").matcher(PTX);
        while (m.find()) {
            StringBuilder sig = new StringBuilder();
            Matcher p = Pattern.compile("\\.param \\.(\\w+) ").matcher(m.group(2));
            while (p.find()) {
                sig.append(switch (p.group(1)) {
                    case "u64" -> 'p';
                    case "u32", "s32" -> 'i';
                    case "f32" -> 'f';
                    case "f64" -> 'd';
                    default -> '?';
                });
            }
            out.put(m.group(1), sig.toString());
        }
        return out;
    }
}
