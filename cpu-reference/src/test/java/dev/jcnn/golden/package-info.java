/**
 * The golden PyTorch cases (cpu-reference's test resources, folder {@code golden/}) and
 * their runner, in cpu-reference's test-jar so that every backend runs every case:
 * subclass {@link GoldenConformance} and return the backend. Each {@code .json} file is its
 * own dynamic test named by the file; {@link GoldenOps} maps each op name to backend calls,
 * {@link SgdStep} builds the listed Sequential for {@code sgd_step}. An unknown op,
 * parameter or output fails the case; nothing is skipped.
 *
 * <p>A module outside cpu-reference needs, at test scope, {@code jcnn-cpu-reference} with
 * {@code <type>test-jar</type>}, {@code jcnn-core}'s test-jar and {@code jackson-databind}.
 */
package dev.jcnn.golden;
