package dev.jcnn.cuda.natives;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Points a JNI library at a newer major version of a library it was linked against, without
 * rebuilding it: {@code libcublas.so.11} becomes {@code libcublas.so.13}, {@code libcudnn.so.8}
 * becomes {@code libcudnn.so.9}.
 *
 * <p>The names have the same length, so the string is overwritten in place in .dynstr and
 * nothing else moves. Every reference to it is rewritten: the DT_NEEDED entry, the file of
 * the .gnu.version_r entry and the version name of its aux entry (NVIDIA's libraries name
 * their symbol version after their soname). The aux entry's vna_hash is then set to the ELF
 * hash of the new name, which the dynamic linker compares before the name.
 *
 * <p>If the new library has no symbol versions at all, glibc would refuse versioned lookups
 * in it, so the symbols that needed the old version become unversioned instead (their
 * .gnu.version index set to 1, "global").
 */
public final class ElfRetargeter {

    /** Whether the library being retargeted to defines the renamed symbol version. */
    public enum TargetVersioning {
        /** It defines a version with the new name (as libcublas.so.12 and .so.13 do). */
        VERSIONED,
        /** It has no symbol versions; versioned references become plain ones. */
        UNVERSIONED
    }

    private ElfRetargeter() {
    }

    /**
     * Returns a retargeted copy of {@code image}; the input is not changed.
     *
     * @throws IllegalArgumentException if the names differ in length, the image does not need
     *                                  {@code from}, or a string reference cannot be rewritten safely
     */
    public static byte[] retarget(byte[] image, String where, String from, String to, TargetVersioning versioning) {
        byte[] fromBytes = from.getBytes(StandardCharsets.US_ASCII);
        byte[] toBytes = to.getBytes(StandardCharsets.US_ASCII);
        if (fromBytes.length != toBytes.length) {
            throw new IllegalArgumentException("cannot retarget " + where + " from " + from + " to " + to
                    + ": the names must have the same length (" + fromBytes.length + " and " + toBytes.length + ")");
        }
        ElfFile elf = ElfFile.of(image, where);
        if (!elf.needed().contains(from)) {
            throw new IllegalArgumentException(where + " does not need " + from + "; it needs " + elf.needed());
        }
        byte[] out = image.clone();
        ByteBuffer w = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);

        // Collect every string offset (per string table) that refers to the old name.
        Set<Long> offsets = new HashSet<>();
        ElfFile.Section dyn = elf.section(ElfFile.SHT_DYNAMIC);
        int strtab = dyn.link();
        for (long[] e : elf.dynamicEntries(dyn)) {
            if (e[0] == ElfFile.DT_NEEDED && elf.string(strtab, e[1]).equals(from)) {
                offsets.add(e[1]);
            }
        }
        ElfFile.Section verneed = elf.findSection(ElfFile.SHT_GNU_VERNEED);
        Set<Integer> renamedVersionIndices = new HashSet<>();
        if (verneed != null) {
            if (verneed.link() != strtab) {
                throw new IllegalArgumentException(where + ": .gnu.version_r uses string table " + verneed.link()
                        + ", .dynamic uses " + strtab + "; cannot rewrite both with one change");
            }
            for (ElfFile.VersionNeed need : elf.versionNeeds()) {
                if (need.file().equals(from)) {
                    offsets.add(elf.u32(need.offset() + 4));
                }
                for (ElfFile.VersionAux aux : need.versions()) {
                    if (aux.name().equals(from)) {
                        offsets.add(elf.u32(aux.offset() + 8));
                        renamedVersionIndices.add(aux.other() & 0x7fff);
                    }
                }
            }
        }

        // Overwrite the string at each offset; refuse if it is the tail of a longer string.
        ElfFile.Section table = elf.sectionAt(strtab);
        for (long off : offsets) {
            long at = table.offset() + off;
            if (off > 0 && out[(int) at - 1] != 0) {
                throw new IllegalArgumentException(where + ": " + from + " at offset " + off + " of " + table.name()
                        + " is the tail of a longer string; rewriting it would change that string too");
            }
            System.arraycopy(toBytes, 0, out, (int) at, toBytes.length);
        }

        // Fix the hashes, or drop the versions when the new library defines none.
        if (verneed != null) {
            int newHash = ElfFile.elfHash(to);
            for (ElfFile.VersionNeed need : elf.versionNeeds()) {
                for (ElfFile.VersionAux aux : need.versions()) {
                    if (aux.name().equals(from)) {
                        w.putInt(aux.offset(), newHash);
                    }
                }
            }
            if (versioning == TargetVersioning.UNVERSIONED && !renamedVersionIndices.isEmpty()) {
                unversion(elf, w, renamedVersionIndices);
            }
        }
        return out;
    }

    /** Sets every .gnu.version entry whose index is one of {@code indices} to 1 (global, unversioned). */
    private static void unversion(ElfFile elf, ByteBuffer w, Set<Integer> indices) {
        ElfFile.Section versym = elf.section(ElfFile.SHT_GNU_VERSYM);
        int[] ndx = elf.symbolVersionIndices();
        for (int i = 0; i < ndx.length; i++) {
            if (indices.contains(ndx[i] & 0x7fff)) {
                w.putShort((int) (versym.offset() + 2L * i), (short) 1);
            }
        }
    }

    /**
     * How to retarget to the library at hand: {@link TargetVersioning#VERSIONED} if it defines
     * the version {@code to} for its symbols, {@link TargetVersioning#UNVERSIONED} if its
     * symbols carry no version (only the base definition, which names the file, or none).
     *
     * @throws IllegalArgumentException if its symbols carry other versions: references to
     *                                  {@code to} could not be bound
     */
    public static TargetVersioning versioningOf(ElfFile target, String to) {
        List<String> defined = target.versionDefinitions().stream()
                .filter(d -> !d.base()).map(ElfFile.VersionDefinition::name).toList();
        if (defined.isEmpty()) {
            return TargetVersioning.UNVERSIONED;
        }
        if (defined.contains(to)) {
            return TargetVersioning.VERSIONED;
        }
        throw new IllegalArgumentException(target.where() + " defines the symbol versions " + defined
                + " but not " + to + "; JCuda's JNI library cannot be retargeted to it");
    }
}
