package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dependency docs/cuda.md tells users to add is the jar RedistJar reads and the profile cuda-redist tests. */
class RedistDocTest {

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        assertTrue(m.find(), "no <" + name + "> in\n" + xml);
        return m.group(1);
    }

    @Test
    void theDocumentedDependencyIsTheOneReadAndTested() throws Exception {
        String doc = Files.readString(Path.of("../docs/cuda.md"));
        int section = doc.indexOf("## cuBLAS and cuDNN as a Maven dependency");
        assertTrue(section >= 0, "docs/cuda.md has the section");
        int start = doc.indexOf("```xml", section);
        String xml = doc.substring(start, doc.indexOf("```", start + 6));
        String coordinates = tag(xml, "groupId") + ":" + tag(xml, "artifactId") + ":" + tag(xml, "version") + ":jar:"
                + tag(xml, "classifier");
        assertEquals(RedistJar.COORDINATES, coordinates);
        String pom = Files.readString(Path.of("pom.xml"));
        String profile = pom.substring(pom.indexOf("<id>cuda-redist</id>"));
        assertEquals(tag(xml, "version"), tag(profile, "version"));
        assertEquals(tag(xml, "classifier"), tag(profile, "classifier"));
    }
}
