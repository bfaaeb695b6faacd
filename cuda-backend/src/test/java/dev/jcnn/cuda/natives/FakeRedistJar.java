package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small stand-in for JavaCPP's 2 GB redist jar: the same entry names under
 * {@link RedistJar#FOLDER}, each holding a 64-bit ELF magic number and bytes made from its
 * name, stored uncompressed so that a test can damage one in place.
 */
final class FakeRedistJar {

    static final String VERSION = "12.6-9.5-test";

    private FakeRedistJar() {
    }

    /** The bytes of one library: the ELF header's first bytes, the name, then filler from the name. */
    static byte[] content(String name, int size) {
        byte[] b = new byte[size];
        byte[] n = ("fake " + name + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = n[i % n.length];
        }
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1};
        System.arraycopy(elf, 0, b, 0, elf.length);
        return b;
    }

    /** Writes the jar with every library of {@code names}, {@code size} bytes each. */
    static Path write(Path jar, List<String> names, int size) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            put(zip, "META-INF/maven/org.bytedeco/cuda/pom.properties",
                    ("groupId=org.bytedeco\nartifactId=cuda\nversion=" + VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            for (String name : names) {
                put(zip, RedistJar.FOLDER + name, content(name, size));
            }
        }
        return jar;
    }

    /** Writes the jar with all of {@link RedistJar#LIBRARIES}. */
    static Path write(Path jar, int size) throws IOException {
        return write(jar, RedistJar.LIBRARIES, size);
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
