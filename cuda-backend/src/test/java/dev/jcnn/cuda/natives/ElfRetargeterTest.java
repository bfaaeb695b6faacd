package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.cuda.natives.ElfFile.VersionAux;
import dev.jcnn.cuda.natives.ElfFile.VersionNeed;
import dev.jcnn.cuda.natives.ElfRetargeter.TargetVersioning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retargeting checked on the real JNI libraries of JCuda's linux-x86_64 natives jars. */
class ElfRetargeterTest {

    private static final byte[] CUBLAS2 = JniLibraries.read(JniLibraries.CUBLAS2);
    private static final byte[] CUDNN = JniLibraries.read(JniLibraries.CUDNN);

    @Test
    void elfHashMatchesTheValuesTheLinkerStored() {
        // JCuda's libraries store these hashes for the versions they need.
        ElfFile elf = ElfFile.of(CUBLAS2, "libJCublas2");
        for (VersionNeed need : elf.versionNeeds()) {
            for (VersionAux aux : need.versions()) {
                assertEquals(ElfFile.elfHash(aux.name()), aux.hash(), "hash of " + aux.name());
            }
        }
        assertEquals(0x09691a75, ElfFile.elfHash("GLIBC_2.2.5"));
    }

    @Test
    void readsWhatJCudaWasLinkedAgainst() {
        ElfFile cublas = ElfFile.of(CUBLAS2, "libJCublas2");
        assertTrue(cublas.needed().contains("libcublas.so.11"), cublas.needed().toString());
        assertEquals("libJCublas2-11.7.0-linux-x86_64.so", cublas.soname());
        VersionNeed need = find(cublas, "libcublas.so.11");
        assertEquals(List.of("libcublas.so.11"), need.versions().stream().map(VersionAux::name).toList());

        ElfFile cudnn = ElfFile.of(CUDNN, "libJCudnn");
        assertTrue(cudnn.needed().contains("libcudnn.so.8"), cudnn.needed().toString());
        assertEquals(List.of("libcudnn.so.8"), find(cudnn, "libcudnn.so.8").versions().stream()
                .map(VersionAux::name).toList());
    }

    @Test
    void retargetsCublasToVersion13() {
        byte[] out = ElfRetargeter.retarget(CUBLAS2, "libJCublas2", "libcublas.so.11", "libcublas.so.13",
                TargetVersioning.VERSIONED);
        ElfFile before = ElfFile.of(CUBLAS2, "before");
        ElfFile after = ElfFile.of(out, "after");

        assertEquals(CUBLAS2.length, out.length);
        List<String> expectedNeeded = new ArrayList<>(before.needed());
        expectedNeeded.replaceAll(n -> n.equals("libcublas.so.11") ? "libcublas.so.13" : n);
        assertEquals(expectedNeeded, after.needed());
        assertFalse(String.join(",", after.needed()).contains("libcublas.so.11"));

        VersionNeed need = find(after, "libcublas.so.13");
        assertEquals(1, need.versions().size());
        VersionAux aux = need.versions().get(0);
        assertEquals("libcublas.so.13", aux.name());
        assertEquals(ElfFile.elfHash("libcublas.so.13"), aux.hash());
        assertNotEquals(ElfFile.elfHash("libcublas.so.11"), aux.hash());
        assertEquals(find(before, "libcublas.so.11").versions().get(0).other(), aux.other());

        // Every other version need (glibc, libstdc++) is untouched, and so are the symbols' versions.
        assertEquals(otherNeeds(before, "libcublas.so.11"), otherNeeds(after, "libcublas.so.13"));
        assertArrayEquals(before.symbolVersionIndices(), after.symbolVersionIndices());
        assertEquals(before.soname(), after.soname());
    }

