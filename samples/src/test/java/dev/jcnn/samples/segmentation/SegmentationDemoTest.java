package dev.jcnn.samples.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.model.Functional;
import dev.jcnn.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The segmentation sample end to end, small: it trains, reports the IoU, saves the weights and writes PNG masks. */
class SegmentationDemoTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SegmentationDemo()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void trainsAndWritesThePredictedMasks() throws Exception {
        Run r = run("--epochs", "1", "--train", "32", "--test", "8", "--size", "16", "--predict-size", "24", "--width", "4",
                "--show", "2", "--backend", "cpu", "--threads", "1", "-o", dir.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("Connected to"), r.out());
        assertTrue(r.out().matches("(?s).*IoU on 8 held-out 24x24 images: \\d\\.\\d{4} \\(thresholding the pixels: .*"), r.out());
        assertTrue(Files.size(dir.resolve("model.jcnn")) > 0);
        for (String name : new String[] {"masks/mask_000.png", "masks/mask_001.png"}) {
            BufferedImage mask = ImageIO.read(dir.resolve(name).toFile());
            assertEquals(24 * 4, mask.getWidth(), name);
            assertEquals(24 * 4, mask.getHeight(), name);
        }
        assertTrue(Files.notExists(dir.resolve("masks/mask_002.png")), "only --show masks");
        BufferedImage overview = ImageIO.read(dir.resolve("overview.png").toFile());
        assertEquals(2 + 4 * (24 * 3 + 2), overview.getWidth());
        assertEquals(2 + 2 * (24 * 3 + 2), overview.getHeight());
    }

    @Test
    void trainsOnTheKindsOfShapeAndReportsTheMeanIou() throws Exception {
        Run r = run("--classes", "4", "--epochs", "1", "--train", "32", "--test", "8", "--size", "16", "--predict-size",
                "24", "--width", "4", "--show", "1", "--backend", "cpu", "--threads", "1", "-o", dir.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().matches("(?s).*mean IoU over 4 classes on 8 held-out 16x16 images: [01]\\.\\d{4} \\(pixel.*"),
                r.out());
        assertTrue(r.out().contains("mean IoU over 4 classes on 8 held-out 24x24 images"), r.out());
        assertEquals(24 * 4, ImageIO.read(dir.resolve("masks/mask_000.png").toFile()).getWidth());
        Run bad = run("--classes", "3", "-o", dir.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--classes must be 1 or 4, got 3"), bad.err());
        try (Functional m = EncoderDecoder.create(16, 4, 4)) {
            assertEquals(Shape.of(4, 16, 16), m.outputShape());
        }
    }

    @Test
    void badSizesAreRejectedWithTheValue() {
        Run r = run("--predict-size", "30", "-o", dir.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--predict-size must be a positive multiple of 4, got 30"), r.err());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EncoderDecoder.create(18, 8));
        assertTrue(e.getMessage().contains("got size 18"), e.getMessage());
    }

    @Test
    void theNetworkIsFullyConvolutional() {
        try (Functional m = EncoderDecoder.create(32, 4)) {
            assertEquals(Shape.of(1, 32, 32), m.outputShape());
            assertTrue(m.layers().stream().noneMatch(l -> l.type().equals("Dense")), "no dense layer");
        }
    }
}
