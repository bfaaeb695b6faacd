package dev.jcnn.data;

import java.nio.file.Path;

/**
 * The contents of an IDX file of unsigned bytes.
 *
 * @param file  where it was read from
 * @param magic the magic number: 0x00000800 plus the number of dimensions
 * @param dims  the dimensions, outermost first (for images: count, rows, columns)
 * @param data  the values, row-major
 */
public record IdxArray(Path file, int magic, int[] dims, byte[] data) {

    /** The size of the header in bytes: the magic number and one 4-byte size per dimension. */
    public int headerBytes() {
        return 4 + 4 * dims.length;
    }
}
