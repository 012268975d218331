package dev.tevent4j.smb;

/** The NTSTATUS values this server answers with (MS-ERREF 2.3). */
public final class Status {
    private Status() {}

    public static final int SUCCESS = 0x00000000;
    public static final int PENDING = 0x00000103;
    public static final int BUFFER_OVERFLOW = 0x80000005;
    public static final int NO_MORE_FILES = 0x80000006;
    public static final int NOT_IMPLEMENTED = 0xC0000002;
    public static final int INVALID_INFO_CLASS = 0xC0000003;
    public static final int INFO_LENGTH_MISMATCH = 0xC0000004;
    public static final int INVALID_HANDLE = 0xC0000008;
    public static final int INVALID_PARAMETER = 0xC000000D;
    public static final int NO_SUCH_FILE = 0xC000000F;
    public static final int INVALID_DEVICE_REQUEST = 0xC0000010;
    public static final int END_OF_FILE = 0xC0000011;
    public static final int MORE_PROCESSING_REQUIRED = 0xC0000016;
    public static final int ACCESS_DENIED = 0xC0000022;
    public static final int BUFFER_TOO_SMALL = 0xC0000023;
    public static final int OBJECT_NAME_INVALID = 0xC0000033;
    public static final int OBJECT_NAME_NOT_FOUND = 0xC0000034;
    public static final int OBJECT_NAME_COLLISION = 0xC0000035;
    public static final int OBJECT_PATH_NOT_FOUND = 0xC000003A;
    public static final int LOGON_FAILURE = 0xC000006D;
    public static final int INSUFFICIENT_RESOURCES = 0xC000009A;
    public static final int FILE_IS_A_DIRECTORY = 0xC00000BA;
    public static final int NOT_SUPPORTED = 0xC00000BB;
    public static final int NETWORK_NAME_DELETED = 0xC00000C9;
    public static final int BAD_NETWORK_NAME = 0xC00000CC;
    public static final int INTERNAL_ERROR = 0xC00000E5;
    public static final int DIRECTORY_NOT_EMPTY = 0xC0000101;
    public static final int NOT_A_DIRECTORY = 0xC0000103;
    public static final int TOO_MANY_OPENED_FILES = 0xC000011F;
    public static final int FILE_CLOSED = 0xC0000128;
    public static final int USER_SESSION_DELETED = 0xC0000203;
    public static final int DISK_FULL = 0xC000007F;
    public static final int FS_DRIVER_REQUIRED = 0xC000019C;
    public static final int NOT_FOUND = 0xC0000225;

    /** Whether a response with this status carries the command's own body, not an error body. */
    static boolean hasNormalBody(int status, int command) {
        return status == SUCCESS || status == BUFFER_OVERFLOW && (command == Smb2Header.QUERY_INFO || command == Smb2Header.IOCTL)
                || status == MORE_PROCESSING_REQUIRED && command == Smb2Header.SESSION_SETUP;
    }

    /** The NTSTATUS for a failed syscall's errno. */
    static int ofErrno(int errno) {
        return switch (errno) {
            case 2 -> OBJECT_NAME_NOT_FOUND;            // ENOENT
            case 20 -> OBJECT_PATH_NOT_FOUND;           // ENOTDIR
            case 1, 13, 18, 30, 40 -> ACCESS_DENIED;    // EPERM, EACCES, EXDEV (left the share), EROFS, ELOOP
            case 17 -> OBJECT_NAME_COLLISION;           // EEXIST
            case 21 -> FILE_IS_A_DIRECTORY;             // EISDIR
            case 24, 23 -> TOO_MANY_OPENED_FILES;       // EMFILE, ENFILE
            case 28, 122 -> DISK_FULL;                  // ENOSPC, EDQUOT
            case 36 -> OBJECT_NAME_INVALID;             // ENAMETOOLONG
            case 39 -> DIRECTORY_NOT_EMPTY;             // ENOTEMPTY
            case 22 -> INVALID_PARAMETER;               // EINVAL
            default -> INTERNAL_ERROR;
        };
    }
}
