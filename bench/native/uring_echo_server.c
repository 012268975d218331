/*
 * The io_uring reference: a plain C echo server on one io_uring, one thread, the practical
 * limit of the ring path here (echo_server.c is the same for epoll). Raw syscalls and
 * <linux/io_uring.h>, no liburing.
 *   uring_echo_server [port]    prints "LISTENING <port>"; exits when stdin closes
 *
 * The same rules as the other servers: one receive in flight per connection into a 64 KiB
 * per-connection buffer, and what it got is sent straight back before the next receive.
 * On the ring that is, for a receive of n > 0 bytes, two SQEs submitted together:
 *   SEND(n bytes, MSG_WAITALL, IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS) -> RECV(64 KiB)
 * so a round trip costs one CQE (the receive's) and, on a loaded loop, a share of one
 * io_uring_enter. The listening socket (multishot accept) and stdin (POLL_ADD on fd 0) are in
 * the ring too; every loop pass is exactly one io_uring_enter (submit + wait for >= 1 CQE).
 *
 * Short sends, and why the send carries MSG_WAITALL. IOSQE_CQE_SKIP_SUCCESS suppresses the
 * CQE of a request that did not fail, and "fail" is the same notion that breaks a link
 * (kernel commit 04c76b41ca97, "io_uring: add option to skip CQE posting"): the opcode calls
 * req_set_fail(). io_send() (io_uring/net.c) does that only when the result is below
 * min_ret, and min_ret is 0 unless MSG_WAITALL is set. So a plain short send (res > 0 but
 * < len) is a success: no CQE, the link goes on, and the rest of the bytes would be lost
 * without a trace. With MSG_WAITALL on a stream socket the kernel sends the rest itself
 * (io_net_retry(): re-armed poll, done_io accumulated) and completes with len; it completes
 * short only when it fails part way (an error or a signal after some bytes went out). Then
 * req_set_fail() turns the skipped CQE into a posted one, res = the bytes sent (done_io), or
 * -errno if none were; REQ_F_SKIP_LINK_CQES makes the linked RECV fail with -ECANCELED
 * *without* a CQE (io_fail_links()). The handler below therefore treats a SEND CQE as "the
 * receive did not run": it sends the rest (or gives up on a hard error) and re-arms the
 * receive itself, and it ignores a RECV -ECANCELED (posted only where CQE skipping is not
 * available and the flag is not used).
 *
 * Every constant used is in the <linux/io_uring.h> of Debian 12's linux-libc-dev (6.1); the
 * newer kernel features (multishot accept 5.19, SINGLE_ISSUER 6.0, DEFER_TASKRUN 6.1, CQE
 * skipping 5.17, registered ring fd 5.18) are each tried and dropped where the kernel refuses.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BUF (64 * 1024)
#define MAXFD 65536
#define ENTRIES 512

enum { K_ACCEPT = 1, K_RECV, K_SEND, K_STDIN };
#define UD(kind, fd) (((uint64_t)(kind) << 32) | (uint32_t)(fd))

/* One echo in progress: len bytes received into buf, off of them sent before the SEND in flight. */
struct conn { char *buf; uint32_t len, off; };
static struct conn conns[MAXFD];

static struct {
    int fd;              /* the ring fd, or its registered index with IORING_ENTER_REGISTERED_RING */
    unsigned enter_flags;
    unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, sq_entries, tail;
    struct io_uring_sqe *sqes;
    unsigned *cq_head, *cq_tail, *cq_mask;
    struct io_uring_cqe *cqes;
} ring;
static unsigned skip_success;  /* IOSQE_CQE_SKIP_SUCCESS if the kernel has it (5.17+), else 0 */
static int multishot_accept = 1;
static int lfd;

static void die(const char *what) { perror(what); exit(1); }
static void die_res(const char *what, int res) { fprintf(stderr, "uring_echo_server: %s: %s\n", what, strerror(-res)); exit(1); }

static int enter(unsigned to_submit, unsigned min_complete, unsigned flags) {
    return (int)syscall(__NR_io_uring_enter, ring.fd, to_submit, min_complete, flags | ring.enter_flags, NULL, 0);
}

/* Publishes the local SQ tail and hands everything not yet consumed to the kernel, waiting for
 * min_complete completions. The only io_uring_enter of a loop pass, or of a full SQ. */
