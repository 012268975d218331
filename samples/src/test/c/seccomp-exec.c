/*
 * seccomp-exec: runs a command under a real seccomp filter that refuses some io_uring syscalls,
 * for IoUringRefusedTest (built by the test with gcc into target/).
 *
 *   seccomp-exec ERRNO SYSCALLS -- PROGRAM [ARGS...]
 *   seccomp-exec --after FILE ERRNO SYSCALLS -- PROGRAM [ARGS...]
 *
 * ERRNO is EPERM or ENOSYS; SYSCALLS a comma list of setup, enter, register (io_uring_setup 425,
 * io_uring_enter 426, io_uring_register 427).
 *
 * Without --after, a plain BPF filter answers -ERRNO to those syscalls from the first
 * instruction of PROGRAM on, as a container's seccomp profile would.
 *
 * With --after FILE, the syscalls are allowed until FILE exists and refused from then on: io_uring
 * "disabled after start". BPF is stateless, so the filter hands those syscalls to a supervisor
 * (SECCOMP_RET_USER_NOTIF); the supervisor is a child forked before the filter is installed (so it
 * is not under it), receives the listener fd over a socketpair, and answers each call: CONTINUE
 * (the kernel runs it as is) while FILE is absent, -ERRNO once it exists. PROGRAM keeps this
 * process's pid, so the caller's Process.pid() is PROGRAM's.
 *
 * Exit status 125: the filter could not be installed (the reason is on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_IO_URING_SETUP 425
#define NR_IO_URING_ENTER 426
#define NR_IO_URING_REGISTER 427
#define X32_SYSCALL_BIT 0x40000000

static void die(const char *what) {
    fprintf(stderr, "seccomp-exec: %s: %s\n", what, strerror(errno));
    exit(125);
}

static void usage(void) {
    fprintf(stderr, "usage: seccomp-exec [--after FILE] EPERM|ENOSYS setup,enter,register -- PROGRAM [ARGS...]\n");
    exit(125);
}

static int parse_errno(const char *s) {
    if (strcmp(s, "EPERM") == 0) return EPERM;
    if (strcmp(s, "ENOSYS") == 0) return ENOSYS;
    usage();
    return 0;
}

/* Fills nrs with the syscall numbers named in the comma list; returns how many. */
static int parse_syscalls(char *list, int nrs[3]) {
    int n = 0;
    for (char *tok = strtok(list, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (n == 3) usage();
        if (strcmp(tok, "setup") == 0) nrs[n++] = NR_IO_URING_SETUP;
        else if (strcmp(tok, "enter") == 0) nrs[n++] = NR_IO_URING_ENTER;
        else if (strcmp(tok, "register") == 0) nrs[n++] = NR_IO_URING_REGISTER;
        else usage();
    }
    if (n == 0) usage();
    return n;
}

/*
 * The filter: kill on a foreign arch (a 32-bit entry would number syscalls differently), refuse
 * the x32 ABI outright, apply `action` to the chosen syscalls, allow the rest.
 */
static int install_filter(const int *nrs, int n, unsigned int action, unsigned int flags) {
    struct sock_filter prog[16];
    int i = 0;
    prog[i++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    prog[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    prog[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    prog[i++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    prog[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, (unsigned char) (n + 1), 0);
    for (int k = 0; k < n; k++) {
        /* a match jumps to the action, past the remaining comparisons and the ALLOW */
        prog[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int) nrs[k], (unsigned char) (n - k), 0);
    }
    prog[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    prog[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, action);
    struct sock_fprog fprog = {.len = (unsigned short) i, .filter = prog};

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
    long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (rc < 0) die("seccomp(SECCOMP_SET_MODE_FILTER)");
    return (int) rc; /* the listener fd with SECCOMP_FILTER_FLAG_NEW_LISTENER, else 0 */
}

static void send_fd(int sock, int fd) {
    char byte = 0;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(sock, &msg, 0) != 1) die("sendmsg(listener fd)");
}

static int recv_fd(int sock) {
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &msg, 0) != 1) return -1; /* the parent failed before installing the filter */
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/* The supervisor: answers every io_uring call of the filtered process until it is gone. */
static void supervise(int listener, const char *file, int err) {
    struct seccomp_notif_sizes sizes;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) die("seccomp(SECCOMP_GET_NOTIF_SIZES)");
    struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
    struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
    if (req == NULL || resp == NULL) die("calloc");
    for (;;) {
        struct pollfd p = {.fd = listener, .events = POLLIN};
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll(listener)");
        }
        if (p.revents & POLLIN) {
            memset(req, 0, sizes.seccomp_notif);
            if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
                if (errno == EINTR || errno == ENOENT) continue; /* ENOENT: the caller died meanwhile */
                die("ioctl(SECCOMP_IOCTL_NOTIF_RECV)");
            }
            memset(resp, 0, sizes.seccomp_notif_resp);
            resp->id = req->id;
            if (access(file, F_OK) == 0) {
                resp->error = -err;
            } else {
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
            }
            /* ENOENT: the calling thread was interrupted or died; nothing to answer */
            if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0 && errno != ENOENT) {
                die("ioctl(SECCOMP_IOCTL_NOTIF_SEND)");
            }
        } else if (p.revents & (POLLHUP | POLLERR)) {
            exit(0); /* every task under the filter has exited */
        }
    }
}

int main(int argc, char **argv) {
    int a = 1;
    const char *after = NULL;
    if (a < argc && strcmp(argv[a], "--after") == 0) {
        if (a + 1 >= argc) usage();
        after = argv[a + 1];
        a += 2;
    }
    if (argc - a < 4 || strcmp(argv[a + 2], "--") != 0) usage();
    int err = parse_errno(argv[a]);
    int nrs[3];
    int n = parse_syscalls(argv[a + 1], nrs);
    char **command = &argv[a + 3];

    if (after == NULL) {
        install_filter(nrs, n, SECCOMP_RET_ERRNO | (unsigned int) err, 0);
        execv(command[0], command);
        die("execv");
    }

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) die("socketpair");
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        close(sv[0]);
        /* Never outlive the filtered process, whatever kills it. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent) _exit(0);
        int listener = recv_fd(sv[1]);
        if (listener < 0) _exit(0);
        close(sv[1]);
        /* The caller reads PROGRAM's output to its end: keep the supervisor off those pipes. */
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
            if (devnull > 2) close(devnull);
        }
        supervise(listener, after, err);
        _exit(0);
    }
    close(sv[1]);
    int listener = install_filter(nrs, n, SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    send_fd(sv[0], listener);
    close(listener);
    close(sv[0]);
    execv(command[0], command);
    die("execv");
    return 125;
}
