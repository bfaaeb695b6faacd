package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of images larger than the heap trains: 3,000 PNGs of 64×64 RGB (147 MB as floats,
 * more than twice the 64 MB heap) in three classes of stripes and discs, trained for one
 * epoch by {@code jcnn train --dataset folder:DIR} in a child JVM with -Xmx64m, which holds
 * only the file names and the batches in preparation.
 */
class FolderLargerThanHeapTest {

    private static final int IMAGES = 3000;
    private static final int SIDE = 64;
    private static final long HEAP = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void threeThousandImagesTrainInASixtyFourMegabyteHeap() throws Exception {
        Path root = tmp.resolve("shapes");
        generate(root);
        assertTrue((long) IMAGES * 3 * SIDE * SIDE * Float.BYTES > 2 * HEAP, "the set is larger than the heap");
        Path out = tmp.resolve("run");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + (HEAP >> 20) + "m", "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                // the command line's own logging (INFO), not the tests' quiet one
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", System.getProperty("java.class.path"), Jcnn.class.getName(),
                "train", "lenet5", "--dataset", "folder:" + root, "--epochs", "1", "--batch-size", "50",
                "--backend", "cpu", "--progress", "lines", "--loader-threads", "2", "--augment", "shift:2",
                "--output", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile())
                .start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String log = Files.readString(tmp.resolve("log"), StandardCharsets.UTF_8);
        assertTrue(ended, "still running after 120 s:\n" + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("2430 training, 270 validation, 300 test images"), log);
        assertTrue(log.contains("input pipeline: "), log);
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(log);
        assertTrue(m.find(), log);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, "stripes and discs are learnt in an epoch:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("model.jcnn")));
    }

    /** 1,000 images each of horizontal stripes, vertical stripes and a disc, in random colours, places and noise. */
    private static void generate(Path root) throws IOException {
        Random r = new Random(1);
        String[] classes = {"discs", "horizontal", "vertical"};
        for (String c : classes) {
            Files.createDirectories(root.resolve(c));
        }
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[SIDE * SIDE];
        for (int i = 0; i < IMAGES; i++) {
            int k = i % 3;
            int period = 8 + r.nextInt(8);
            int phase = r.nextInt(period);
            double cx = 16 + r.nextInt(32);
            double cy = 16 + r.nextInt(32);
            double radius = 10 + r.nextInt(10);
            int fg = 0x808080 | r.nextInt(0x7F7F7F);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    boolean on = switch (k) {
                        case 0 -> (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
                        case 1 -> (y + phase) % period < period / 2;
                        default -> (x + phase) % period < period / 2;
                    };
                    // a little noise in the background, in few levels so that the PNGs compress and write quickly
                    int noise = 16 * r.nextInt(3);
                    pixels[y * SIDE + x] = on ? fg : noise << 16 | noise << 8 | noise;
                }
            }
            img.getRaster().setDataElements(0, 0, SIDE, SIDE, pixels);
            File f = root.resolve(classes[k]).resolve(String.format("%04d.png", i)).toFile();
            ImageIO.write(img, "png", f);
        }
    }
}
