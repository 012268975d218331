package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * QUERY_DIRECTORY (MS-SMB2 3.3.5.18) for FileDirectory, FileFullDirectory, FileBothDirectory,
 * FileNames, FileIdBothDirectory and FileIdFullDirectory information. The names are read once
 * per scan from the open directory fd itself (its /proc/self/fd link, so the listing is of the
 * directory CREATE opened inside the share, whatever was renamed since); each entry of a batch
 * is then statx'ed relative to that fd through the AsyncIo, all at once, without following
 * symlinks.
 */
final class QueryDirectory {
    private QueryDirectory() {}

    static final int RESTART_SCANS = 0x01, RETURN_SINGLE_ENTRY = 0x02, REOPEN = 0x10;
    private static final int BATCH = 128, MAX_OUTPUT = 1 << 18, AT_SYMLINK_NOFOLLOW = 0x100;

    static int handle(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 33 || x.bodySize() < 32) return Status.INVALID_PARAMETER;
        int cls = Wire.u8(r, 66), flags = Wire.u8(r, 67);
        if (nameOffset(cls) < 0) return Status.INVALID_INFO_CLASS;
        Open o = c.open(x, 72);
        if (o == null) return Status.FILE_CLOSED;
        if (!o.directory) return Status.INVALID_PARAMETER;
        int patternLen = Wire.u16(r, 90);
        MemorySegment patternSeg = x.buffer(Wire.u16(r, 88), patternLen);
        if (patternSeg == null || patternLen % 2 != 0) return Status.INVALID_PARAMETER;
        long outputLength = Math.min(Wire.u32(r, 92), MAX_OUTPUT);
        boolean fresh = o.listing == null || (flags & (RESTART_SCANS | REOPEN)) != 0;
        if (fresh) {
            String pattern = patternLen == 0 ? "*" : Wire.utf16(patternSeg, 0, patternLen);
            try {
                o.listing = list(o.fd, pattern);
            } catch (UncheckedIOException e) {
                return Status.ACCESS_DENIED;
            }
            o.nextEntry = 0;
            if (o.listing.isEmpty()) return Status.NO_SUCH_FILE;
        }
        if (o.nextEntry >= o.listing.size()) return Status.NO_MORE_FILES;
        int count = Math.min(BATCH, o.listing.size() - o.nextEntry);
        if ((flags & RETURN_SINGLE_ENTRY) != 0) count = 1;
        stat(c, x, o, cls, count, outputLength);
        return Status.PENDING;
    }

    /** The directory's names matching {@code pattern} (with "." and ".."), in the filesystem's order. */
    private static List<String> list(int fd, String pattern) {
        Pattern match = glob(pattern);
        List<String> names = new ArrayList<>();
        for (String dot : new String[] {".", ".."}) if (match.matcher(dot).matches()) names.add(dot);
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd/" + fd))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (match.matcher(name).matches()) names.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** A DOS wildcard pattern ("*", "?", and "<", ">", "\"" as their DOS forms) as a case-insensitive regex. */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*', '<' -> re.append(".*");
                case '?', '>' -> re.append('.');
                case '"' -> re.append("\\.");
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static void stat(SmbConnection c, Exchange x, Open o, int cls, int count, long outputLength) {
        MemorySegment bufs = c.statxBatch(count);
        boolean[] ok = new boolean[count];
        int[] pending = {count};
        for (int i = 0; i < count; i++) {
            String name = o.listing.get(o.nextEntry + i);
            // ".." of the share's root would be outside it: report the root itself.
            String path = name.equals(".") || name.equals("..") && o.path.isEmpty() ? "" : name;
            int flags = path.isEmpty() ? Libc.AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
            int index = i;
            c.track(c.io.statx(o.fd, path, flags, FileInfo.STATX_MASK, bufs.asSlice(index * Libc.STATX_SIZE_BYTES, Libc.STATX_SIZE_BYTES)), q -> {
                ok[index] = !q.isError();
                if (--pending[0] == 0) encode(c, x, o, cls, count, outputLength, bufs, ok);
            });
        }
    }

    private static void encode(SmbConnection c, Exchange x, Open o, int cls, int count, long outputLength, MemorySegment bufs, boolean[] ok) {
        MemorySegment b = c.body(8 + outputLength + 8);
        MemorySegment d = b.asSlice(8);
        int at = 0, last = -1, lastEnd = 0, taken = 0;
        for (int i = 0; i < count; i++) {
            String name = o.listing.get(o.nextEntry + i);
            if (!ok[i]) { // vanished since the listing: skip it
                taken = i + 1;
                continue;
            }
            int nameBytes = name.length() * 2;
            int size = nameOffset(cls) + nameBytes;
            if (at + size > outputLength) break;
            if (last >= 0) Wire.put32(d, last, at - last);
            entry(d, at, cls, FileInfo.of(bufs.asSlice(i * Libc.STATX_SIZE_BYTES, Libc.STATX_SIZE_BYTES)), name);
            last = at;
            lastEnd = at + size;
            at = Wire.align8(lastEnd);
            taken = i + 1;
        }
        o.nextEntry += taken;
        if (last < 0) {
            c.complete(taken > 0 && o.nextEntry >= o.listing.size() ? Status.NO_MORE_FILES : Status.INFO_LENGTH_MISMATCH);
            return;
        }
        int length = lastEnd;
        Wire.put16(b, 0, 9);
        Wire.put16(b, 2, Smb2Header.SIZE + 8);
        Wire.put32(b, 4, length);
        x.bodyLength = 8 + length;
        c.complete(Status.SUCCESS);
    }

    /** Where the FileName starts in an entry of the class; -1 for a class not offered. */
    static int nameOffset(int cls) {
        return switch (cls) {
            case 1 -> 64;    // FileDirectoryInformation
            case 2 -> 68;    // FileFullDirectoryInformation
            case 3 -> 94;    // FileBothDirectoryInformation
            case 12 -> 12;   // FileNamesInformation
            case 37 -> 104;  // FileIdBothDirectoryInformation
            case 38 -> 80;   // FileIdFullDirectoryInformation
            default -> -1;
        };
    }

    private static void entry(MemorySegment d, int at, int cls, FileInfo f, String name) {
        int nameAt = nameOffset(cls);
        Wire.zero(d, at, nameAt);
        int len = Wire.putUtf16(d, at + nameAt, name);
        if (cls == 12) {
            Wire.put32(d, at + 8, len);
            return;
        }
        f.putTimes(d, at + 8);
        Wire.put64(d, at + 40, f.endOfFile());
        Wire.put64(d, at + 48, f.allocation());
        Wire.put32(d, at + 56, f.attributes());
        Wire.put32(d, at + 60, len);
        if (cls == 37) Wire.put64(d, at + 96, f.inode());
        if (cls == 38) Wire.put64(d, at + 72, f.inode());
    }
}
