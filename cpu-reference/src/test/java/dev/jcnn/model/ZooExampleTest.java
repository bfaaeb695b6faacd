package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.testing.DocExample;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/zoo.md's example is ZooExample's code, and it builds and trains ResNet-18 for ten classes at 64×64. */
class ZooExampleTest {

    @Test
    void theDocsExampleIsTheProgram() throws Exception {
        DocExample.assertInProgram("docs/zoo.md", "## In code", "cpu-reference/src/test/java/dev/jcnn/model/ZooExample.java", 3);
    }

    @Test
    void theExampleTrainsResNet18ForTenClasses() {
        Random random = new Random(2);
        float[] images = new float[8 * 3 * 64 * 64];
        int[] labels = new int[8];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        try (Backend cpu = new CpuBackend(); Model m = ZooExample.resnet18ForTenClasses(cpu, images, labels)) {
            // torchvision's 11,689,512 less its Dense 512·1000 + 1000, plus 512·10 + 10
            assertEquals(11_689_512 - 513_000 + 5_130, m.trainableParameterCount());
            assertEquals(10, m.outputShape().size());
            assertEquals(1, m.optimizer().iterations(), "one step of 8 images");
            assertTrue(Float.isFinite(m.predict(images, 8)[0]));
        }
    }
}
