package dev.jcnn.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A supplier that Spark can ship to its executors: a lambda or a method reference assigned to
 * this type is serializable, so {@code () -> ModelZoo.create("lenet5")} and
 * {@code SparseCategoricalCrossEntropy::new} say how each executor makes its replica.
 *
 * @param <T> what it supplies
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
