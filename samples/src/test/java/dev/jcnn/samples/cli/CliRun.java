package dev.jcnn.samples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Runs the command line in this JVM and keeps what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jcnn.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(a);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The committed slice of MNIST: the first 2,000 training and 500 test images. */
    static Path slice() {
        try {
            return Path.of(CliRun.class.getResource("/mnist-slice").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
}
