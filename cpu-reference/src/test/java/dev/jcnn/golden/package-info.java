/**
 * The golden PyTorch cases (cpu-reference's test resources, folder {@code golden/}) and
 * their runner, in cpu-reference's test-jar so that every backend runs every case:
 * subclass {@link GoldenConformance} and return the backend. Each {@code .json} file is its
 * own dynamic test named by the file. Each op name is an op of core's case table
 * ({@code dev.jcnn.testing.cases.OpTable}), whose body runs on the file's inputs;
 * {@link SgdStep} builds the listed Sequential for {@code sgd_step}. An unknown op,
 * parameter or output fails the case; only a case the table skips on the backend skips,
 * with its reason.
 *
 * <p>A module outside cpu-reference needs, at test scope, {@code jcnn-cpu-reference} with
 * {@code <type>test-jar</type>}, {@code jcnn-core}'s test-jar and {@code jackson-databind}.
 */
package dev.jcnn.golden;
