package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Dataset;
import dev.jcnn.data.FloatImageDataset;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Normalization;
import dev.jcnn.model.Model;
import dev.jcnn.samples.data.FitToShape;
import dev.jcnn.samples.data.PngDigits;
import dev.jcnn.samples.plot.ImageGrid;
import dev.jcnn.samples.plot.Png;
import dev.jcnn.tensor.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Draws the first layer's filters and the activation maps it makes from one image, as PNG grids. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = {"Draws the first layer's filters and activation maps as PNG grids.",
                "filters.png: the filters of a saved model's first convolution; activations.png: its output",
                "maps for one image (input.png); grey-level tiles, each stretched to its own range."})
final class VisualizeCommand implements Callable<Integer> {

    static final String FILTERS = "filters.png";
    static final String ACTIVATIONS = "activations.png";
    static final String INPUT = "input.png";
    /** Pixels per filter weight and per activation value, per side. */
    static final int FILTER_SCALE = 12;
    static final int MAP_SCALE = 4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "A file written by 'jcnn train'.")
    Path file;

    static final class Source {
        @Option(names = "--index", paramLabel = "N", description = "An MNIST test image (default: 0).")
        Integer index;

        @Option(names = "--image", paramLabel = "FILE", description = "An image file, read as a 28×28 digit.")
        Path image;
    }

    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output folder (default: a 'visualize' folder beside the model file).")
    Path output;

    @Mixin
    DataOptions data;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelFiles.modelName(file);
        float[] digit;
        String what;
        if (source != null && source.image != null) {
            digit = PngDigits.read(source.image, PngDigits.Invert.AUTO);
            what = source.image.toString();
        } else {
            int i = source != null && source.index != null ? source.index : 0;
            Dataset test = data.load().test();
            if (i < 0 || i >= test.size()) {
                throw new IllegalArgumentException("--index " + i + ": expected 0 to " + (test.size() - 1));
            }
            digit = test.image(i);
            what = "test[" + i + "] (label " + test.label(i) + ")";
        }
        Path dir = output != null ? output : file.toAbsolutePath().getParent().resolve("visualize");
        try (Backend backend = backendChoice.start(); Model m = ModelFiles.open(file, backend)) {
            // a stored normalisation runs before the first convolution, as in training
            Layer first = m.layers().get(0);
            Layer before = null;
            if (first instanceof Normalization && m.layers().size() > 1) {
                before = first;
                first = m.layers().get(1);
            }
            if (!(first instanceof Conv2D)) {
                throw new IllegalArgumentException(m.name() + ": the first layer '" + first.name() + "' is "
                        + first.type() + "; visualize draws a convolution's filters");
            }
            Shape in = m.inputShape();
            float[] x = FitToShape.of(new FloatImageDataset(Shape.of(1, 28, 28), digit, new int[] {0}, 1), in).images();
            // filters: K × C tiles of kh × kw, one row per filter
            Tensor kernel = first.parameters().get(0).value();
            Shape ks = kernel.shape();
            int k = ks.dim(0);
            int c = ks.dim(1);
            int kh = ks.dim(2);
            int kw = ks.dim(3);
            float[] w = kernel.toArray();
            List<float[]> filters = new ArrayList<>();
            for (int i = 0; i < k * c; i++) {
                filters.add(Arrays.copyOfRange(w, i * kh * kw, (i + 1) * kh * kw));
            }
            Path f = Png.write(ImageGrid.draw(filters, kh, kw, Math.max(c, Math.min(8, k)), FILTER_SCALE),
                    dir.resolve(FILTERS));
            float[] maps;
            Shape ms;
            try (Tensor xt = backend.upload(in.withBatch(1), x)) {
                Tensor y = first.forward(before == null ? xt : before.forward(xt, false), false);
                ms = y.shape();
                maps = y.toArray();
            }
            int mh = ms.dim(2);
            int mw = ms.dim(3);
            List<float[]> tiles = new ArrayList<>();
            for (int i = 0; i < ms.dim(1); i++) {
                tiles.add(Arrays.copyOfRange(maps, i * mh * mw, (i + 1) * mh * mw));
            }
            Path a = Png.write(ImageGrid.draw(tiles, mh, mw, Math.min(8, tiles.size()), MAP_SCALE),
                    dir.resolve(ACTIVATIONS));
            List<float[]> inputTiles = new ArrayList<>();
            int per = in.dim(1) * in.dim(2);
            for (int ch = 0; ch < in.dim(0); ch++) {
                inputTiles.add(Arrays.copyOfRange(x, ch * per, (ch + 1) * per));
            }
            Path p = Png.write(ImageGrid.draw(inputTiles, in.dim(1), in.dim(2), in.dim(0), MAP_SCALE), dir.resolve(INPUT));
            out.printf("%s: %d filters of %d×%d×%d in %s; %d activation maps of %d×%d for %s in %s; input in %s%n",
                    first.name(), k, c, kh, kw, f, tiles.size(), mh, mw, what, a, p);
        }
        return 0;
    }
}
