package dev.jcnn.cuda.natives;

import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link RedistJarTest}: extracts the jar named by the first
 * argument into the folder named by the second and prints how many libraries it wrote.
 */
public final class RedistExtractMain {

    private RedistExtractMain() {
    }

    public static void main(String[] args) {
        RedistJar redist = new RedistJar(Path.of(args[0]), Path.of(args[1]));
        System.out.println("written: " + redist.extract().size());
    }
}
