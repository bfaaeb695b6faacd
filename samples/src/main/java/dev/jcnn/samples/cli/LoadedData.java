package dev.jcnn.samples.cli;

import dev.jcnn.data.Dataset;
import java.io.IOException;
import java.util.List;

/**
 * A dataset as the commands use it: its name, the training and test images, the class names,
 * and what must be closed when done (the open files of a streamed set).
 */
record LoadedData(String name, Dataset train, Dataset test, List<String> classNames, AutoCloseable resource)
        implements AutoCloseable {

    /** The name of class c, or the number when the dataset names none. */
    String className(int c) {
        return c >= 0 && c < classNames.size() ? classNames.get(c) : Integer.toString(c);
    }

    @Override
    public void close() throws IOException {
        if (resource != null) {
            try {
                resource.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
