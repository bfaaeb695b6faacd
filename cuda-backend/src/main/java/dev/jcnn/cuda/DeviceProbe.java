package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import dev.jcnn.backend.Availability;
import dev.jcnn.cuda.natives.NativeProbe;
import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.jcudnn.JCudnn;

/**
 * Asks the loaded driver and cuDNN whether the backend can start: a device is visible, the
 * driver is new enough for the cuBLAS found, and cuDNN is the major it was found as. Creates
 * no context, so it is cheap.
 */
final class DeviceProbe {

    private DeviceProbe() {
    }

    static Availability check(NativeProbe.Plan plan, String libraries, int ordinal) {
        int r = cuInit(0);
        if (r != CUresult.CUDA_SUCCESS) {
            return Availability.no(initFailure(r, plan));
        }
        int[] count = new int[1];
        r = cuDeviceGetCount(count);
        if (r != CUresult.CUDA_SUCCESS) {
            return Availability.no("cuDeviceGetCount failed: " + CUresult.stringFor(r));
        }
        if (count[0] == 0) {
            return Availability.no("no CUDA device: the NVIDIA driver (" + plan.driver() + ") sees none"
                    + visibleDevices());
        }
        if (ordinal >= count[0]) {
            return Availability.no("CUDA device " + ordinal + " was asked for, but the driver sees only " + count[0]
                    + visibleDevices());
        }
        int[] version = new int[1];
        cuDriverGetVersion(version);
        int driverMajor = version[0] / 1000;
        int cublasMajor = plan.cublas().major();
        if (driverMajor < cublasMajor) {
            return Availability.no("the NVIDIA driver supports CUDA " + driverMajor + "." + (version[0] % 1000 / 10)
                    + ", but " + plan.cublas().found() + " (" + plan.cublas().path() + ") needs a CUDA " + cublasMajor
                    + " driver; update the driver or use an older cuBLAS");
        }
        long cudnn = JCudnn.cudnnGetVersion();
        long cudnnMajor = cudnn >= 90000 ? cudnn / 10000 : cudnn / 1000;
        if (cudnnMajor != plan.cudnn().major()) {
            return Availability.no(plan.cudnn().path() + " reports cuDNN " + Gpu.cudnnVersionString(cudnn)
                    + ", not major " + plan.cudnn().major() + " as its name says");
        }
        CUdevice device = new CUdevice();
        cuDeviceGet(device, ordinal);
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return Availability.yes(new String(name, 0, len, StandardCharsets.US_ASCII) + " (device " + ordinal + " of "
                + count[0] + "), driver CUDA " + driverMajor + "." + (version[0] % 1000 / 10) + ", cuDNN "
                + Gpu.cudnnVersionString(cudnn) + "; " + libraries);
    }

    private static String initFailure(int r, NativeProbe.Plan plan) {
        String name = CUresult.stringFor(r);
        if (r == CUresult.CUDA_ERROR_NO_DEVICE) {
            return "no CUDA device: cuInit reports " + name + " (driver " + plan.driver() + ")" + visibleDevices();
        }
        if (r == CUresult.CUDA_ERROR_STUB_LIBRARY) {
            return plan.driver() + " is the CUDA toolkit's stub of libcuda.so.1, not a driver (cuInit: " + name
                    + "); install the NVIDIA driver or remove the stubs folder from LD_LIBRARY_PATH";
        }
        if (r == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) {
            return "the NVIDIA kernel module and the driver library " + plan.driver() + " have different versions"
                    + " (cuInit: " + name + "); reboot or reinstall the driver";
        }
        return "cuInit failed: " + name + " (" + r + ") with the driver " + plan.driver();
    }

    private static String visibleDevices() {
        String v = System.getenv("CUDA_VISIBLE_DEVICES");
        return v == null ? "" : " (CUDA_VISIBLE_DEVICES=" + v + ")";
    }
}