static void submit(unsigned min_complete) {
    __atomic_store_n(ring.sq_tail, ring.tail, __ATOMIC_RELEASE);
    unsigned pending = ring.tail - __atomic_load_n(ring.sq_head, __ATOMIC_ACQUIRE);
    /* EINTR: a signal (strace attaching); EBUSY/EAGAIN: CQ overflow backlog, reaping fixes it. */
    if (enter(pending, min_complete, min_complete ? IORING_ENTER_GETEVENTS : 0) < 0
        && errno != EINTR && errno != EBUSY && errno != EAGAIN)
        die("io_uring_enter");
}

/* Makes room for n SQEs that must go to the kernel in the same submission (a link). */
static void reserve(unsigned n) {
    while (ring.tail + n - __atomic_load_n(ring.sq_head, __ATOMIC_ACQUIRE) > ring.sq_entries)
        submit(0);
}

static struct io_uring_sqe *sqe(uint8_t op, int fd, uint64_t user_data) {
    reserve(1);
    unsigned i = ring.tail & *ring.sq_mask;
    struct io_uring_sqe *s = &ring.sqes[i];
    memset(s, 0, sizeof *s);
    s->opcode = op;
    s->fd = fd;
    s->user_data = user_data;
    ring.sq_array[i] = i;
    ring.tail++;
    return s;
}

static void arm_accept(void) {
    struct io_uring_sqe *s = sqe(IORING_OP_ACCEPT, lfd, UD(K_ACCEPT, lfd));
    s->accept_flags = SOCK_CLOEXEC;  /* a blocking socket: the ring polls it, no EAGAIN to us */
    if (multishot_accept) s->ioprio = IORING_ACCEPT_MULTISHOT;  /* 5.19+ */
}

static void arm_stdin(void) {
    sqe(IORING_OP_POLL_ADD, 0, UD(K_STDIN, 0))->poll32_events = POLLIN;
}

static void arm_recv(int fd) {
    struct io_uring_sqe *s = sqe(IORING_OP_RECV, fd, UD(K_RECV, fd));
    s->addr = (uintptr_t)conns[fd].buf;
    s->len = BUF;
}

/* SEND of what is left of the echo, linked to the next RECV into the same buffer: the link
 * starts the receive only once the send has completed, so the buffer is free by then. */
static void send_then_recv(int fd) {
    struct conn *c = &conns[fd];
    reserve(2);
    struct io_uring_sqe *s = sqe(IORING_OP_SEND, fd, UD(K_SEND, fd));
    s->addr = (uintptr_t)(c->buf + c->off);
    s->len = c->len - c->off;
    s->msg_flags = MSG_WAITALL | MSG_NOSIGNAL;
    s->flags = IOSQE_IO_LINK | skip_success;
    arm_recv(fd);
}

static void close_conn(int fd) {
    conns[fd].len = conns[fd].off = 0;
    close(fd);  /* nothing of fd is in flight here: its one RECV or SEND has completed */
}

static void on_cqe(uint64_t ud, int res, unsigned cflags) {
    int kind = (int)(ud >> 32), fd = (int)(uint32_t)ud;
    switch (kind) {
    case K_STDIN: {
        char b[512];
        if (res < 0 && res != -EINTR) die_res("poll stdin", res);
        if (res > 0 && read(0, b, sizeof b) <= 0) exit(0);  /* end of file: the driver is gone */
        arm_stdin();
        return;
    }
    case K_ACCEPT:
        if (res >= 0) {
            if (res >= MAXFD) { close(res); }
            else {
                int one = 1;
                setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                if (!conns[res].buf && !(conns[res].buf = malloc(BUF))) die("malloc");
                arm_recv(res);
            }
        } else if (res == -EINVAL && multishot_accept) {
            multishot_accept = 0;  /* a kernel before 5.19: one accept at a time */
        } else {
            fprintf(stderr, "uring_echo_server: accept: %s\n", strerror(-res));
        }
        if (!(cflags & IORING_CQE_F_MORE)) arm_accept();  /* single shot, or multishot ended */
        return;
    case K_RECV:
        if (res > 0) {
            conns[fd].len = (uint32_t)res;
            conns[fd].off = 0;
            send_then_recv(fd);
        } else if (res == -ECANCELED) {
            /* The linked SEND failed; its own CQE (handled below) re-armed or closed. */
        } else if (res == -EINTR || res == -EAGAIN || res == -ENOBUFS) {
            arm_recv(fd);
        } else {
            close_conn(fd);  /* 0: end of file; < 0: an error */
        }
        return;
    case K_SEND: {
        /* Posted only if the send failed (with CQE skipping), or always (without). */
        struct conn *c = &conns[fd];
        uint32_t want = c->len - c->off;
        if (res >= 0 && (uint32_t)res == want) return;  /* a success (no CQE skipping): RECV runs */
        if (res > 0) {
            c->off += (uint32_t)res;  /* short: failed part way, the linked RECV was cancelled */
            send_then_recv(fd);
        } else if (res == -EINTR || res == -EAGAIN || res == -ENOBUFS || res == -ENOMEM) {
            send_then_recv(fd);       /* nothing sent, transient: again, with the RECV */
        } else {
            close_conn(fd);           /* EPIPE, ECONNRESET, ...: the peer is gone */
        }
        return;
    }
    }
}

