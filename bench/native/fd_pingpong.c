/*
 * The C twin of FdPingPongBench: one byte around a socketpair whose two ends are watched by
 * one level-triggered epoll loop on one thread. Same syscalls per round trip (write,
 * epoll_wait, read, write, epoll_wait, read), no loop library: the difference to the JMH
 * figure is what the tevent4j loop (and FFM) adds per two iterations.
 *   fd_pingpong [seconds]   prints ns per round trip
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double secs = argc > 1 ? atof(argv[1]) : 3;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) < 0) { perror("socketpair"); return 1; }
    int a = fds[0], b = fds[1];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = a };
    epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev);
    ev.data.fd = b;
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    char x = 'x', y;
    struct epoll_event ready[16];
    long n = 0, received = 0;
    double t0 = now(), end = t0 + secs, t;
    for (;;) {
        for (int k = 0; k < 10000; k++) {
            if (write(a, &x, 1) != 1) { perror("write"); return 1; }
            long target = received + 1;
            while (received < target) {
                int m = epoll_wait(ep, ready, 16, -1);
                for (int i = 0; i < m; i++) {
                    int fd = ready[i].data.fd;
                    if (fd == b) { if (read(b, &y, 1) == 1) write(b, &y, 1); }
                    else if (read(a, &y, 1) == 1) received++;
                }
            }
            n++;
        }
        if ((t = now()) >= end) break;
    }
    printf("C fd ping-pong over a socketpair, one epoll loop: %.1f ns per round trip (%ld round trips)\n",
           (t - t0) * 1e9 / n, n);
    return 0;
}
