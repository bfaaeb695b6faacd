package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Functional;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged ONNX files (bytes flipped, cut short, doubled) are either still a model or refused
 * with an IllegalArgumentException: never another exception, a hang or an allocation of what a
 * damaged size field claims.
 */
class OnnxImportMutationTest {

    @Test
    void everyMutationImportsOrIsRefusedWithAClearException() throws Exception {
        byte[] good;
        try (InputStream in = OnnxImportMutationTest.class.getResourceAsStream("/pytorch/resblock_bn.onnx")) {
            good = in.readAllBytes();
        }
        Random random = new Random(15);
        int refused = 0;
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact())) {
            for (int i = 0; i < 400; i++) {
                byte[] bad = mutate(good, random);
                try (Functional m = OnnxImport.read(bad, cpu)) {
                    assertTrue(m.outputShape().size() > 0);
                } catch (IllegalArgumentException expected) {
                    refused++;
                    assertTrue(expected.getMessage() != null && expected.getMessage().startsWith("ONNX bytes"),
                            "mutation " + i + ": the message names the source: " + expected.getMessage());
                } catch (RuntimeException | Error e) {
                    fail("mutation " + i + " threw " + e, e);
                }
            }
        }
        assertTrue(refused > 50, "most mutations are refused, " + refused + " were");
    }

    private static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 2 -> {
                // a varint field that claims a huge length
                int at = r.nextInt(b.length - 5);
                b[at] = (byte) 0xFF;
                b[at + 1] = (byte) 0xFF;
                b[at + 2] = (byte) 0xFF;
                b[at + 3] = (byte) 0x7F;
            }
            default -> {
                // the header (not the weights' raw bytes, where a flip only changes a value)
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(Math.min(b.length, 200))] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }
}
