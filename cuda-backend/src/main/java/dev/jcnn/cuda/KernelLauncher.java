package dev.jcnn.cuda;

/**
 * Launches one of the backend's own kernels over a number of work items. {@link Kernels}
 * launches them on the GPU; the op families that only launch kernels take this, so that a
 * test can run the same CUDA C on the host.
 */
interface KernelLauncher {

    /**
     * Launches {@code k} over {@code work} items; the arguments follow {@link Kernel#signature()}
     * (a {@link DevicePointer} for each pointer, Integer, Float or Double for the rest).
     */
    void launch(Kernel k, long work, Object... args);
}
