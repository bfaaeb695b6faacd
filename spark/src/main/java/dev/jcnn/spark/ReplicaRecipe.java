package dev.jcnn.spark;

import dev.jcnn.model.Model;
import dev.jcnn.train.Loss;
import java.io.Serializable;

/**
 * How an executor makes a replica of the driver's model: the architecture, the loss, the
 * backend to build it on there, and the trainer it belongs to (replicas are cached by it).
 */
record ReplicaRecipe(String trainerId, SerializableSupplier<Model> architecture, SerializableSupplier<Loss> loss,
        String backend, long seed) implements Serializable {

    private static final long serialVersionUID = 1L;
}
