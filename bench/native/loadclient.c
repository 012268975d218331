/*
 * The one load client every server is measured with, so that only the server differs.
 *   loadclient pingpong PORT SIZE WARMUP_S SECONDS   1 connection, one message in flight
 *   loadclient count    PORT SIZE COUNT              1 connection, exactly COUNT round trips
 *   loadclient echo     PORT SIZE WARMUP_S SECONDS CONNS [IDLE]
 *                        CONNS connections, one message in flight on each, one epoll thread;
 *                        IDLE more connections opened first that never send (default 0)
 *   loadclient hold     PORT N SECONDS       N idle connections, held SECONDS after all are up
 *                        (prints its line once they are, so a driver can measure the server)
 * A round trip is SIZE bytes sent and the same SIZE bytes received back (checked).
 * Prints one JSON object: {"mode":..,"roundtrips":..,"seconds":..,"rate":..}.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) { perror(what); exit(1); }

static int dial(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
    return fd;
}

static void fill(char *msg, int size) {
    for (int i = 0; i < size; i++) msg[i] = (char)('a' + i % 26);
}

/* One blocking round trip on fd; exits on a short or wrong echo. */
static void round_trip(int fd, const char *msg, char *in, int size) {
    for (int off = 0; off < size;) {
        ssize_t w = write(fd, msg + off, size - off);
        if (w <= 0) die("write");
        off += w;
    }
    for (int got = 0; got < size;) {
        ssize_t r = read(fd, in + got, size - got);
        if (r <= 0) { fprintf(stderr, "loadclient: server closed or failed (%zd)\n", r); exit(1); }
        got += r;
    }
    if (memcmp(msg, in, size) != 0) { fprintf(stderr, "loadclient: echo differs\n"); exit(1); }
}

static void report(const char *mode, long n, double secs) {
    printf("{\"mode\":\"%s\",\"roundtrips\":%ld,\"seconds\":%.4f,\"rate\":%.1f}\n", mode, n, secs, n / secs);
}

static int pingpong(int port, int size, double warm, double secs) {
    int fd = dial(port);
    char *msg = malloc(size), *in = malloc(size);
    fill(msg, size);
    double t0 = now(), end = t0 + warm;
    while (now() < end) for (int i = 0; i < 100; i++) round_trip(fd, msg, in, size);
    long n = 0;
    t0 = now();
    end = t0 + secs;
    double t;
    while ((t = now()) < end) {
        for (int i = 0; i < 100; i++) round_trip(fd, msg, in, size);
        n += 100;
    }
    report("pingpong", n, t - t0);
    close(fd);
    return 0;
}

static int count(int port, int size, long total) {
    int fd = dial(port);
    char *msg = malloc(size), *in = malloc(size);
    fill(msg, size);
    double t0 = now();
    for (long i = 0; i < total; i++) round_trip(fd, msg, in, size);
    report("count", total, now() - t0);
    close(fd);
    return 0;
}

/* Idle connections need more fds than the default soft limit: take the hard one. */
static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* n connections that never send; the server has accepted them all when this returns. */
static int *open_idle(int port, int n) {
    raise_fd_limit();
    int *fds = calloc(n > 0 ? n : 1, sizeof *fds);
    for (int i = 0; i < n; i++) fds[i] = dial(port);
    return fds;
}

static int hold(int port, int n, double secs) {
    int *fds = open_idle(port, n);
    printf("{\"mode\":\"hold\",\"conns\":%d}\n", n);
    fflush(stdout);
    struct timespec ts = { .tv_sec = (time_t)secs, .tv_nsec = (long)((secs - (time_t)secs) * 1e9) };
    nanosleep(&ts, NULL);
    for (int i = 0; i < n; i++) close(fds[i]);
    free(fds);
    return 0;
}

struct conn { int fd; int sent, got; };

static int echo(int port, int size, double warm, double secs, int conns, int idle) {
    int *idle_fds = open_idle(port, idle);
    struct conn *c = calloc(conns, sizeof *c);
    char *msg = malloc(size), *in = malloc(size);
    fill(msg, size);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < conns; i++) {
        c[i].fd = dial(port);
        fcntl(c[i].fd, F_SETFL, fcntl(c[i].fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
    }
    /* Start: one message in flight on every connection. Sends are small enough for the
     * socket buffer, so a write either completes or the benchmark is broken. */
    for (int i = 0; i < conns; i++) {
        if (write(c[i].fd, msg, size) != size) die("first write");
    }
    struct epoll_event ready[1024];
    double t0 = now(), start = t0 + warm, end = start + secs, t = t0;
    long n = 0;
    int measuring = 0;
    while (t < end) {
        int k = epoll_wait(ep, ready, 1024, 1000);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) { fprintf(stderr, "loadclient: no echo for 1 s\n"); exit(1); }
        for (int j = 0; j < k; j++) {
            struct conn *x = &c[ready[j].data.u32];
            ssize_t r = read(x->fd, in + 0, size - x->got);
            if (r == 0) { fprintf(stderr, "loadclient: server closed a connection\n"); exit(1); }
            if (r < 0) { if (errno == EAGAIN) continue; die("read"); }
            if (memcmp(msg + x->got, in, r) != 0) { fprintf(stderr, "loadclient: echo differs\n"); exit(1); }
            x->got += r;
            if (x->got < size) continue;
            x->got = 0;
            n++;
            if (write(x->fd, msg, size) != size) die("write");
        }
        t = now();
        if (!measuring && t >= start) { measuring = 1; n = 0; start = t; end = start + secs; }
    }
    report("echo", n, t - start);
    for (int i = 0; i < idle; i++) close(idle_fds[i]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 6 && !strcmp(argv[1], "pingpong"))
        return pingpong(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), atof(argv[5]));
    if (argc >= 5 && !strcmp(argv[1], "count"))
        return count(atoi(argv[2]), atoi(argv[3]), atol(argv[4]));
    if (argc >= 7 && !strcmp(argv[1], "echo"))
        return echo(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), atof(argv[5]), atoi(argv[6]),
                    argc >= 8 ? atoi(argv[7]) : 0);
    if (argc >= 5 && !strcmp(argv[1], "hold"))
        return hold(atoi(argv[2]), atoi(argv[3]), atof(argv[4]));
    fprintf(stderr, "usage: loadclient pingpong PORT SIZE WARMUP_S SECONDS\n"
                    "       loadclient count PORT SIZE COUNT\n"
                    "       loadclient echo PORT SIZE WARMUP_S SECONDS CONNS [IDLE]\n"
                    "       loadclient hold PORT N SECONDS\n");
    return 2;
}