    @Test
    void onlyTheDynamicStringTableAndTheHashChange() {
        byte[] out = ElfRetargeter.retarget(CUBLAS2, "libJCublas2", "libcublas.so.11", "libcublas.so.12",
                TargetVersioning.VERSIONED);
        ElfFile elf = ElfFile.of(CUBLAS2, "before");
        ElfFile.Section dynstr = elf.sectionAt(elf.section(ElfFile.SHT_DYNAMIC).link());
        ElfFile.Section verneed = elf.section(ElfFile.SHT_GNU_VERNEED);
        int changed = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] != CUBLAS2[i]) {
                changed++;
                boolean inDynstr = i >= dynstr.offset() && i < dynstr.offset() + dynstr.size();
                boolean inVerneed = i >= verneed.offset() && i < verneed.offset() + verneed.size();
                assertTrue(inDynstr || inVerneed, "byte " + i + " changed outside .dynstr and .gnu.version_r");
            }
        }
        // one differing character per string reference, plus up to four bytes of the hash
        assertTrue(changed >= 2 && changed <= 8, changed + " bytes changed");
    }

    @Test
    void retargetsCudnnTo9WithVersionsKept() {
        byte[] out = ElfRetargeter.retarget(CUDNN, "libJCudnn", "libcudnn.so.8", "libcudnn.so.9",
                TargetVersioning.VERSIONED);
        ElfFile after = ElfFile.of(out, "after");
        assertTrue(after.needed().contains("libcudnn.so.9"));
        assertFalse(after.needed().contains("libcudnn.so.8"));
        VersionAux aux = find(after, "libcudnn.so.9").versions().get(0);
        assertEquals("libcudnn.so.9", aux.name());
        assertEquals(ElfFile.elfHash("libcudnn.so.9"), aux.hash());
        assertArrayEquals(ElfFile.of(CUDNN, "before").symbolVersionIndices(), after.symbolVersionIndices());
    }

    @Test
    void unversionedTargetMakesTheSymbolsPlainGlobal() {
        ElfFile before = ElfFile.of(CUDNN, "before");
        int index = find(before, "libcudnn.so.8").versions().get(0).other();
        int[] ndxBefore = before.symbolVersionIndices();
        long versioned = java.util.Arrays.stream(ndxBefore).filter(v -> (v & 0x7fff) == index).count();
        assertTrue(versioned > 100, "JCudnn binds " + versioned + " symbols from libcudnn.so.8");

        byte[] out = ElfRetargeter.retarget(CUDNN, "libJCudnn", "libcudnn.so.8", "libcudnn.so.9",
                TargetVersioning.UNVERSIONED);
        int[] ndxAfter = ElfFile.of(out, "after").symbolVersionIndices();
        assertEquals(ndxBefore.length, ndxAfter.length);
        for (int i = 0; i < ndxBefore.length; i++) {
            int expected = (ndxBefore[i] & 0x7fff) == index ? 1 : ndxBefore[i];
            assertEquals(expected, ndxAfter[i], "version index of dynamic symbol " + i);
        }
    }

    @Test
    void refusesNamesOfDifferentLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElfRetargeter.retarget(
                CUBLAS2, "libJCublas2", "libcublas.so.11", "libcublas.so.9", TargetVersioning.VERSIONED));
        assertTrue(e.getMessage().contains("same length (15 and 14)"), e.getMessage());
    }

    @Test
    void refusesALibraryThatIsNotNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElfRetargeter.retarget(
                CUDNN, "libJCudnn", "libcublas.so.11", "libcublas.so.13", TargetVersioning.VERSIONED));
        assertTrue(e.getMessage().startsWith("libJCudnn does not need libcublas.so.11"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotElf() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElfFile.of("#!/bin/sh\n".repeat(10).getBytes(), "script.so"));
        assertEquals("script.so: not an ELF file (bad magic number)", e.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(CUBLAS2, 4096);
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> ElfFile.of(truncated, "cut.so"));
        assertTrue(t.getMessage().startsWith("cut.so: section header table at offset"), t.getMessage());
    }

    @Test
    void versioningFollowsTheTargetsDefinitions() {
        // JCuda's own library defines no versions (only needs them): a target without definitions.
        ElfFile plain = ElfFile.of(CUBLAS2, "libJCublas2");
        assertTrue(plain.versionDefinitions().isEmpty());
        assertEquals(TargetVersioning.UNVERSIONED, ElfRetargeter.versioningOf(plain, "libcublas.so.13"));
    }

    private static VersionNeed find(ElfFile elf, String file) {
        return elf.versionNeeds().stream().filter(n -> n.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no version need for " + file + " in " + elf.versionNeeds()));
    }

    private static List<String> otherNeeds(ElfFile elf, String except) {
        List<String> out = new ArrayList<>();
        for (VersionNeed n : elf.versionNeeds()) {
            if (!n.file().equals(except)) {
                for (VersionAux a : n.versions()) {
                    out.add(n.file() + ":" + a.name() + ":" + Integer.toHexString(a.hash()) + ":" + a.other());
                }
            }
        }
        return out;
    }
}
