package dev.tevent4j.samples;

/**
 * The fileserve wire protocol (docs/samples.md). All integers big-endian.
 *
 * <pre>
 * request: u32 frameLength (bytes after this field, 1..MAX_FRAME), u8 opcode, payload
 *   OP_READ  payload: u64 offset, u64 length, u16 pathLength, path (UTF-8, relative to the root)
 *   OP_STAT  payload: u16 pathLength, path          -> body: u64 file size
 *   OP_STATS payload: none                          -> body: u64 server CPU ns, u64 bytes served
 * reply:   u8 status, u64 bodyLength, body (the bytes; for an error, a UTF-8 message)
 * </pre>
 */
public final class FileProtocol {
    private FileProtocol() {}

    public static final int OP_READ = 1, OP_STAT = 2, OP_STATS = 3;
    public static final int OK = 0, BAD_REQUEST = 1, NOT_FOUND = 2, FORBIDDEN = 3, BAD_RANGE = 4,
            FRAME_TOO_LARGE = 5, UNKNOWN_OP = 6, IO_ERROR = 7;
    /** Largest accepted frame: a path of up to ~4 KiB plus the fixed fields. */
    public static final int MAX_FRAME = 4200;
    public static final int REPLY_HEADER = 9;

    /** A status's name, for messages. */
    public static String statusName(int status) {
        return switch (status) {
            case OK -> "OK";
            case BAD_REQUEST -> "BAD_REQUEST";
            case NOT_FOUND -> "NOT_FOUND";
            case FORBIDDEN -> "FORBIDDEN";
            case BAD_RANGE -> "BAD_RANGE";
            case FRAME_TOO_LARGE -> "FRAME_TOO_LARGE";
            case UNKNOWN_OP -> "UNKNOWN_OP";
            case IO_ERROR -> "IO_ERROR";
            default -> "status " + status;
        };
    }
}
