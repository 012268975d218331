package dev.tevent4j.smb;

import java.util.List;

/** An open file or directory: its fd and what CREATE granted; a directory also keeps its listing between QUERY_DIRECTORY calls. */
final class Open {
    final long id;
    final int fd;
    final boolean directory;
    final String path;        // "/"-separated under the share root, "" for the root
    final boolean canWrite;
    final int treeId;
    final long sessionId;
    boolean deleteOnClose;
    boolean mayDelete;       // CREATE asked for DELETE (or delete-on-close) on a writable share
    List<String> listing;     // names of a directory, read at the first (or a restarted) QUERY_DIRECTORY
    int nextEntry;

    Open(long id, int fd, boolean directory, String path, boolean canWrite, int treeId, long sessionId) {
        this.id = id;
        this.fd = fd;
        this.directory = directory;
        this.path = path;
        this.canWrite = canWrite;
        this.treeId = treeId;
        this.sessionId = sessionId;
    }

    /** The file's last path component, as FILE_NAME_INFORMATION reports it. */
    String name() {
        return path.isEmpty() ? "" : path.replace('/', '\\');
    }
}
