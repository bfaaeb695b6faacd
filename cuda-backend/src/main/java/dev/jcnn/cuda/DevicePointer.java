package dev.jcnn.cuda;

import jcuda.driver.CUdeviceptr;

/** Something that holds device memory: a tensor or a scratch buffer. */
interface DevicePointer {

    /** The device address, for JCuda calls. */
    CUdeviceptr pointer();
}
