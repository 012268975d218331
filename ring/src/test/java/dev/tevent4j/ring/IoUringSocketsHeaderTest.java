package dev.tevent4j.ring;

import dev.tevent4j.linux.CHeaderProbe;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.Test;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The socket part of {@link IoUringAbi} (accept, connect, multishot, provided buffer rings)
 * against {@code <linux/io_uring.h>} (Debian 12: Linux 6.1, which has them all), in the manner
 * of {@link IoUringHeaderTest}.
 */
class IoUringSocketsHeaderTest {
    @Test
    void socketConstantsAndBufferRingStructsMatchTheHeader() throws Exception {
        CHeaderProbe p = new CHeaderProbe().include("linux/io_uring.h").include("stddef.h").include("sys/socket.h")
                .expect("IORING_OP_ACCEPT", IORING_OP_ACCEPT).expect("IORING_OP_CONNECT", IORING_OP_CONNECT)
                .expect("IORING_OP_SOCKET", IORING_OP_SOCKET)
                .expect("IORING_ACCEPT_MULTISHOT", IORING_ACCEPT_MULTISHOT)
                .expect("IORING_RECV_MULTISHOT", IORING_RECV_MULTISHOT)
                .expect("IORING_CQE_BUFFER_SHIFT", IORING_CQE_BUFFER_SHIFT)
                .expect("IORING_REGISTER_PBUF_RING", IORING_REGISTER_PBUF_RING)
                .expect("IORING_UNREGISTER_PBUF_RING", IORING_UNREGISTER_PBUF_RING)
                .expect("SOCK_NONBLOCK", Libc.SOCK_NONBLOCK).expect("SOCK_CLOEXEC", Libc.SOCK_CLOEXEC)
                // struct io_uring_buf: one ring entry
                .expect("sizeof(struct io_uring_buf)", BUF.byteSize())
                .expect("offsetof(struct io_uring_buf, addr)", off(BUF, "addr"))
                .expect("offsetof(struct io_uring_buf, len)", off(BUF, "len"))
                .expect("offsetof(struct io_uring_buf, bid)", off(BUF, "bid"))
                .expect("offsetof(struct io_uring_buf, resv)", off(BUF, "resv"))
                // struct io_uring_buf_ring: its tail overlays bufs[0].resv
                .expect("offsetof(struct io_uring_buf_ring, tail)", BUF_RING_TAIL)
                .expect("offsetof(struct io_uring_buf_ring, bufs)", 0)
                .expect("sizeof(struct io_uring_buf_ring)", BUF.byteSize())
                // struct io_uring_buf_reg: IORING_(UN)REGISTER_PBUF_RING's argument
                .expect("sizeof(struct io_uring_buf_reg)", BUF_REG.byteSize())
                .expect("offsetof(struct io_uring_buf_reg, ring_addr)", off(BUF_REG, "ring_addr"))
                .expect("offsetof(struct io_uring_buf_reg, ring_entries)", off(BUF_REG, "ring_entries"))
                .expect("offsetof(struct io_uring_buf_reg, bgid)", off(BUF_REG, "bgid"))
                .expect("offsetof(struct io_uring_buf_reg, pad)", off(BUF_REG, "pad"))
                .expect("offsetof(struct io_uring_buf_reg, resv)", off(BUF_REG, "resv"))
                // the SQE fields the socket preps write: ioprio (multishot flags), accept_flags and
                // msg_flags (the op-flags union), buf_group (shares buf_index), addr2 (accept's socklen_t *)
                .expect("offsetof(struct io_uring_sqe, ioprio)", Sqe.IOPRIO)
                .expect("offsetof(struct io_uring_sqe, accept_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, msg_flags)", Sqe.OP_FLAGS)
                .expect("offsetof(struct io_uring_sqe, buf_group)", Sqe.BUF_INDEX)
                .expect("offsetof(struct io_uring_sqe, addr2)", Sqe.OFF)
                .expect("sizeof(((struct io_uring_sqe *)0)->buf_group)", 2)
                .expect("sizeof(((struct io_uring_sqe *)0)->ioprio)", 2);
        p.verify();
    }
}
