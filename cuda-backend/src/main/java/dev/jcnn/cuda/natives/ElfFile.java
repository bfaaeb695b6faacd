package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of the dynamic-linking tables of a 64-bit little-endian ELF shared
 * library: what it needs (DT_NEEDED), its soname, the symbol versions it needs from each
 * library (.gnu.version_r) and the versions it defines (.gnu.version_d). Only what the
 * JNI-library retargeting needs; every offset is checked against the file's length.
 */
public final class ElfFile {

    static final int SHT_DYNAMIC = 6;
    static final int SHT_DYNSYM = 11;
    static final int SHT_GNU_VERDEF = 0x6ffffffd;
    static final int SHT_GNU_VERNEED = 0x6ffffffe;
    static final int SHT_GNU_VERSYM = 0x6fffffff;
    static final long DT_NULL = 0;
    static final long DT_NEEDED = 1;
    static final long DT_SONAME = 14;

    /** One section header, as far as it is used here. */
    record Section(int index, String name, int type, long offset, long size, int link, int info) {
    }

    /** A version a library needs from another: name, ELF hash of the name, flags and its index in .gnu.version. */
    public record VersionAux(String name, int hash, int flags, int other, int offset) {
    }

    /** The versions needed from one library (one Verneed entry). */
    public record VersionNeed(String file, List<VersionAux> versions, int offset) {
    }

    private final String where;
    private final ByteBuffer buf;
    private final List<Section> sections;

    private ElfFile(String where, ByteBuffer buf) {
        this.where = where;
        this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.sections = readSections();
    }

    /** Parses an ELF image held in memory; {@code where} names it in error messages. */
    public static ElfFile of(byte[] image, String where) {
        return new ElfFile(where, ByteBuffer.wrap(image));
    }

