package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Augmentation's steps against plain pad-and-crop references, its seeding, and its parsing. */
class AugmentationTest {

    /** A 2-channel 3×4 image whose every value is distinct: 1..24. */
    private static final Shape SHAPE = Shape.of(2, 3, 4);

    private static float[] image() {
        float[] x = new float[SHAPE.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static float[] applied(Augmentation a, long seed, int epoch, int index) {
        float[] x = image();
        a.apply(x, 0, SHAPE, seed, epoch, index, new float[SHAPE.size()]);
        return x;
    }

    /** The reference: pad each channel by p (zeros or reflection), then take the H×W window at (top, left). */
    private static float[] padThenCrop(float[] x, int p, boolean reflect, int top, int left) {
        int c = SHAPE.dim(0);
        int h = SHAPE.dim(1);
        int w = SHAPE.dim(2);
        int ph = h + 2 * p;
        int pw = w + 2 * p;
        float[] out = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            float[][] padded = new float[ph][pw];
            for (int y = 0; y < ph; y++) {
                for (int xx = 0; xx < pw; xx++) {
                    int sy = y - p;
                    int sx = xx - p;
                    if (reflect) {
                        sy = sy < 0 ? -sy : sy >= h ? 2 * (h - 1) - sy : sy;
                        sx = sx < 0 ? -sx : sx >= w ? 2 * (w - 1) - sx : sx;
                    }
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    padded[y][xx] = inside ? x[ch * h * w + sy * w + sx] : 0f;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    out[ch * h * w + y * w + xx] = padded[top + y][left + xx];
                }
            }
        }
        return out;
    }

    /** Which window of the padded image a result is, as "top,left"; fails when it is none. */
    private static String window(float[] result, int p, boolean reflect) {
        for (int top = 0; top <= 2 * p; top++) {
            for (int left = 0; left <= 2 * p; left++) {
                if (Arrays.equals(result, padThenCrop(image(), p, reflect, top, left))) {
                    return top + "," + left;
                }
            }
        }
        throw new AssertionError("not a window of the padded image: " + Arrays.toString(result));
    }

    @Test
    void aCropIsAWindowOfTheZeroPaddedImageAndEveryWindowIsDrawn() {
        Augmentation crop = Augmentation.none().crop(1);
        Set<String> windows = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            windows.add(window(applied(crop, 7, 1, i), 1, false));
        }
        assertEquals(9, windows.size(), "all 3×3 windows of a 1-pixel padding: " + windows);
        // the window at (0, 0) moves the content one pixel down and right, zeros entering at the top and left
        float[] moved = padThenCrop(image(), 1, false, 0, 0);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7}, Arrays.copyOf(moved, 12));
    }

    @Test
    void aReflectedCropIsAWindowOfTheReflectionPaddedImage() {
        Augmentation crop = Augmentation.none().cropReflect(2);
        Set<String> windows = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            float[] r = applied(crop, 3, 2, i);
            windows.add(window(r, 2, true));
            for (float v : r) {
                assertTrue(v > 0, "reflection brings in no zeros");
            }
        }
        // on a 3-row image some of the 25 windows look alike (rows 2,1,0 at the top and at the bottom)
        Set<String> distinct = new HashSet<>();
        for (int top = 0; top <= 4; top++) {
            for (int left = 0; left <= 4; left++) {
                distinct.add(window(padThenCrop(image(), 2, true, top, left), 2, true));
            }
        }
        assertEquals(distinct, windows, "every distinct window is drawn");
        assertThrows(IllegalArgumentException.class, () -> Augmentation.none().cropReflect(3).check(SHAPE),
                "padding 3 of a 3-row image cannot be reflected");
    }

    @Test
    void aFlipMirrorsEachRowOfEachChannelAboutHalfTheTime() {
        Augmentation flip = Augmentation.none().flip();
        float[] mirrored = {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17, 24, 23, 22, 21};
        int flipped = 0;
        for (int i = 0; i < 400; i++) {
            float[] r = applied(flip, 11, 1, i);
            if (Arrays.equals(r, mirrored)) {
                flipped++;
            } else {
                assertArrayEquals(image(), r, "a flip leaves the image as it is, or mirrors it");
            }
        }
        assertTrue(flipped > 160 && flipped < 240, flipped + " of 400 flipped");
    }

    @Test
    void aShiftMovesByAtMostKWithZerosAndKeepsTheRest() {
        Augmentation shift = Augmentation.none().shift(1);
        Set<String> moves = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            moves.add(window(applied(shift, 5, 1, i), 1, false));
        }
        assertEquals(9, moves.size(), "every move in [-1, 1]²: " + moves);
    }

    @Test
    void theDrawsDependOnSeedEpochAndIndexOnly() {
        Augmentation a = Augmentation.parse("crop:2,flip,shift:1");
        assertArrayEquals(applied(a, 1, 3, 17), applied(a, 1, 3, 17));
        int differs = 0;
        for (int i = 0; i < 50; i++) {
            boolean epoch = !Arrays.equals(applied(a, 1, 3, i), applied(a, 1, 4, i));
            boolean seed = !Arrays.equals(applied(a, 1, 3, i), applied(a, 2, 3, i));
            differs += (epoch ? 1 : 0) + (seed ? 1 : 0);
        }
        assertTrue(differs > 80, "another epoch or seed draws other changes: " + differs + " of 100 differ");
        // the image sits anywhere in the batch's array: only its own values change
        float[] batch = new float[3 * SHAPE.size()];
        System.arraycopy(image(), 0, batch, SHAPE.size(), SHAPE.size());
        a.apply(batch, SHAPE.size(), SHAPE, 1, 3, 17, new float[SHAPE.size()]);
        assertArrayEquals(applied(a, 1, 3, 17), Arrays.copyOfRange(batch, SHAPE.size(), 2 * SHAPE.size()));
        assertArrayEquals(new float[SHAPE.size()], Arrays.copyOf(batch, SHAPE.size()));
        assertArrayEquals(new float[SHAPE.size()], Arrays.copyOfRange(batch, 2 * SHAPE.size(), batch.length));
    }

    @Test
    void augmentedBatchesAreTheSameForASeedAndChangeFromEpochToEpoch() {
        int n = 40;
        float[] x = new float[n * SHAPE.size()];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 101) / 101f;
        }
        SampleSource data = SampleSource.of(SHAPE, x, y);
        Augmentation a = Augmentation.parse("crop:1,flip");
        Batches b1 = new Batches(data, 16).shuffled(9).augmented(a, 4);
        Batches b2 = new Batches(data, 16).shuffled(9).augmented(a, 4);
        Batches plain = new Batches(data, 16).shuffled(9);
        for (int epoch = 1; epoch <= 2; epoch++) {
            var i1 = b1.epoch(epoch).iterator();
            var i2 = b2.epoch(epoch).iterator();
            var ip = plain.epoch(epoch).iterator();
            while (i1.hasNext()) {
                Batch p = ip.next();
                Batch q = i1.next();
                assertArrayEquals(q.images(), i2.next().images());
                assertArrayEquals(p.labels(), q.labels(), "the same samples, in the same order");
                assertFalse(Arrays.equals(p.images(), q.images()), "augmented");
            }
        }
        assertFalse(Arrays.equals(b1.epoch(1).iterator().next().images(), b1.epoch(2).iterator().next().images()));
        // without a shuffle, epoch 1 and 2 read the same samples but crop them differently
        Batches ordered = new Batches(data, 40).augmented(a, 4);
        assertFalse(Arrays.equals(ordered.epoch(1).iterator().next().images(),
                ordered.epoch(2).iterator().next().images()));
    }

    @Test
    void batchesOfTargetTensorsOrFlatSamplesAreNotAugmented() {
        SampleSource masks = SampleSource.of(SHAPE, new float[SHAPE.size()], SHAPE, new float[SHAPE.size()]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batches(masks, 1).augmented(Augmentation.none().flip(), 1));
        assertTrue(e.getMessage().contains("target tensors"), e.getMessage());
        SampleSource flat = SampleSource.of(Shape.of(12), new float[12], new int[1]);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Batches(flat, 1).augmented(Augmentation.none().shift(1), 1));
        assertTrue(e.getMessage().contains("(C, H, W)") && e.getMessage().contains("(12)"), e.getMessage());
        // none is fine for anything
        new Batches(masks, 1).augmented(Augmentation.none(), 1);
    }

    @Test
    void theSpecReadsBackAsItIsWrittenAndBadStepsAreNamed() {
        assertEquals("crop:4,flip,shift:2", Augmentation.parse("crop:4,flip,shift:2").toString());
        assertEquals("crop:3:reflect", Augmentation.parse(" CROP:3:reflect ").toString());
        assertEquals(Augmentation.none().crop(4).flip(), Augmentation.parse("crop:4,flip"));
        assertTrue(Augmentation.parse("none").isNone());
        assertTrue(Augmentation.parse("").isNone());
        assertEquals("none", Augmentation.none().toString());
        for (String[] bad : new String[][] {{"crop", "step 'crop'"}, {"crop:x", "'x' is not a whole number"},
            {"flip,rotate:3", "step 'rotate:3'"}, {"shift:0", "1 to 64"}, {"shift:65", "1 to 64"},
            {"flip:1", "flip takes no argument"}, {"crop:2:wrap", "crop:P:reflect"}, {"flip,", "step ''"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.parse(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains("'" + bad[0] + "'"),
                    bad[0] + ": " + e.getMessage());
        }
    }
}
