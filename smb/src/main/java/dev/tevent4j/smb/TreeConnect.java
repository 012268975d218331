package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * TREE_CONNECT and TREE_DISCONNECT (MS-SMB2 3.3.5.7, 3.3.5.8): the one disk share, by its name
 * in the path's last component; IPC$ and every other name are refused with
 * STATUS_BAD_NETWORK_NAME (no named pipes, no RPC).
 */
final class TreeConnect {
    private TreeConnect() {}

    static final int MAX_TREES = 64;
    static final int READ_ACCESS = 0x001200A9, ALL_ACCESS = 0x001F01FF;

    static int connect(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 9 || x.bodySize() < 8) return Status.INVALID_PARAMETER;
        int len = Wire.u16(r, 70);
        MemorySegment path = x.buffer(Wire.u16(r, 68), len);
        if (path == null || len % 2 != 0) return Status.INVALID_PARAMETER;
        String text = len == 0 ? "" : Wire.utf16(path, 0, len);
        String share = text.substring(text.lastIndexOf('\\') + 1);
        if (!share.toLowerCase(Locale.ROOT).equals(c.server.options.share.toLowerCase(Locale.ROOT))) return Status.BAD_NETWORK_NAME;
        if (c.trees.size() >= MAX_TREES) return Status.INSUFFICIENT_RESOURCES;
        boolean writable = c.server.options.writable;
        Tree t = new Tree(c.nextTreeId++, x.session.id, writable);
        c.trees.put(t.id(), t);
        x.treeId = t.id(); // the response names the new tree
        MemorySegment b = c.body(16);
        Wire.put16(b, 0, 16);
        Wire.put8(b, 2, 1);       // SMB2_SHARE_TYPE_DISK
        Wire.put8(b, 3, 0);
        Wire.put32(b, 4, 0);      // manual caching
        Wire.put32(b, 8, 0);
        Wire.put32(b, 12, writable ? ALL_ACCESS : READ_ACCESS);
        x.bodyLength = 16;
        return Status.SUCCESS;
    }

    static int disconnect(SmbConnection c, Exchange x) {
        if (x.structureSize() != 4) return Status.INVALID_PARAMETER;
        int id = x.tree.id();
        c.trees.remove(id);
        closeOpens(c, o -> o.treeId == id);
        return Dispatch.fixedBody(c, x, 4);
    }

    /** Closes the opens that match (LOGOFF, TREE_DISCONNECT): the fds go at once, no response waits on them. */
    static void closeOpens(SmbConnection c, Predicate<Open> which) {
        c.opens.values().removeIf(o -> {
            if (!which.test(o)) return false;
            Libc.close(o.fd);
            return true;
        });
    }
}