static void setup_ring(void) {
    /* Newest first; a kernel that does not know a flag says EINVAL, so drop it and retry:
     * DEFER_TASKRUN 6.1, SINGLE_ISSUER 6.0, COOP_TASKRUN 5.19. */
    static const unsigned tries[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
        IORING_SETUP_COOP_TASKRUN,
        0,
    };
    struct io_uring_params p;
    int fd = -1;
    for (unsigned t = 0; t < sizeof tries / sizeof tries[0]; t++) {
        memset(&p, 0, sizeof p);
        p.flags = tries[t];
        fd = (int)syscall(__NR_io_uring_setup, ENTRIES, &p);
        if (fd >= 0 || errno != EINVAL) break;
    }
    if (fd < 0) die("io_uring_setup");
    if (!(p.features & IORING_FEAT_SINGLE_MMAP)) { fprintf(stderr, "uring_echo_server: kernel too old (no IORING_FEAT_SINGLE_MMAP)\n"); exit(1); }
    skip_success = (p.features & IORING_FEAT_CQE_SKIP) ? IOSQE_CQE_SKIP_SUCCESS : 0;

    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    size_t size = sq_size > cq_size ? sq_size : cq_size;
    char *rings = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    if (rings == MAP_FAILED) die("mmap rings");
    ring.sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (ring.sqes == MAP_FAILED) die("mmap sqes");
    ring.fd = fd;
    ring.sq_head = (unsigned *)(rings + p.sq_off.head);
    ring.sq_tail = (unsigned *)(rings + p.sq_off.tail);
    ring.sq_mask = (unsigned *)(rings + p.sq_off.ring_mask);
    ring.sq_array = (unsigned *)(rings + p.sq_off.array);
    ring.sq_entries = p.sq_entries;
    ring.tail = *ring.sq_tail;
    ring.cq_head = (unsigned *)(rings + p.cq_off.head);
    ring.cq_tail = (unsigned *)(rings + p.cq_off.tail);
    ring.cq_mask = (unsigned *)(rings + p.cq_off.ring_mask);
    ring.cqes = (struct io_uring_cqe *)(rings + p.cq_off.cqes);

    /* Register the ring fd (5.18+): io_uring_enter then skips the fd table lookup. */
    struct io_uring_rsrc_update reg = { .offset = -1U, .data = (uint64_t)fd };
    if (syscall(__NR_io_uring_register, fd, IORING_REGISTER_RING_FDS, &reg, 1) == 1) {
        ring.fd = (int)reg.offset;
        ring.enter_flags = IORING_ENTER_REGISTERED_RING;
    }
    fprintf(stderr, "uring_echo_server: setup flags 0x%x, features 0x%x, cqe skip %s, registered ring %s\n",
            p.flags, p.features, skip_success ? "yes" : "no", ring.enter_flags ? "yes" : "no");
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    if (listen(lfd, 1024) < 0) die("listen");
    socklen_t sl = sizeof sa;
    getsockname(lfd, (struct sockaddr *)&sa, &sl);
    setup_ring();
    arm_stdin();  /* stdin: end of file means the driver is gone */
    arm_accept();
    printf("LISTENING %d\n", ntohs(sa.sin_port));
    fflush(stdout);

    for (;;) {
        submit(1);
        unsigned head = *ring.cq_head, tail = __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE);
        while (head != tail) {
            struct io_uring_cqe *c = &ring.cqes[head & *ring.cq_mask];
            uint64_t ud = c->user_data;
            int res = c->res;
            unsigned flags = c->flags;
            head++;
            __atomic_store_n(ring.cq_head, head, __ATOMIC_RELEASE);
            on_cqe(ud, res, flags);
            if (head == tail) tail = __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE);
        }
    }
}
