package dev.tevent4j.smb;

import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;

/**
 * CREATE and CLOSE (MS-SMB2 3.3.5.9, 3.3.5.10). Every path is opened relative to the share's
 * root fd with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) through the AsyncIo: "..", an
 * absolute path or a symlink that leaves the share fails in the kernel (EXDEV: access denied),
 * with no window for a rename race. The opened fd's statx decides file or directory; only
 * those two are served. No oplocks, leases or create contexts are granted.
 */
final class CreateClose {
    private CreateClose() {}

    static final int SUPERSEDE = 0, OPEN = 1, CREATE = 2, OPEN_IF = 3, OVERWRITE = 4, OVERWRITE_IF = 5;
    static final int DIRECTORY_FILE = 0x1, NON_DIRECTORY_FILE = 0x40, DELETE_ON_CLOSE = 0x1000;
    static final int WRITE_ACCESS = 0x2 | 0x4 | 0x10 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x40000000 | 0x10000000;
    static final int MAX_OPENS = 1024;
    static final int DELETE = 0x10000, GENERIC_ALL = 0x10000000, MAXIMUM_ALLOWED = 0x02000000;
    private static final int ENOENT = 2, EISDIR = 21, EEXIST = 17;
    private static final long RESOLVE = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS;

    static int create(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 57 || x.bodySize() < 56) return Status.INVALID_PARAMETER;
        int access = Wire.i32(r, 88), disposition = Wire.i32(r, 100), options = Wire.i32(r, 104);
        int nameLen = Wire.u16(r, 110);
        MemorySegment nameSeg = x.buffer(Wire.u16(r, 108), nameLen);
        if (nameSeg == null || nameLen % 2 != 0 || disposition < 0 || disposition > OVERWRITE_IF) return Status.INVALID_PARAMETER;
        String path = sharePath(nameLen == 0 ? "" : Wire.utf16(nameSeg, 0, nameLen));
        if (path == null) return Status.OBJECT_NAME_INVALID;
        if (c.opens.size() >= MAX_OPENS) return Status.TOO_MANY_OPENED_FILES;
        boolean writable = x.tree.writable();
        boolean wantsWrite = (access & WRITE_ACCESS) != 0 || (options & DELETE_ON_CLOSE) != 0
                || disposition != OPEN && disposition != OPEN_IF;
        if (wantsWrite && !writable) return Status.ACCESS_DENIED;
        boolean dirAsked = (options & DIRECTORY_FILE) != 0;
        Plan p = new Plan(c, x, path, disposition, options, access, writable && wantsWrite && !dirAsked);
        if (dirAsked && writable && (disposition == CREATE || disposition == OPEN_IF) && !path.isEmpty()) {
            c.track(c.io.mkdirat(c.server.rootFd, path, 0755), q -> {
                int e = errno(q);
                if (e == EEXIST && disposition == OPEN_IF) p.open(false);
                else if (e != 0) c.complete(Status.ofErrno(e));
                else {
                    p.created = true;
                    p.open(false);
                }
            });
        } else {
            p.open(disposition == CREATE);
        }
        return Status.PENDING;
    }

    /**
     * The SMB name as a path under the root: backslashes to slashes; null for a name that is
     * never valid (a leading separator, an empty component, a stream name, NUL).
     */
    static String sharePath(String name) {
        if (name.isEmpty()) return "";
        if (name.startsWith("\\") || name.indexOf('\0') >= 0 || name.indexOf(':') >= 0 || name.indexOf('/') >= 0) return null;
        String p = name.endsWith("\\") ? name.substring(0, name.length() - 1) : name;
        for (String part : p.split("\\\\", -1)) if (part.isEmpty()) return null;
        return p.replace('\\', '/');
    }

    /** One CREATE's open, possibly in two tries (an existing file, else a new one). */
    private static final class Plan {
        final SmbConnection c;
        final Exchange x;
        final String path;
        final int disposition, options, access;
        final boolean write;
        boolean created;

        Plan(SmbConnection c, Exchange x, String path, int disposition, int options, int access, boolean write) {
            this.access = access;
            this.c = c;
            this.x = x;
            this.path = path;
            this.disposition = disposition;
            this.options = options;
            this.write = write;
        }

        void open(boolean createNew) {
            int flags = Libc.O_NONBLOCK | Libc.O_CLOEXEC | (write ? Libc.O_RDWR : Libc.O_RDONLY);
            if ((options & DIRECTORY_FILE) != 0) flags |= Libc.O_DIRECTORY;
            if (write && (disposition == OVERWRITE || disposition == OVERWRITE_IF || disposition == SUPERSEDE)) flags |= Libc.O_TRUNC;
            if (createNew) flags |= Libc.O_CREAT | 0200; // O_EXCL: CreateAction tells created from opened
            c.track(c.io.openat2(c.server.rootFd, path.isEmpty() ? "." : path, flags, createNew ? 0644 : 0, RESOLVE), q -> {
                int e = errno(q);
                if (e == ENOENT && !createNew && write && disposition != OPEN && disposition != OVERWRITE) {
                    open(true);
                } else if (e == EISDIR && write && (disposition == OPEN || disposition == OPEN_IF)) {
                    openReadOnlyDirectory();
                } else if (e != 0) {
                    c.complete(Status.ofErrno(e));
                } else {
                    if (createNew) created = true;
                    opened(q.result(), write);
                }
            }, q -> Libc.close(q.result()));
        }

        private void openReadOnlyDirectory() {
            int flags = Libc.O_NONBLOCK | Libc.O_CLOEXEC | Libc.O_RDONLY | Libc.O_DIRECTORY;
            c.track(c.io.openat2(c.server.rootFd, path.isEmpty() ? "." : path, flags, 0, RESOLVE), q -> {
                int e = errno(q);
                if (e != 0) c.complete(Status.ofErrno(e));
                else opened(q.result(), false);
            }, q -> Libc.close(q.result()));
        }

        private void opened(int fd, boolean canWrite) {
            MemorySegment stx = c.statxBuffer();
            c.track(c.io.statx(fd, "", Libc.AT_EMPTY_PATH, FileInfo.STATX_MASK, stx), q -> {
                if (q.isError()) {
                    Libc.close(fd);
                    c.complete(Status.ofErrno(errno(q)));
                    return;
                }
                FileInfo info = FileInfo.of(stx);
                int refuse = info.directory() && (options & NON_DIRECTORY_FILE) != 0 ? Status.FILE_IS_A_DIRECTORY
                        : !info.directory() && (options & DIRECTORY_FILE) != 0 ? Status.NOT_A_DIRECTORY
                        : !info.directory() && !info.regular() ? Status.OBJECT_NAME_NOT_FOUND : Status.SUCCESS;
                if (refuse != Status.SUCCESS) {
                    Libc.close(fd);
                    c.complete(refuse);
                    return;
                }
                Open o = new Open(c.nextOpenId++, fd, info.directory(), path, canWrite, x.treeId, x.sessionId);
                o.deleteOnClose = (options & DELETE_ON_CLOSE) != 0 && !path.isEmpty();
                o.mayDelete = x.tree.writable() && !path.isEmpty()
                        && ((access & (DELETE | GENERIC_ALL | MAXIMUM_ALLOWED)) != 0 || o.deleteOnClose);
                c.opens.put(o.id, o);
                x.createdFileId = o.id;
                MemorySegment b = c.body(88);
                Wire.put16(b, 0, 89);
                Wire.put8(b, 2, 0);   // no oplock
                Wire.put8(b, 3, 0);
                Wire.put32(b, 4, created ? 2 : (write && (disposition == OVERWRITE || disposition == OVERWRITE_IF)) ? 3 : 1);
                info.putTimes(b, 8);
                Wire.put64(b, 40, info.allocation());
                Wire.put64(b, 48, info.endOfFile());
                Wire.put32(b, 56, info.attributes());
                Wire.put32(b, 60, 0);
                Wire.put64(b, 64, o.id);
                Wire.put64(b, 72, o.id);
                Wire.put32(b, 80, 0);
                Wire.put32(b, 84, 0);
                x.bodyLength = 88;
                c.complete(Status.SUCCESS);
            }, q -> Libc.close(fd));
        }
    }

    static int close(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 24 || x.bodySize() < 24) return Status.INVALID_PARAMETER;
        Open o = c.open(x, 72);
        if (o == null) return Status.FILE_CLOSED;
        c.opens.remove(o.id);
        boolean postQuery = (Wire.u16(r, 66) & 1) != 0;
        MemorySegment stx = c.statxBuffer();
        Runnable closeFd = () -> c.track(c.io.close(o.fd), q -> {
            MemorySegment b = c.body(60);
            Wire.zero(b, 0, 60);
            Wire.put16(b, 0, 60);
            if (postQuery) {
                FileInfo info = FileInfo.of(stx);
                Wire.put16(b, 2, 1);
                info.putTimes(b, 8);
                Wire.put64(b, 40, info.allocation());
                Wire.put64(b, 48, info.endOfFile());
                Wire.put32(b, 56, info.attributes());
            }
            x.bodyLength = 60;
            c.complete(Status.SUCCESS);
        });
        Runnable unlink = !o.deleteOnClose ? closeFd : () -> unlinkBeneath(c, o, closeFd);
        if (postQuery) c.track(c.io.statx(o.fd, "", Libc.AT_EMPTY_PATH, FileInfo.STATX_MASK, stx), q -> unlink.run(), q -> Libc.close(o.fd));
        else unlink.run();
        return Status.PENDING;
    }

    /**
     * Deletes a delete-on-close file: its parent is opened beneath the root first (O_PATH, RESOLVE_BENEATH), and the
     * name unlinked relative to that fd, so a directory swapped for a symlink since CREATE cannot point the unlink outside.
     */
    private static void unlinkBeneath(SmbConnection c, Open o, Runnable then) {
        int slash = o.path.lastIndexOf('/');
        String parent = slash < 0 ? "." : o.path.substring(0, slash), base = o.path.substring(slash + 1);
        if (base.equals("..") || base.equals(".")) {
            then.run();
            return;
        }
        c.track(c.io.openat2(c.server.rootFd, parent, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0, RESOLVE), q -> {
            if (q.isError()) {
                then.run(); // the parent went away or left the share: nothing deleted
                return;
            }
            int dirFd = q.result();
            c.track(c.io.unlinkat(dirFd, base, o.directory ? Libc.AT_REMOVEDIR : 0), u -> {
                Libc.close(dirFd);
                then.run();
            }, u -> Libc.close(dirFd));
        }, q -> Libc.close(q.result()));
    }

    static int errno(dev.tevent4j.Request<?> q) {
        if (!q.isError()) return 0;
        return q.cause() instanceof ErrnoException e ? e.errno() : 5; // EIO for anything else
    }
}
