package dev.tevent4j.ring;

import dev.tevent4j.linux.CHeaderProbe;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.Test;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The registered-resource part of {@link IoUringAbi} (fixed buffers and files, io-wq limits, the
 * registered ring fd) against {@code <linux/io_uring.h>} (Debian 12: Linux 6.1, which has them
 * all), in the manner of {@link IoUringHeaderTest}.
 */
class IoUringRegisteredHeaderTest {
    @Test
    void registeredResourceConstantsAndStructsMatchTheHeader() throws Exception {
        CHeaderProbe p = new CHeaderProbe().include("linux/io_uring.h").include("stddef.h").include("fcntl.h")
                .expect("IORING_OP_READ_FIXED", IORING_OP_READ_FIXED).expect("IORING_OP_WRITE_FIXED", IORING_OP_WRITE_FIXED)
                .expect("IORING_REGISTER_BUFFERS", IORING_REGISTER_BUFFERS)
                .expect("IORING_UNREGISTER_BUFFERS", IORING_UNREGISTER_BUFFERS)
                .expect("IORING_REGISTER_FILES", IORING_REGISTER_FILES)
                .expect("IORING_UNREGISTER_FILES", IORING_UNREGISTER_FILES)
                .expect("IORING_REGISTER_FILES_UPDATE", IORING_REGISTER_FILES_UPDATE)
                .expect("IORING_REGISTER_IOWQ_MAX_WORKERS", IORING_REGISTER_IOWQ_MAX_WORKERS)
                .expect("IORING_REGISTER_RING_FDS", IORING_REGISTER_RING_FDS)
                .expect("IORING_UNREGISTER_RING_FDS", IORING_UNREGISTER_RING_FDS)
                .expect("IORING_ENTER_REGISTERED_RING", IORING_ENTER_REGISTERED_RING)
                .expect("IOSQE_FIXED_FILE", IOSQE_FIXED_FILE)
                .expect("F_DUPFD_CLOEXEC", Libc.F_DUPFD_CLOEXEC)
                // struct io_uring_rsrc_update: the ring fd registration's argument
                .expect("sizeof(struct io_uring_rsrc_update)", RSRC_UPDATE.byteSize())
                .expect("offsetof(struct io_uring_rsrc_update, offset)", off(RSRC_UPDATE, "offset"))
                .expect("offsetof(struct io_uring_rsrc_update, data)", off(RSRC_UPDATE, "data"))
                // struct io_uring_files_update: FILES_UPDATE's, the same layout
                .expect("sizeof(struct io_uring_files_update)", RSRC_UPDATE.byteSize())
                .expect("offsetof(struct io_uring_files_update, offset)", off(RSRC_UPDATE, "offset"))
                .expect("offsetof(struct io_uring_files_update, fds)", off(RSRC_UPDATE, "data"))
                .expect("offsetof(struct io_uring_sqe, buf_index)", Sqe.BUF_INDEX);
        p.verify();
    }
}
