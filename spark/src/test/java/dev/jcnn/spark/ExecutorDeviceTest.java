package dev.jcnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** A task's GPU from Spark's resource scheduling becomes its replica's CUDA device. */
class ExecutorDeviceTest {

    @Test
    void theFirstAssignedGpuAddressIsTheDevice() {
        assertEquals(3, ExecutorDevice.options(Map.of("gpu", new ResourceInformation("gpu", new String[] {"3", "1"})))
                .device());
        assertEquals(0, ExecutorDevice.options(Map.of()).device(), "no GPU resources: device 0");
        assertEquals(0, ExecutorDevice.options((org.apache.spark.TaskContext) null).device(), "on the driver");
        assertEquals(0, ExecutorDevice.options(Map.of("gpu", new ResourceInformation("gpu", new String[0]))).device());
    }

    @Test
    void anAddressThatIsNoDeviceNumberIsNamed() {
        String m = assertThrows(IllegalStateException.class, () -> ExecutorDevice.options(
                Map.of("gpu", new ResourceInformation("gpu", new String[] {"GPU-5f1c"})))).getMessage();
        assertTrue(m.contains("'GPU-5f1c'") && m.contains("device number"), m);
    }
}
