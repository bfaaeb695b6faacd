package dev.jcnn.layers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names the layers of one functional graph as they are applied, Keras-style ("conv2d_1",
 * "conv2d_2"), counting per graph so that the names, the keys of weight files, do not depend
 * on what else the program built. Explicit names are kept and must be unique.
 */
final class Naming {

    private final Map<String, Integer> counts = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /** Reserves a name (an input's); throws if it is taken. */
    void claim(String name) {
        if (!used.add(name)) {
            throw new IllegalArgumentException("the name '" + name + "' is used twice in this graph; names key the"
                    + " weights file and must be unique");
        }
    }

    /** Frees a name again (the layer it was given to could not be applied). */
    void release(String name) {
        used.remove(name);
    }

    /** Gives the layer the next free name of its kind unless it has one, then reserves it. */
    void name(Layer layer) {
        if (layer.name() != null) {
            claim(layer.name());
            return;
        }
        String base = snake(layer.getClass().getSimpleName());
        String name;
        do {
            name = base + "_" + counts.merge(base, 1, Integer::sum);
        } while (used.contains(name));
        layer.named(name);
        used.add(name);
    }

    /**
     * Keras' to_snake_case: Conv2D → conv2d, MaxPool2D → max_pool2d, Conv2DTranspose →
     * conv2d_transpose, PReLU → p_re_lu; ActivationLayer → activation.
     */
    static String snake(String type) {
        String t = type.endsWith("Layer") ? type.substring(0, type.length() - 5) : type;
        return t.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
