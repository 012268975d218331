package dev.tevent4j.ring;

import dev.tevent4j.linux.CHeaderProbe;
import org.junit.jupiter.api.Test;

import java.lang.foreign.StructLayout;

import static dev.tevent4j.ring.IoUringAbi.*;

/** {@link IoUringAbi} against {@code <linux/io_uring.h>} and the syscall numbers. */
class IoUringHeaderTest {

    private static CHeaderProbe fields(CHeaderProbe p, String cStruct, StructLayout layout, String... names) {
        p.expect("sizeof(struct " + cStruct + ")", layout.byteSize());
        for (String n : names) {
            p.expect("offsetof(struct " + cStruct + ", " + n + ")", off(layout, n));
        }
        return p;
    }

    @Test
    void constantsAndLayoutsMatchTheHeader() throws Exception {
        CHeaderProbe p = new CHeaderProbe().include("linux/io_uring.h").include("sys/syscall.h")
                .expect("__NR_io_uring_setup", SYS_IO_URING_SETUP).expect("__NR_io_uring_enter", SYS_IO_URING_ENTER)
                .expect("__NR_io_uring_register", SYS_IO_URING_REGISTER)
                .expect("IORING_SETUP_CQSIZE", IORING_SETUP_CQSIZE).expect("IORING_SETUP_CLAMP", IORING_SETUP_CLAMP)
                .expect("IORING_SETUP_SUBMIT_ALL", IORING_SETUP_SUBMIT_ALL)
                .expect("IORING_SETUP_COOP_TASKRUN", IORING_SETUP_COOP_TASKRUN)
                .expect("IORING_SETUP_TASKRUN_FLAG", IORING_SETUP_TASKRUN_FLAG)
                .expect("IORING_SETUP_SINGLE_ISSUER", IORING_SETUP_SINGLE_ISSUER)
                .expect("IORING_SETUP_DEFER_TASKRUN", IORING_SETUP_DEFER_TASKRUN)
                .expect("IORING_ENTER_GETEVENTS", IORING_ENTER_GETEVENTS).expect("IORING_ENTER_EXT_ARG", IORING_ENTER_EXT_ARG)
                .expect("IORING_SQ_NEED_WAKEUP", IORING_SQ_NEED_WAKEUP).expect("IORING_SQ_CQ_OVERFLOW", IORING_SQ_CQ_OVERFLOW)
                .expect("IORING_SQ_TASKRUN", IORING_SQ_TASKRUN)
                .expect("IORING_FEAT_SINGLE_MMAP", IORING_FEAT_SINGLE_MMAP).expect("IORING_FEAT_NODROP", IORING_FEAT_NODROP)
                .expect("IORING_FEAT_SUBMIT_STABLE", IORING_FEAT_SUBMIT_STABLE).expect("IORING_FEAT_RW_CUR_POS", IORING_FEAT_RW_CUR_POS)
                .expect("IORING_FEAT_FAST_POLL", IORING_FEAT_FAST_POLL).expect("IORING_FEAT_EXT_ARG", IORING_FEAT_EXT_ARG)
                .expect("IORING_OFF_SQ_RING", IORING_OFF_SQ_RING).expect("IORING_OFF_CQ_RING", IORING_OFF_CQ_RING)
                .expect("IORING_OFF_SQES", IORING_OFF_SQES)
                .expect("IORING_OP_NOP", IORING_OP_NOP).expect("IORING_OP_READV", IORING_OP_READV)
                .expect("IORING_OP_WRITEV", IORING_OP_WRITEV).expect("IORING_OP_FSYNC", IORING_OP_FSYNC)
                .expect("IORING_OP_POLL_ADD", IORING_OP_POLL_ADD).expect("IORING_OP_POLL_REMOVE", IORING_OP_POLL_REMOVE)
                .expect("IORING_OP_SENDMSG", IORING_OP_SENDMSG).expect("IORING_OP_RECVMSG", IORING_OP_RECVMSG)
                .expect("IORING_OP_TIMEOUT", IORING_OP_TIMEOUT).expect("IORING_OP_ASYNC_CANCEL", IORING_OP_ASYNC_CANCEL)
                .expect("IORING_OP_OPENAT", IORING_OP_OPENAT).expect("IORING_OP_CLOSE", IORING_OP_CLOSE)
                .expect("IORING_OP_STATX", IORING_OP_STATX).expect("IORING_OP_READ", IORING_OP_READ)
                .expect("IORING_OP_WRITE", IORING_OP_WRITE).expect("IORING_OP_SEND", IORING_OP_SEND)
                .expect("IORING_OP_RECV", IORING_OP_RECV).expect("IORING_OP_SPLICE", IORING_OP_SPLICE)
                .expect("IORING_OP_MSG_RING", IORING_OP_MSG_RING).expect("IORING_OP_SEND_ZC", IORING_OP_SEND_ZC)
                .expect("IORING_OP_LAST", IORING_OP_LAST)
                .expect("IORING_FSYNC_DATASYNC", IORING_FSYNC_DATASYNC)
                .expect("IORING_CQE_F_BUFFER", IORING_CQE_F_BUFFER).expect("IORING_CQE_F_MORE", IORING_CQE_F_MORE)
                .expect("IORING_CQE_F_NOTIF", IORING_CQE_F_NOTIF)
                .expect("IORING_POLL_ADD_MULTI", IORING_POLL_ADD_MULTI).expect("IORING_POLL_ADD_LEVEL", IORING_POLL_ADD_LEVEL)
                .expect("IORING_ASYNC_CANCEL_ALL", IORING_ASYNC_CANCEL_ALL).expect("IORING_ASYNC_CANCEL_ANY", IORING_ASYNC_CANCEL_ANY)
                .expect("IORING_REGISTER_EVENTFD", IORING_REGISTER_EVENTFD)
                .expect("IORING_UNREGISTER_EVENTFD", IORING_UNREGISTER_EVENTFD)
                .expect("IORING_REGISTER_PROBE", IORING_REGISTER_PROBE).expect("IO_URING_OP_SUPPORTED", IO_URING_OP_SUPPORTED);
        fields(p, "io_sqring_offsets", SQRING_OFFSETS, "head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array", "resv2");
        fields(p, "io_cqring_offsets", CQRING_OFFSETS, "head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags", "resv2");
        fields(p, "io_uring_params", PARAMS, "sq_entries", "cq_entries", "flags", "sq_thread_cpu", "sq_thread_idle", "features", "wq_fd", "sq_off", "cq_off");
        p.expect("sizeof(struct io_uring_sqe)", Sqe.SIZE)
                .expect("offsetof(struct io_uring_sqe, opcode)", Sqe.OPCODE)
                .expect("offsetof(struct io_uring_sqe, flags)", Sqe.FLAGS)
                .expect("offsetof(struct io_uring_sqe, ioprio)", Sqe.IOPRIO)
                .expect("offsetof(struct io_uring_sqe, fd)", Sqe.FD)
                .expect("offsetof(struct io_uring_sqe, off)", Sqe.OFF)
                .expect("offsetof(struct io_uring_sqe, addr)", Sqe.ADDR)
                .expect("offsetof(struct io_uring_sqe, len)", Sqe.LEN)
                .expect("offsetof(struct io_uring_sqe, rw_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, user_data)", Sqe.USER_DATA)
                .expect("offsetof(struct io_uring_sqe, buf_index)", Sqe.BUF_INDEX)
                .expect("offsetof(struct io_uring_sqe, splice_fd_in)", Sqe.SPLICE_FD_IN)
                .expect("offsetof(struct io_uring_sqe, addr3)", Sqe.ADDR3)
                .expect("IOSQE_FIXED_FILE", IOSQE_FIXED_FILE).expect("IOSQE_IO_DRAIN", IOSQE_IO_DRAIN)
                .expect("IOSQE_IO_LINK", IOSQE_IO_LINK).expect("IOSQE_IO_HARDLINK", IOSQE_IO_HARDLINK)
                .expect("IOSQE_ASYNC", IOSQE_ASYNC).expect("IOSQE_BUFFER_SELECT", IOSQE_BUFFER_SELECT)
                .expect("IOSQE_CQE_SKIP_SUCCESS", IOSQE_CQE_SKIP_SUCCESS);
        fields(p, "io_uring_cqe", CQE, "user_data", "res", "flags");
        p.expect("sizeof(struct io_uring_probe_op)", PROBE_OP.byteSize())
                .expect("offsetof(struct io_uring_probe, ops_len)", off(PROBE, "ops_len"))
                .expect("offsetof(struct io_uring_probe, ops)", off(PROBE, "ops"))
                .expect("offsetof(struct io_uring_probe_op, flags)", off(PROBE_OP, "flags"));
        fields(p, "io_uring_getevents_arg", GETEVENTS_ARG, "sigmask", "sigmask_sz", "ts");
        fields(p, "__kernel_timespec", KERNEL_TIMESPEC, "tv_sec", "tv_nsec");
        p.verify();
    }
}