    /** Maps the file read-only (nothing is read but the tables). */
    public static ElfFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ElfFile(file.toString(), ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    /** The file or resource this view was made from. */
    public String where() {
        return where;
    }

    /** The DT_NEEDED entries, in order. */
    public List<String> needed() {
        List<String> out = new ArrayList<>();
        Section dyn = section(SHT_DYNAMIC);
        for (long[] e : dynamicEntries(dyn)) {
            if (e[0] == DT_NEEDED) {
                out.add(string(dyn.link(), e[1]));
            }
        }
        return out;
    }

    /** The DT_SONAME, or null if there is none. */
    public String soname() {
        Section dyn = section(SHT_DYNAMIC);
        for (long[] e : dynamicEntries(dyn)) {
            if (e[0] == DT_SONAME) {
                return string(dyn.link(), e[1]);
            }
        }
        return null;
    }

    /** The .gnu.version_r entries; empty if the library needs no symbol versions. */
    public List<VersionNeed> versionNeeds() {
        Section s = findSection(SHT_GNU_VERNEED);
        List<VersionNeed> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        long entry = s.offset();
        for (int i = 0; i < s.info(); i++) {
            check(entry, 16, ".gnu.version_r entry " + i);
            int cnt = u16(entry + 2);
            String file = string(s.link(), u32(entry + 4));
            List<VersionAux> aux = new ArrayList<>();
            long a = entry + u32(entry + 8);
            for (int j = 0; j < cnt; j++) {
                check(a, 16, ".gnu.version_r aux " + j + " of " + file);
                aux.add(new VersionAux(string(s.link(), u32(a + 8)), (int) u32(a), u16(a + 4), u16(a + 6), (int) a));
                a += u32(a + 12);
            }
            out.add(new VersionNeed(file, List.copyOf(aux), (int) entry));
            long next = u32(entry + 12);
            if (next == 0) {
                break;
            }
            entry += next;
        }
        return out;
    }

    /** A version this library defines; the base one (VER_FLG_BASE) only names the file and holds no symbols. */
    public record VersionDefinition(String name, boolean base) {
    }

    /** The versions this library defines (.gnu.version_d); empty if none. */
    public List<VersionDefinition> versionDefinitions() {
        Section s = findSection(SHT_GNU_VERDEF);
        List<VersionDefinition> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        long entry = s.offset();
        for (int i = 0; i < s.info(); i++) {
            check(entry, 20, ".gnu.version_d entry " + i);
            long aux = entry + u32(entry + 12);
            check(aux, 8, ".gnu.version_d aux of entry " + i);
            out.add(new VersionDefinition(string(s.link(), u32(aux)), (u16(entry + 2) & 1) != 0));
            long next = u32(entry + 16);
            if (next == 0) {
                break;
            }
            entry += next;
        }
        return out;
    }

    /** One entry of .dynsym: its name and whether this file defines it (st_shndx is not SHN_UNDEF). */
    public record DynamicSymbol(String name, boolean defined) {
    }

    /** The dynamic symbol table (.dynsym), in order, without the null entry 0; empty if there is none. */
    public List<DynamicSymbol> dynamicSymbols() {
        Section s = findSection(SHT_DYNSYM);
        List<DynamicSymbol> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        check(s.offset(), s.size(), ".dynsym");
        for (long p = s.offset() + 24; p + 24 <= s.offset() + s.size(); p += 24) {
            long nameOff = u32(p);
            if (nameOff == 0) {
                continue;
            }
            out.add(new DynamicSymbol(string(s.link(), nameOff), u16(p + 6) != 0));
        }
        return out;
    }

    /** The .gnu.version array: for each dynamic symbol, the index of its version (0 local, 1 global). */
    public int[] symbolVersionIndices() {
        Section s = findSection(SHT_GNU_VERSYM);
        if (s == null) {
            return new int[0];
        }
        check(s.offset(), s.size(), ".gnu.version");
        int[] out = new int[(int) (s.size() / 2)];
        for (int i = 0; i < out.length; i++) {
            out[i] = u16(s.offset() + 2L * i);
        }
        return out;
    }

    /**
     * The System V ELF hash of a name, as stored in vna_hash and vd_hash.
     */
    public static int elfHash(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.US_ASCII)) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g & 0xffffffffL;
        }
        return (int) h;
    }

    // ---- package-private: used by the retargeter --------------------------------------

    Section section(int type) {
        Section s = findSection(type);
        if (s == null) {
            throw new IllegalArgumentException(where + ": no section of type 0x" + Integer.toHexString(type)
                    + " (is it a shared library?)");
        }
        return s;
    }

    Section findSection(int type) {
        for (Section s : sections) {
            if (s.type() == type) {
                return s;
            }
        }
        return null;
    }

    Section sectionAt(int index) {
        if (index <= 0 || index >= sections.size()) {
            throw new IllegalArgumentException(where + ": section index " + index + " out of range 1.."
                    + (sections.size() - 1));
        }
        return sections.get(index);
    }

    /** The (tag, value) pairs of .dynamic up to DT_NULL. */
    List<long[]> dynamicEntries(Section dyn) {
        List<long[]> out = new ArrayList<>();
        check(dyn.offset(), dyn.size(), ".dynamic");
        for (long p = dyn.offset(); p + 16 <= dyn.offset() + dyn.size(); p += 16) {
            long tag = buf.getLong((int) p);
            if (tag == DT_NULL) {
                break;
            }
            out.add(new long[] {tag, buf.getLong((int) p + 8)});
        }
        return out;
    }

    /** The NUL-terminated string at offset {@code off} of the string table in section {@code strtab}. */
    String string(int strtab, long off) {
        Section s = sectionAt(strtab);
        if (off < 0 || off >= s.size()) {
            throw new IllegalArgumentException(where + ": string offset " + off + " outside " + s.name() + " (size "
                    + s.size() + ")");
        }
        long start = s.offset() + off;
        long end = start;
        long limit = s.offset() + s.size();
        while (end < limit && buf.get((int) end) != 0) {
            end++;
        }
        if (end == limit) {
            throw new IllegalArgumentException(where + ": unterminated string at offset " + off + " of " + s.name());
        }
        byte[] b = new byte[(int) (end - start)];
        buf.get((int) start, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    int u16(long p) {
        return buf.getShort((int) p) & 0xffff;
    }

    long u32(long p) {
        return buf.getInt((int) p) & 0xffffffffL;
    }

    void check(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset + length > buf.limit()) {
            throw new IllegalArgumentException(where + ": " + what + " at offset " + offset + " (length " + length
                    + ") lies outside the file (length " + buf.limit() + ")");
        }
    }

    private List<Section> readSections() {
        if (buf.limit() < 64 || buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
            throw new IllegalArgumentException(where + ": not an ELF file (bad magic number)");
        }
        if (buf.get(4) != 2 || buf.get(5) != 1) {
            throw new IllegalArgumentException(where + ": expected a 64-bit little-endian ELF file, got class "
                    + buf.get(4) + ", data encoding " + buf.get(5));
        }
        long shoff = buf.getLong(0x28);
        int shentsize = u16(0x3a);
        int shnum = u16(0x3c);
        int shstrndx = u16(0x3e);
        if (shentsize != 64 || shnum == 0 || shstrndx >= shnum) {
            throw new IllegalArgumentException(where + ": unusable section header table (entry size " + shentsize
                    + ", " + shnum + " sections, names in " + shstrndx + ")");
        }
        check(shoff, (long) shentsize * shnum, "section header table");
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            long h = shoff + (long) i * shentsize;
            raw[i] = new long[] {u32(h), u32(h + 4), buf.getLong((int) h + 24), buf.getLong((int) h + 32),
                u32(h + 40), u32(h + 44)};
            if (raw[i][1] != 8 /* SHT_NOBITS */) {
                check(raw[i][2], raw[i][3], "section " + i);
            }
        }
        long namesOff = raw[shstrndx][2];
        long namesSize = raw[shstrndx][3];
        List<Section> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            out.add(new Section(i, sectionName(namesOff, namesSize, raw[i][0]), (int) raw[i][1], raw[i][2], raw[i][3],
                    (int) raw[i][4], (int) raw[i][5]));
        }
        return out;
    }

    private String sectionName(long tableOff, long tableSize, long nameOff) {
        if (nameOff >= tableSize) {
            return "?";
        }
        StringBuilder b = new StringBuilder();
        for (long p = tableOff + nameOff; p < tableOff + tableSize && buf.get((int) p) != 0; p++) {
            b.append((char) buf.get((int) p));
        }
        return b.toString();
    }
}
