package dev.tevent4j.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout.PathElement;

import static dev.tevent4j.linux.Libc.*;

/** Every constant and struct layout of {@link Libc} and {@link Errno}, checked against the C headers. */
class LibcHeadersTest {

    @Test
    void libcConstantsAndLayoutsMatchTheHeaders() throws Exception {
        new CHeaderProbe()
                .include("fcntl.h").include("sys/eventfd.h").include("sys/socket.h")
                .include("netinet/in.h").include("netinet/tcp.h").include("sys/uio.h").include("poll.h")
                .include("sys/stat.h").include("sys/mman.h").include("linux/openat2.h").include("sys/syscall.h")
                .expect("RWF_NOWAIT", RWF_NOWAIT).expect("F_GETFL", F_GETFL).expect("F_SETFL", F_SETFL).expect("O_NOFOLLOW", O_NOFOLLOW).expect("O_PATH", O_PATH)
                .expect("RESOLVE_NO_XDEV", RESOLVE_NO_XDEV).expect("RESOLVE_NO_MAGICLINKS", RESOLVE_NO_MAGICLINKS)
                .expect("RESOLVE_NO_SYMLINKS", RESOLVE_NO_SYMLINKS).expect("RESOLVE_BENEATH", RESOLVE_BENEATH)
                .expect("RESOLVE_IN_ROOT", RESOLVE_IN_ROOT).expect("SYS_openat2", 437)
                .expect("sizeof(struct open_how)", OPEN_HOW.byteSize())
                .expect("offsetof(struct open_how, resolve)", OPEN_HOW.byteOffset(PathElement.groupElement("resolve")))
                .expect("S_IFMT", S_IFMT).expect("S_IFREG", S_IFREG).expect("S_IFDIR", S_IFDIR).expect("S_IFIFO", S_IFIFO)
                .expect("S_IFSOCK", S_IFSOCK).expect("S_IFBLK", S_IFBLK).expect("S_IFCHR", S_IFCHR)
                .expect("STATX_TYPE", STATX_TYPE).expect("STATX_MODE", STATX_MODE).expect("STATX_INO", STATX_INO)
                .expect("offsetof(struct statx, stx_ino)", STATX_INO_OFFSET)
                .expect("offsetof(struct statx, stx_dev_major)", STATX_DEV_MAJOR_OFFSET)
                .expect("offsetof(struct statx, stx_dev_minor)", STATX_DEV_MINOR_OFFSET)
                .expect("AT_FDCWD", AT_FDCWD).expect("AT_EMPTY_PATH", AT_EMPTY_PATH)
                .expect("STATX_BASIC_STATS", STATX_BASIC_STATS).expect("STATX_SIZE", STATX_SIZE)
                .expect("SPLICE_F_MOVE", SPLICE_F_MOVE).expect("SPLICE_F_NONBLOCK", SPLICE_F_NONBLOCK)
                .expect("POLLIN", POLLIN).expect("POLLOUT", POLLOUT).expect("POLLERR", POLLERR)
                .expect("POLLHUP", POLLHUP).expect("POLLRDHUP", POLLRDHUP)
                .expect("PROT_READ", PROT_READ).expect("PROT_WRITE", PROT_WRITE).expect("MAP_SHARED", MAP_SHARED)
                .expect("MAP_POPULATE", MAP_POPULATE)
                .expect("sizeof(struct iovec)", IOVEC.byteSize())
                .expect("offsetof(struct iovec, iov_len)", IOVEC.byteOffset(PathElement.groupElement("iov_len")))
                .expect("sizeof(struct msghdr)", MSGHDR.byteSize())
                .expect("offsetof(struct msghdr, msg_namelen)", MSGHDR.byteOffset(PathElement.groupElement("msg_namelen")))
                .expect("offsetof(struct msghdr, msg_iov)", MSGHDR.byteOffset(PathElement.groupElement("msg_iov")))
                .expect("offsetof(struct msghdr, msg_iovlen)", MSGHDR.byteOffset(PathElement.groupElement("msg_iovlen")))
                .expect("offsetof(struct msghdr, msg_control)", MSGHDR.byteOffset(PathElement.groupElement("msg_control")))
                .expect("offsetof(struct msghdr, msg_controllen)", MSGHDR.byteOffset(PathElement.groupElement("msg_controllen")))
                .expect("offsetof(struct msghdr, msg_flags)", MSGHDR.byteOffset(PathElement.groupElement("msg_flags")))
                .expect("sizeof(struct pollfd)", POLLFD.byteSize())
                .expect("offsetof(struct pollfd, events)", POLLFD.byteOffset(PathElement.groupElement("events")))
                .expect("offsetof(struct pollfd, revents)", POLLFD.byteOffset(PathElement.groupElement("revents")))
                .expect("sizeof(struct statx)", STATX_SIZE_BYTES)
                .expect("offsetof(struct statx, stx_mask)", STATX_MASK_OFFSET)
                .expect("offsetof(struct statx, stx_size)", STATX_SIZE_OFFSET)
                .expect("offsetof(struct statx, stx_mode)", STATX_MODE_OFFSET)
                .expect("O_RDONLY", O_RDONLY).expect("O_WRONLY", O_WRONLY).expect("O_RDWR", O_RDWR)
                .expect("O_CREAT", O_CREAT).expect("O_TRUNC", O_TRUNC).expect("O_NONBLOCK", O_NONBLOCK)
                .expect("O_CLOEXEC", O_CLOEXEC).expect("O_DIRECTORY", O_DIRECTORY)
                .expect("EFD_NONBLOCK", EFD_NONBLOCK).expect("EFD_CLOEXEC", EFD_CLOEXEC)
                .expect("AF_UNIX", AF_UNIX).expect("AF_INET", AF_INET)
                .expect("SOCK_STREAM", SOCK_STREAM).expect("SOCK_DGRAM", SOCK_DGRAM)
                .expect("SOCK_NONBLOCK", SOCK_NONBLOCK).expect("SOCK_CLOEXEC", SOCK_CLOEXEC)
                .expect("SOL_SOCKET", SOL_SOCKET).expect("SO_REUSEADDR", SO_REUSEADDR).expect("SO_ERROR", SO_ERROR)
                .expect("SO_SNDBUF", SO_SNDBUF).expect("SO_RCVBUF", SO_RCVBUF).expect("SO_LINGER", SO_LINGER)
                .expect("SO_REUSEPORT", SO_REUSEPORT)
                .expect("IPPROTO_TCP", IPPROTO_TCP).expect("TCP_NODELAY", TCP_NODELAY)
                .expect("SHUT_RD", SHUT_RD).expect("SHUT_WR", SHUT_WR).expect("SHUT_RDWR", SHUT_RDWR)
                .expect("MSG_DONTWAIT", MSG_DONTWAIT).expect("MSG_NOSIGNAL", MSG_NOSIGNAL)
                .expect("INADDR_LOOPBACK", INADDR_LOOPBACK)
                .expect("sizeof(struct linger)", LINGER.byteSize())
                .expect("offsetof(struct linger, l_onoff)", LINGER.byteOffset(PathElement.groupElement("l_onoff")))
                .expect("offsetof(struct linger, l_linger)", LINGER.byteOffset(PathElement.groupElement("l_linger")))
                .expect("sizeof(struct sockaddr_in)", SOCKADDR_IN.byteSize())
                .expect("offsetof(struct sockaddr_in, sin_family)", SOCKADDR_IN.byteOffset(PathElement.groupElement("sin_family")))
                .expect("offsetof(struct sockaddr_in, sin_port)", SOCKADDR_IN.byteOffset(PathElement.groupElement("sin_port")))
                .expect("offsetof(struct sockaddr_in, sin_addr)", SOCKADDR_IN.byteOffset(PathElement.groupElement("sin_addr")))
                .verify();
    }

    @Test
    void everyErrnoNameMatchesTheHeader() throws Exception {
        CHeaderProbe probe = new CHeaderProbe().include("errno.h");
        for (int v : Errno.values()) {
            probe.expect(Errno.name(v), v);
        }
        probe.expect("EAGAIN", Errno.EAGAIN).expect("EBADF", Errno.EBADF).expect("ECONNRESET", Errno.ECONNRESET)
                .expect("ECANCELED", Errno.ECANCELED).expect("EINTR", Errno.EINTR).expect("ENOSYS", Errno.ENOSYS)
                .expect("EPERM", Errno.EPERM).expect("ETIMEDOUT", Errno.ETIMEDOUT).expect("EINPROGRESS", Errno.EINPROGRESS)
                .expect("EPIPE", Errno.EPIPE).expect("ENOENT", Errno.ENOENT).expect("EINVAL", Errno.EINVAL)
                .verify();
    }
}
