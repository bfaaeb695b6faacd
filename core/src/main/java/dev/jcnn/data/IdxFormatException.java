package dev.jcnn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX file that is not what it should be. The message names the file, the byte offset
 * (in the decompressed data for .gz files), what was expected and what was found.
 */
public final class IdxFormatException extends IOException {

    private final transient Path file;
    private final long offset;

    public IdxFormatException(Path file, long offset, String problem) {
        super(file + (offset >= 0 ? ", offset " + offset : "") + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public IdxFormatException(Path file, long offset, String problem, Throwable cause) {
        this(file, offset, problem);
        initCause(cause);
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
