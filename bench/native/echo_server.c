/*
 * The reference: a plain C epoll echo server, one thread, level-triggered, the same rules as
 * the Java servers (one read per readiness, write straight back, keep the rest and wait for
 * EPOLLOUT only when the send buffer is full). It is the practical limit of an epoll loop here.
 *   echo_server [port]    prints "LISTENING <port>"; exits when stdin closes
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF (64 * 1024)
#define MAXFD 65536

struct pending { char *data; size_t off, len; };
static struct pending pend[MAXFD];
static char buf[BUF];

static void die(const char *what) { perror(what); exit(1); }

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    if (listen(lfd, 1024) < 0) die("listen");
    socklen_t sl = sizeof sa;
    getsockname(lfd, (struct sockaddr *)&sa, &sl);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd };
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.fd = 0; /* stdin: end of file means the driver is gone */
    epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
    printf("LISTENING %d\n", ntohs(sa.sin_port));
    fflush(stdout);

    struct epoll_event ready[1024];
    for (;;) {
        int n = epoll_wait(ep, ready, 1024, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd;
            if (fd == 0) {
                if (read(0, buf, sizeof buf) <= 0) return 0;
                continue;
            }
            if (fd == lfd) {
                int c;
                while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (c >= MAXFD) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            struct pending *p = &pend[fd];
            if (p->len > 0) {
                if (!(ready[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
                ssize_t w = write(fd, p->data + p->off, p->len);
                if (w < 0 && errno != EAGAIN) goto closeit;
                if (w > 0) { p->off += w; p->len -= w; }
                if (p->len == 0) {
                    struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = fd };
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ce);
                }
                continue;
            }
            ssize_t r = read(fd, buf, BUF);
            if (r == 0 || (r < 0 && errno != EAGAIN)) goto closeit;
            if (r < 0) continue;
            ssize_t w = write(fd, buf, r);
            if (w == r) continue;
            if (w < 0 && errno != EAGAIN) goto closeit;
            if (w < 0) w = 0;
            if (!p->data) p->data = malloc(BUF);
            memcpy(p->data, buf + w, r - w);
            p->off = 0;
            p->len = r - w;
            struct epoll_event ce = { .events = EPOLLOUT, .data.fd = fd };
            epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ce);
            continue;
        closeit:
            p->len = 0;
            close(fd); /* close removes it from epoll */
        }
    }
}
