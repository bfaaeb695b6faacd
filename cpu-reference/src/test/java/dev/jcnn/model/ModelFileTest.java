package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Concatenate;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Conv2DTranspose;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.LeakyReLU;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Normalization;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TestData;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-describing model files: a model rebuilt from its file alone, and the files it refuses. */
class ModelFileTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cpu.close();
    }

    /** A small classifier with normalisation, batch normalisation and dropout, trained a few steps. */
    private Sequential trained(float[] x, int[] labels) {
        Sequential m = new Sequential("small", Shape.of(2, 8, 8),
                Normalization.adapt(Shape.of(2, 8, 8), x),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new BatchNormalization(),
                new MaxPool2D(2),
                new Flatten(),
                new Dropout(0.25),
                new Dense(3, Activation.SOFTMAX));
        m.build(cpu, 3).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
        m.classNames(List.of("circle", "square", "cross"));
        m.fit(x, labels, FitOptions.of(2, 8).seed(5));
        return m;
    }

    /** A functional model with a residual Add, a Concatenate skip, upsampling and a transposed convolution. */
    static Functional merges() {
        Node x = Input.of("image", Shape.of(3, 8, 8));
        Node n = new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}).apply(x);
        Node h = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(n);
        Node r = new Conv2D(4, 3).padding(Padding.SAME).apply(h);
        Node sum = new LeakyReLU(0.1f).apply(new Add().apply(h, r));
        Node down = new MaxPool2D(2).apply(sum);
        Node up = new UpSampling2D(2).apply(new Conv2D(4, 3).padding(Padding.SAME).apply(down));
        Node t = new Conv2DTranspose(2, 3).padding(Padding.SAME).apply(down);
        Node skip = new Concatenate().apply(sum, up, new UpSampling2D(2).apply(t));
        Node y = new Dense(5, Activation.SOFTMAX).apply(new GlobalAveragePooling2D().apply(skip));
        return new Functional("merges", x, y);
    }

    private static Map<String, float[]> values(Model m) {
        Map<String, float[]> v = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.weights().entrySet()) {
            v.put(e.getKey(), e.getValue().toArray());
        }
        return v;
    }

    private void assertSameModel(Model original, Model rebuilt, float[] x) {
        assertEquals(original.getClass(), rebuilt.getClass());
        assertEquals(original.summary(), rebuilt.summary());
        assertEquals(original.classNames(), rebuilt.classNames());
        Map<String, float[]> a = values(original);
        Map<String, float[]> b = values(rebuilt);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
        assertArrayEquals(original.predict(x, 4), rebuilt.predict(x, 4), "predictions of " + original.name());
    }

    @Test
    void everyZooModelReloadsFromItsFileAlone() throws IOException {
        // the small classifiers and the U-Net; the ImageNet models' files (up to 0.55 GB) are left out
        List<String> names = new ArrayList<>(ModelZoo.SMALL);
        names.add(ModelZoo.UNET);
        for (String name : names) {
            Model m = ModelZoo.create(name);
            m.build(cpu, 11);
            float[] x = new TestData(2).gaussian(3 * m.inputShape().size(), 1);
            Path file = dir.resolve(name + ".jcnn");
            m.save(file);
            try (Model back = Model.load(file, cpu)) {
                assertSameModel(m, back, x);
            }
            m.close();
        }
    }

    @Test
    void aFunctionalModelWithMergesReloadsFromItsFile() throws IOException {
        Functional m = merges();
        m.build(cpu, 4);
        m.classNames(List.of("a", "b", "c", "d", "e"));
        Path file = dir.resolve("merges.jcnn");
        m.save(file);
        try (Model back = Model.load(file, cpu)) {
            assertEquals(List.of("image"), List.of(((Functional) back).inputNode().name()));
            assertSameModel(m, back, new TestData(3).uniform(2 * 3 * 64, 0, 1));
        }
        m.close();
    }

    @Test
    void aCheckpointCarriesTheArchitecture() throws IOException {
        TestData data = new TestData(9);
        float[] x = data.uniform(24 * 128, 0, 1);
        Sequential m = trained(x, data.labels(24, 3));
        Path file = dir.resolve("checkpoint.jcnn");
        m.saveCheckpoint(file, Map.of("epoch", "2"));
        try (Model back = Model.load(file, cpu)) {
            assertSameModel(m, back, x);
        }
        m.close();
    }

    /** "A model trained in one JVM reloads in another from its file alone and predicts identically." */
    @Test
    void aModelTrainedHereReloadsInAnotherJvmAndPredictsIdentically() throws Exception {
        TestData data = new TestData(21);
        float[] x = data.uniform(40 * 128, 0, 1);
        Sequential m = trained(x, data.labels(40, 3));
        Path file = dir.resolve("trained.jcnn");
        m.save(file);
        float[] here = m.predict(x, 7);
        m.close();

        Path in = dir.resolve("x.f32");
        Path out = dir.resolve("y.f32");
        Files.write(in, ReloadMain.toBytes(x));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-modules") || a.startsWith("-Xmx") || a.startsWith("--enable-preview"))
                .toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReloadMain.class.getName(), file.toString(),
                in.toString(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log;
        try (InputStream s = p.getInputStream()) {
            log = new String(s.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "second JVM did not finish");
        assertEquals(0, p.exitValue(), "second JVM failed:\n" + log);
        float[] there = ReloadMain.readFloats(out);
        assertEquals(here.length, there.length);
        for (int i = 0; i < here.length; i++) {
            assertEquals(Float.floatToRawIntBits(here[i]), Float.floatToRawIntBits(there[i]), "prediction " + i
                    + ": " + here[i] + " here, " + there[i] + " in the second JVM");
        }
        assertEquals(List.of("circle", "square", "cross"), Files.readAllLines(Path.of(out + ".classes")));
    }

    // ---- files written by main before format 1, and hostile files --------------------------------

    /** The model main's MakeFixture (beside the fixtures) saved, built from code. */
    private static Sequential fixtureModel() {
        return new Sequential("old", Shape.of(1, 6, 6),
                new Conv2D(3, 3).padding(Padding.SAME).activation(Activation.RELU),
                new BatchNormalization(),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(4, Activation.SOFTMAX));
    }

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = ModelFileTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void filesWrittenBeforeFormat1StillLoadIntoAModelBuiltByCode() throws IOException {
        float[] x = new TestData(5).gaussian(4 * 36, 1);
        try (Sequential seven = fixtureModel(); Sequential other = fixtureModel()) {
            seven.build(cpu, 7);
            other.build(cpu, 99);
            float[] expected = seven.predict(x, 4);
            assertNotEquals(expected[0], other.predict(x, 4)[0], "seeds 7 and 99 must differ for the test to show anything");
            for (String f : List.of("main-format-weights.jcnn", "main-format-checkpoint.jcnn")) {
                other.load(fixture(f));
                assertArrayEquals(expected, other.predict(x, 4), f);
            }
        }
    }

    @Test
    void filesWrittenBeforeFormat1AreRefusedByModelLoadWithAClearMessage() throws IOException {
        Path old = fixture("main-format-weights.jcnn");
        String m = assertThrows(WeightsFileException.class, () -> Model.load(old, cpu)).getMessage();
        assertTrue(m.contains(old.toString()) && m.contains("holds weights only") && m.contains("before format 1")
                && m.contains("model.load(path)") && m.contains("'old'"), m);
    }

    /** A valid file whose architecture is replaced by {@code json}. */
    private Path withArchitecture(String json) throws IOException {
        Sequential m = fixtureModel();
        m.build(cpu, 1);
        Path good = dir.resolve("good.jcnn");
        m.save(good);
        m.close();
        TensorFile.Contents c = TensorFile.read(good);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(ModelFormat.METADATA_KEY, json);
        Path bad = dir.resolve("bad.jcnn");
        TensorFile.write(bad, meta, c.tensors());
        return bad;
    }

    private String goodJson() throws IOException {
        Sequential m = fixtureModel();
        m.build(cpu, 1);
        String json = m.fileMetadata().get(ModelFormat.METADATA_KEY);
        m.close();
        return json;
    }

    private String refusal(String json) throws IOException {
        Path bad = withArchitecture(json);
        String m = assertThrows(WeightsFileException.class, () -> Model.load(bad, cpu)).getMessage();
        assertTrue(m.startsWith(bad + ": metadata 'architecture': "), m);
        return m;
    }

    @Test
    void corruptArchitecturesAreRefusedNamingTheFileTheLayerAndTheField() throws IOException {
        String good = goodJson();
        assertTrue(good.contains("\"type\":\"Conv2D\",\"name\":\"conv2d_1\""), good);

        String m = refusal(good.replace("\"type\":\"Conv2D\"", "\"type\":\"Conv9D\""));
        assertTrue(m.contains("layer 'conv2d_1': unknown type 'Conv9D'"), m);

        m = refusal(good.replace("\"filters\":3,", ""));
        assertTrue(m.contains("layer 'conv2d_1' (Conv2D): field 'filters' is missing"), m);

        m = refusal(good.replace("\"units\":4", "\"units\":\"four\""));
        assertTrue(m.contains("layer 'dense_1' (Dense): field 'units' is string \"four\""), m);

        m = refusal(good.replace("\"momentum\":0.99", "\"momentum\":7"));
        assertTrue(m.contains("batch_normalization_1") && m.contains("momentum") && m.contains("7"), m);

        m = refusal(good.replace("\"format\":1", "\"format\":2"));
        assertTrue(m.contains("format 2") && m.contains("newer jcnn"), m);

        m = refusal(good.replace("\"inputs\":[\"conv2d_1\"]", "\"inputs\":[\"nowhere\"]"));
        assertTrue(m.contains("layer 'batch_normalization_1': field 'inputs'") && m.contains("nowhere"), m);

        m = refusal(good.replace("\"shape\":[1,6,6]", "\"shape\":[1,6,-6]"));
        assertTrue(m.contains("field 'shape'"), m);

        m = refusal(good.substring(0, good.length() / 2));
        assertTrue(m.contains("not valid JSON"), m);

        m = refusal("[".repeat(100_000) + "]".repeat(100_000));
        assertTrue(m.contains("not valid JSON") && m.contains("nesting depth"), m);

        m = refusal("{\"format\":1,\"pad\":\"" + "x".repeat(ModelFormat.MAX_CHARS) + "\"}");
        assertTrue(m.contains("more than the limit of " + ModelFormat.MAX_CHARS), m);

        // the weights must still fit the architecture the file describes
        m = assertThrows(WeightsFileException.class, () -> Model.load(withArchitecture(good.replace("\"units\":4",
                "\"units\":5")), cpu)).getMessage();
        assertTrue(m.contains("dense_1/kernel") && m.contains("(5, 27)"), m);
    }

    @Test
    void aLoadedVarianceThatIsNoPositiveSquareIsRefusedNamingLayerAndChannel() throws IOException {
        Sequential m = new Sequential(Shape.of(2), new Normalization(new float[] {1, 2}, new float[] {3, 4}),
                new Dense(2, Activation.SOFTMAX));
        m.build(cpu, 1);
        Path good = dir.resolve("n.jcnn");
        m.save(good);
        TensorFile.Contents c = TensorFile.read(good);
        Map<String, TensorFile.Entry> tensors = new LinkedHashMap<>(c.tensors());
        tensors.put("normalization_1/variance", new TensorFile.Entry(Shape.of(2), new float[] {9, -1}));
        Path bad = dir.resolve("n-bad.jcnn");
        TensorFile.write(bad, c.metadata(), tensors);
        float[] before = m.predict(new float[] {1, 1}, 1);
        String msg = assertThrows(WeightsFileException.class, () -> m.load(bad)).getMessage();
        assertTrue(msg.contains(bad.toString()) && msg.contains("normalization_1") && msg.contains("channel 1"), msg);
        assertArrayEquals(before, m.predict(new float[] {1, 1}, 1), "a refused file changes nothing");

        m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
        Path checkpoint = dir.resolve("n-checkpoint.jcnn");
        m.saveCheckpoint(checkpoint, Map.of());
        TensorFile.Contents cc = TensorFile.read(checkpoint);
        Map<String, TensorFile.Entry> ct = new LinkedHashMap<>(cc.tensors());
        ct.put("normalization_1/variance", new TensorFile.Entry(Shape.of(2), new float[] {0, 16}));
        TensorFile.write(checkpoint, cc.metadata(), ct);
        msg = assertThrows(WeightsFileException.class, () -> m.loadCheckpoint(checkpoint)).getMessage();
        assertTrue(msg.contains(checkpoint.toString()) && msg.contains("normalization_1") && msg.contains("channel 0"),
                msg);
        assertArrayEquals(before, m.predict(new float[] {1, 1}, 1), "a refused checkpoint changes nothing");
        m.close();
    }

    @Test
    void aModelWithALayerClassFromOutsideCoreIsSavedWithItsWeightsOnly() throws IOException {
        try (Sequential m = new Sequential(Shape.of(4), new UpstreamGradientTest.Counting(), new Dense(2))) {
            m.build(cpu, 1);
            assertTrue(!m.fileMetadata().containsKey(ModelFormat.METADATA_KEY), "Counting has no LayerConfig entry");
            Path file = dir.resolve("custom.jcnn");
            m.save(file);
            m.load(file);
            String msg = assertThrows(WeightsFileException.class, () -> Model.load(file, cpu)).getMessage();
            assertTrue(msg.contains("holds weights only") && msg.contains("layers outside jcnn-core"), msg);
        }
    }

    @Test
    void classNamesMustCountTheOutputsClasses() {
        Sequential m = fixtureModel();
        String msg = assertThrows(IllegalArgumentException.class, () -> m.classNames(List.of("a", "b"))).getMessage();
        assertTrue(msg.contains("2 class names") && msg.contains("(4)"), msg);
        assertThrows(IllegalArgumentException.class, () -> m.classNames(List.of("a", "b", "a", "c")));
        assertEquals(List.of("w", "x", "y", "z"), m.classNames(List.of("w", "x", "y", "z")).classNames());
    }
}
