package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Shape;

/**
 * What a golden PyTorch case gives an op of the table to build its case from: named
 * parameters and the shapes of its inputs. cpu-reference's {@code golden.GoldenCase} (one JSON
 * file) implements it; each accessor throws, naming the file and the parameter, when the value
 * is missing or malformed.
 */
public interface GoldenParams {

    /** An integer parameter. */
    int intParam(String key);

    /** A parameter given as two integers (height, width); a single integer means both. */
    int[] pairParam(String key);

    /** Whether the case gives the parameter (for ones with a default, e.g. conv2d's dilation). */
    boolean hasParam(String key);

    /** An integer parameter, or the default when the case does not give it. */
    default int intParam(String key, int defaultValue) {
        return hasParam(key) ? intParam(key) : defaultValue;
    }

    /** A pair parameter, or both values the default when the case does not give it. */
    default int[] pairParam(String key, int defaultValue) {
        return hasParam(key) ? pairParam(key) : new int[] {defaultValue, defaultValue};
    }

    /** A required number parameter. */
    double doubleParam(String key);

    /** A number parameter, or the default when the case does not give it. */
    double doubleParam(String key, double defaultValue);

    /** A boolean parameter, or the default when the case does not give it. */
    boolean booleanParam(String key, boolean defaultValue);

    /** A text parameter that is one of choices (e.g. gelu's approximate), or the default when the case does not give it. */
    String choiceParam(String key, String defaultValue, String... choices);

    /** The shape of a named input. */
    Shape inputShape(String input);
}
