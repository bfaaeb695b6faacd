package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dataset folder:PATH on train, evaluate and predict: the split, the class names, the refusals. */
class FolderCliTest {

    @TempDir
    Path tmp;

    /** n images per class of a bright square at a class-specific corner, 40×30 RGB. */
    private static void images(Path dir, int n) throws IOException {
        String[] classes = {"bottom", "left", "top"};
        for (int k = 0; k < classes.length; k++) {
            Path c = dir.resolve(classes[k]);
            Files.createDirectories(c);
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
                int x0 = k == 1 ? 6 : 16;
                int y0 = k == 0 ? 18 : k == 2 ? 2 : 10;
                for (int y = y0; y < y0 + 10; y++) {
                    for (int x = x0 + i % 3; x < x0 + 10 + i % 3; x++) {
                        img.setRGB(x, y, 0xF0E0D0);
                    }
                }
                ImageIO.write(img, "png", c.resolve(String.format("%03d.png", i)).toFile());
            }
        }
    }

    @Test
    void trainEvaluateAndPredictOnAFolderWithItsClassNames() throws IOException {
        Path root = tmp.resolve("corners");
        images(root, 40);
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "lenet5", "--dataset", "folder:" + root, "--epochs", 3, "--batch-size", 16,
                "--validation-split", 0, "--output", run, "--backend", "cpu", "--progress", "lines", "--augment",
                "shift:1");
        assertEquals(0, train.exit(), train::toString);
        assertTrue(train.out().contains("(12 test images, cpu"), "every 10th of 40 per class:\n" + train);
        // the zoo model scores the folder's three classes: LeNet-5's 61,706 less 7 of its 10 outputs (84 weights + 1 bias each)
        assertTrue(train.out().contains("Total params: 61,111"), train::toString);
        CliRun eval = CliRun.of("evaluate", run.resolve("model.jcnn"), "--dataset", "folder:" + root, "--backend", "cpu");
        assertEquals(0, eval.exit(), eval::toString);
        assertTrue(eval.out().contains("0 bottom: ") && eval.out().contains("2 top: "), eval::toString);
        CliRun predict = CliRun.of("predict", run.resolve("model.jcnn"), "--dataset", "folder:" + root, "--backend",
                "cpu", "--index", 0, "--image", root.resolve("top/005.png"));
        assertEquals(0, predict.exit(), predict::toString);
        assertTrue(predict.out().contains("test[0]: ") && predict.out().contains(" label 0 "), predict::toString);
        // the file's prediction is named by the folder's classes (which one the short training gives is not the point)
        assertTrue(java.util.regex.Pattern.compile("top/005\\.png: [0-2] (bottom|left|top) \\(p=").matcher(predict.out())
                .find(), predict::toString);
    }

    @Test
    void trainAndTestSubfoldersAreTakenAsTheSplitAndMustHaveTheSameClasses() throws IOException {
        Path root = tmp.resolve("split");
        images(root.resolve("train"), 6);
        images(root.resolve("test"), 2);
        CliRun ok = CliRun.of("train", "lenet5", "--dataset", "folder:" + root, "--epochs", 1, "--validation-split", 0,
                "--output", tmp.resolve("run"), "--backend", "cpu", "--progress", "lines");
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().contains("(6 test images, cpu"), ok::toString);
        Files.createDirectories(root.resolve("train/right"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png",
                root.resolve("train/right/a.png").toFile());
        CliRun bad = CliRun.of("train", "lenet5", "--dataset", "folder:" + root, "--epochs", 1, "--output",
                tmp.resolve("run2"), "--backend", "cpu");
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("train/ has the classes [bottom, left, right, top] but test/ has [bottom, left,"
                + " top]"), bad::toString);
        CliRun dir = CliRun.of("train", "lenet5", "--dataset", "folder:" + root, "--data-dir", tmp, "--output",
                tmp.resolve("run3"));
        assertNotEquals(0, dir.exit());
        assertTrue(dir.err().contains("names its folder itself"), dir::toString);
    }
}
