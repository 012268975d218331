package dev.tevent4j.ring;

import dev.tevent4j.linux.CHeaderProbe;
import org.junit.jupiter.api.Test;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The file and message opcodes against {@code <linux/io_uring.h>}, and the SQE union members
 * their prep methods write through the shared offsets (a member at another offset would make a
 * prep write the wrong field).
 */
class IoUringFilesHeaderTest {
    @Test
    void fileAndMessageOpcodesAndSqeUnionsMatchTheHeader() throws Exception {
        new CHeaderProbe().include("linux/io_uring.h")
                .expect("IORING_OP_FADVISE", IORING_OP_FADVISE).expect("IORING_OP_OPENAT2", IORING_OP_OPENAT2)
                .expect("IORING_OP_TEE", IORING_OP_TEE).expect("IORING_OP_RENAMEAT", IORING_OP_RENAMEAT)
                .expect("IORING_OP_UNLINKAT", IORING_OP_UNLINKAT).expect("IORING_OP_MKDIRAT", IORING_OP_MKDIRAT)
                .expect("IORING_OP_FSETXATTR", IORING_OP_FSETXATTR).expect("IORING_OP_FGETXATTR", IORING_OP_FGETXATTR)
                .expect("IORING_OP_SENDMSG_ZC", IORING_OP_SENDMSG_ZC)
                // off is addr2 (openat2's open_how, renameat's new path, the xattr value)
                .expect("offsetof(struct io_uring_sqe, addr2)", Sqe.OFF)
                // the op_flags word is each op's flags field
                .expect("offsetof(struct io_uring_sqe, msg_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, unlink_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, rename_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, xattr_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, fadvise_advice)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, splice_flags)", Sqe.OP_FLAGS)
                // tee: splice_off_in (must be 0) is addr
                .expect("offsetof(struct io_uring_sqe, splice_off_in)", Sqe.ADDR)
                .verify();
    }
}
