package dev.tevent4j.smb;

/** Hands each command to its handler; ECHO and the unknown ones are answered here. */
final class Dispatch {
    private Dispatch() {}

    /** Handles {@code x}: returns its status, or {@link Status#PENDING} when the handler completes later. */
    static int handle(SmbConnection c, Exchange x) {
        return switch (x.command) {
            case Smb2Header.NEGOTIATE -> Negotiate.handle(c, x);
            case Smb2Header.SESSION_SETUP -> SessionSetup.handle(c, x);
            case Smb2Header.LOGOFF -> SessionSetup.logoff(c, x);
            case Smb2Header.TREE_CONNECT -> TreeConnect.connect(c, x);
            case Smb2Header.TREE_DISCONNECT -> TreeConnect.disconnect(c, x);
            case Smb2Header.CREATE -> CreateClose.create(c, x);
            case Smb2Header.CLOSE -> CreateClose.close(c, x);
            case Smb2Header.READ -> ReadWrite.read(c, x);
            case Smb2Header.WRITE -> ReadWrite.write(c, x);
            case Smb2Header.FLUSH -> ReadWrite.flush(c, x);
            case Smb2Header.QUERY_INFO -> QueryInfo.handle(c, x);
            case Smb2Header.SET_INFO -> QueryInfo.set(c, x);
            case Smb2Header.QUERY_DIRECTORY -> QueryDirectory.handle(c, x);
            case Smb2Header.IOCTL -> Ioctl.handle(c, x);
            case Smb2Header.ECHO -> echo(c, x);
            // LOCK, CHANGE_NOTIFY, OPLOCK_BREAK: not offered (no oplocks or leases are granted)
            default -> Status.NOT_SUPPORTED;
        };
    }

    private static int echo(SmbConnection c, Exchange x) {
        if (x.structureSize() != 4) return Status.INVALID_PARAMETER;
        return fixedBody(c, x, 4);
    }

    /** The 4-byte body (StructureSize 4, Reserved) of ECHO, LOGOFF, TREE_DISCONNECT and FLUSH responses. */
    static int fixedBody(SmbConnection c, Exchange x, int structureSize) {
        var body = c.body(4);
        Wire.put16(body, 0, structureSize);
        Wire.put16(body, 2, 0);
        x.bodyLength = 4;
        return Status.SUCCESS;
    }
}
