package dev.jcnn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CIFAR-10 binary file that is not what it should be. The message names the file, the byte
 * offset, what was expected and what was found.
 */
public final class CifarFormatException extends IOException {

    private final transient Path file;
    private final long offset;

    public CifarFormatException(Path file, long offset, String problem) {
        super(file + (offset >= 0 ? ", offset " + offset : "") + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The byte offset of the problem, or -1 when it concerns the whole file. */
    public long offset() {
        return offset;
    }
}
