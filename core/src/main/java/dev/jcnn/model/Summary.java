package dev.jcnn.model;

import dev.jcnn.tensor.Shape;
import java.util.List;

/** Renders the Keras-like summary table: layer (type), output shape with the batch as "None", parameters, totals. */
public final class Summary {

    /**
     * One row: a layer, its per-sample output shape, its parameter count (trainable and not),
     * what feeds it (empty in a chain) and how many of its parameters are non-trainable state.
     */
    public record Row(String layer, String type, Shape output, long parameters, String inputs, long nonTrainable) {

        /** A row whose parameters are all trainable. */
        public Row(String layer, String type, Shape output, long parameters, String inputs) {
            this(layer, type, output, parameters, inputs, 0);
        }
    }

    private Summary() {
    }

    public static String render(String model, List<Row> rows) {
        boolean graph = rows.stream().anyMatch(r -> !r.inputs().isEmpty());
        String fmt = graph ? "%-32s %-22s %12s  %s%n" : "%-32s %-22s %12s%n";
        int width = graph ? 100 : 68;
        StringBuilder b = new StringBuilder();
        b.append("Model: \"").append(model).append("\"\n");
        b.append("-".repeat(width)).append('\n');
        b.append(String.format(fmt, "Layer (type)", "Output Shape", "Param #", "Connected to"));
        b.append("=".repeat(width)).append('\n');
        long total = 0;
        long nonTrainable = 0;
        for (Row r : rows) {
            String shape = "(None, " + r.output().toString().substring(1);
            b.append(String.format(fmt, r.layer() + " (" + r.type() + ")", shape, String.format("%,d", r.parameters()), r.inputs()));
            total += r.parameters();
            nonTrainable += r.nonTrainable();
        }
        b.append("=".repeat(width)).append('\n');
        b.append(String.format("Total params: %,d%n", total));
        b.append(String.format("Trainable params: %,d%n", total - nonTrainable));
        b.append(String.format("Non-trainable params: %,d%n", nonTrainable));
        b.append("-".repeat(width)).append('\n');
        return b.toString();
    }
}
