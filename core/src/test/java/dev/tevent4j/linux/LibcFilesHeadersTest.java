package dev.tevent4j.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout.PathElement;

import static dev.tevent4j.linux.Libc.*;

/** The constants and layouts of Libc's "files and messages" section, checked against the C headers. */
class LibcFilesHeadersTest {
    @Test
    void fileAndMessageConstantsMatchTheHeaders() throws Exception {
        new CHeaderProbe()
                .include("fcntl.h").include("stdio.h").include("sys/socket.h").include("sys/xattr.h")
                .include("linux/openat2.h")
                .expect("RESOLVE_CACHED", RESOLVE_CACHED).expect("AT_REMOVEDIR", AT_REMOVEDIR)
                .expect("RENAME_NOREPLACE", RENAME_NOREPLACE).expect("RENAME_EXCHANGE", RENAME_EXCHANGE)
                .expect("XATTR_CREATE", XATTR_CREATE).expect("XATTR_REPLACE", XATTR_REPLACE)
                .expect("POSIX_FADV_NORMAL", POSIX_FADV_NORMAL).expect("POSIX_FADV_RANDOM", POSIX_FADV_RANDOM)
                .expect("POSIX_FADV_SEQUENTIAL", POSIX_FADV_SEQUENTIAL).expect("POSIX_FADV_WILLNEED", POSIX_FADV_WILLNEED)
                .expect("POSIX_FADV_DONTNEED", POSIX_FADV_DONTNEED).expect("POSIX_FADV_NOREUSE", POSIX_FADV_NOREUSE)
                .include("netinet/in.h")
                .expect("SO_PROTOCOL", SO_PROTOCOL).expect("IPPROTO_UDP", IPPROTO_UDP)
                .expect("SCM_RIGHTS", SCM_RIGHTS).expect("MSG_CMSG_CLOEXEC", MSG_CMSG_CLOEXEC)
                .expect("MSG_CTRUNC", MSG_CTRUNC).expect("MSG_TRUNC", MSG_TRUNC)
                .expect("sizeof(struct cmsghdr)", CMSGHDR.byteSize())
                .expect("CMSG_LEN(0)", CMSG_HEADER_BYTES)
                .expect("offsetof(struct cmsghdr, cmsg_level)", CMSGHDR.byteOffset(PathElement.groupElement("cmsg_level")))
                .expect("offsetof(struct cmsghdr, cmsg_type)", CMSGHDR.byteOffset(PathElement.groupElement("cmsg_type")))
                .expect("CMSG_SPACE(4)", dev.tevent4j.Msg.rightsSpace(1)).expect("CMSG_SPACE(12)", dev.tevent4j.Msg.rightsSpace(3))
                .verify();
    }
}
