package dev.jcnn.backend;

/** How a pooling window is reduced. Padded cells never win a max and add zero to a sum. */
public enum PoolMode {
    MAX,
    /** Mean over the whole window, padded cells counted as zeros (PyTorch count_include_pad=True). */
    AVERAGE_INCLUDE_PAD,
    /** Mean over the window's cells that lie inside the input (Keras, PyTorch count_include_pad=False). */
    AVERAGE_EXCLUDE_PAD,
    /** Sum over the window: the include-pad average times the window area. */
    SUM
}
