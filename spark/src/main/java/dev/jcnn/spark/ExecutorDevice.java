package dev.jcnn.spark;

import dev.jcnn.backend.BackendOptions;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which GPU a task's replica runs on. With Spark's GPU resource scheduling
 * ({@code spark.executor.resource.gpu.amount=1}, {@code spark.task.resource.gpu.amount=1} and a
 * discovery script), Spark gives each task the addresses of its GPUs; the replica takes the
 * first as its CUDA device. Without GPU resources (the CPU backend, or a machine with one GPU
 * and no scheduling) it is device 0.
 */
final class ExecutorDevice {

    /** Spark's name of the GPU resource. */
    static final String GPU = "gpu";

    private ExecutorDevice() {
    }

    /** The options for a replica built in this task (no task: on the driver, device 0). */
    static BackendOptions options(TaskContext task) {
        return options(task == null ? Map.of() : task.resourcesJMap());
    }

    /**
     * The options for a task given these resources: the first GPU address as the device.
     *
     * @throws IllegalStateException when Spark assigned a GPU whose address is not a device number
     */
    static BackendOptions options(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get(GPU);
        if (gpu == null || gpu.addresses().length == 0) {
            return BackendOptions.defaults();
        }
        String address = gpu.addresses()[0];
        int device;
        try {
            device = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            device = -1;
        }
        if (device < 0) {
            throw new IllegalStateException("Spark assigned this task the GPU address '" + address + "', expected a"
                    + " CUDA device number (0, 1, ...); make the GPU discovery script print device indices");
        }
        return new BackendOptions(BackendOptions.defaults().numerics(), BackendOptions.defaults().threads(), device);
    }
}
