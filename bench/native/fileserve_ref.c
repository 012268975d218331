/*
 * The C reference for bench fileserve: a minimal blocking server for the fileserve protocol
 * (docs/samples.md, "fileserve / fileget"), one pthread per connection, no event loop. It
 * answers what fileget asks: READ (a byte range), STAT (size) and STATS (process CPU time from
 * getrusage, user + system; bytes served). Errors are answered briefly, like fileserve-ref: any
 * bad path or range is BAD_REQUEST, a path that leaves the root (absolute, a ".." component) is
 * FORBIDDEN; symlinks are not checked (bench only).
 *   fileserve_ref --root DIR [--port N] [--mode copy|sendfile|splice]
 *     copy      pread into a 1 MiB buffer, then write it all, repeat
 *     sendfile  sendfile(2) from the file to the socket
 *     splice    file -> pipe -> socket with splice(2); the pipe is grown to 1 MiB (F_SETPIPE_SZ)
 * Prints "fileserve_ref: mode M, listening on 127.0.0.1:PORT" and serves until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FRAME 4200
#define CHUNK (1 << 20)
enum { OP_READ = 1, OP_STAT = 2, OP_STATS = 3 };
enum { OK = 0, BAD_REQUEST = 1, NOT_FOUND = 2, FORBIDDEN = 3, BAD_RANGE = 4, UNKNOWN_OP = 6 };
enum { COPY, SENDFILE, SPLICE } mode = COPY;

static int rootfd;
static uint64_t served; /* bytes of READ bodies, updated atomically */

static void die(const char *what) { perror(what); exit(1); }

static int full_read(int fd, void *b, size_t n) {
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, (char *)b + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

static int full_write(int fd, const void *b, size_t n) {
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, (const char *)b + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        done += w;
    }
    return 0;
}

static int reply(int fd, int status, const uint64_t *body, int words) {
    unsigned char b[1 + 8 + 16];
    b[0] = status;
    uint64_t len = htobe64(8 * (uint64_t)words);
    memcpy(b + 1, &len, 8);
    for (int i = 0; i < words; i++) {
        uint64_t v = htobe64(body[i]);
        memcpy(b + 9 + 8 * i, &v, 8);
    }
    return full_write(fd, b, 9 + 8 * words);
}

static uint64_t cpu_nanos(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull
         + (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

/* Opens path (not NUL-terminated) under the root; -FORBIDDEN/-NOT_FOUND on failure. */
static int open_rooted(const unsigned char *p, size_t n) {
    char path[MAX_FRAME + 1];
    memcpy(path, p, n);
    path[n] = 0;
    if (n == 0 || strlen(path) != n || path[0] == '/') return -FORBIDDEN;
    for (char *c = path; c; c = strchr(c, '/')) {
        if (*c == '/') c++;
        if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == 0)) return -FORBIDDEN;
    }
    int fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0) return -NOT_FOUND;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) { close(fd); return -NOT_FOUND; }
    return fd;
}

/* Sends file[off, off+n) to the socket; -1 on failure (connection then closed). */
static int send_range(int s, int f, uint64_t off, uint64_t n, char *buf, int pipefd[2]) {
    uint64_t end = off + n;
    for (uint64_t start = off; off < end; start = off) {
        size_t want = end - off < CHUNK ? end - off : CHUNK;
        if (mode == COPY) {
            ssize_t r = pread(f, buf, want, off);
            if (r <= 0) return -1;
            if (full_write(s, buf, r) < 0) return -1;
            off += r;
        } else if (mode == SENDFILE) {
            off_t o = off;
            ssize_t r = sendfile(s, f, &o, want);
            if (r <= 0) return -1;
            off = o;
        } else {
            loff_t o = off;
            ssize_t r = splice(f, &o, pipefd[1], NULL, want, SPLICE_F_MOVE);
            if (r <= 0) return -1;
            off = o;
            for (ssize_t left = r; left > 0;) {
                ssize_t w = splice(pipefd[0], NULL, s, NULL, left, SPLICE_F_MOVE);
                if (w <= 0) return -1;
                left -= w;
            }
        }
        __atomic_fetch_add(&served, off - start, __ATOMIC_RELAXED);
    }
    return 0;
}

static void *serve(void *arg) {
    int s = (int)(intptr_t)arg;
    unsigned char frame[MAX_FRAME];
    char *buf = NULL;
    int pipefd[2] = {-1, -1};
    if (mode == COPY && !(buf = malloc(CHUNK))) goto out;
    if (mode == SPLICE) {
        if (pipe2(pipefd, O_CLOEXEC) < 0) goto out;
        if (fcntl(pipefd[1], F_SETPIPE_SZ, CHUNK) < 0) perror("F_SETPIPE_SZ");
    }
    for (;;) {
        uint32_t len;
        if (full_read(s, &len, 4) < 0) break;
        len = ntohl(len);
        if (len < 1 || len > MAX_FRAME || full_read(s, frame, len) < 0) break;
        int op = frame[0];
        if (op == OP_STATS) {
            uint64_t body[2] = {cpu_nanos(), __atomic_load_n(&served, __ATOMIC_RELAXED)};
            if (reply(s, OK, body, 2) < 0) break;
            continue;
        }
        if (op != OP_READ && op != OP_STAT) {
            if (reply(s, UNKNOWN_OP, NULL, 0) < 0) break;
            continue;
        }
        size_t at = 1;
        uint64_t off = 0, n = 0;
        if (op == OP_READ) {
            if (len < 1 + 16) { if (reply(s, BAD_REQUEST, NULL, 0) < 0) break; continue; }
            memcpy(&off, frame + 1, 8);
            memcpy(&n, frame + 9, 8);
            off = be64toh(off);
            n = be64toh(n);
            at = 17;
        }
        if (len < at + 2 || len != at + 2 + (frame[at] << 8 | frame[at + 1])) {
            if (reply(s, BAD_REQUEST, NULL, 0) < 0) break;
            continue;
        }
        int f = open_rooted(frame + at + 2, len - at - 2);
        if (f < 0) { if (reply(s, -f, NULL, 0) < 0) break; continue; }
        struct stat st;
        fstat(f, &st);
        uint64_t size = st.st_size;
        if (op == OP_STAT) {
            close(f);
            if (reply(s, OK, &size, 1) < 0) break;
            continue;
        }
        if (off > size || n > size - off) {
            close(f);
            if (reply(s, BAD_RANGE, NULL, 0) < 0) break;
            continue;
        }
        unsigned char hdr[9] = {OK};
        uint64_t be = htobe64(n);
        memcpy(hdr + 1, &be, 8);
        int bad = full_write(s, hdr, 9) < 0 || send_range(s, f, off, n, buf, pipefd) < 0;
        close(f);
        if (bad) break;
    }
out:
    free(buf);
    if (pipefd[0] >= 0) { close(pipefd[0]); close(pipefd[1]); }
    close(s);
    return NULL;
}

int main(int argc, char **argv) {
    const char *root = NULL, *m = "copy";
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--root")) root = argv[i + 1];
        else if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--mode")) m = argv[i + 1];
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (!strcmp(m, "copy")) mode = COPY;
    else if (!strcmp(m, "sendfile")) mode = SENDFILE;
    else if (!strcmp(m, "splice")) mode = SPLICE;
    else { fprintf(stderr, "--mode must be copy, sendfile or splice\n"); return 2; }
    if (!root) { fprintf(stderr, "usage: fileserve_ref --root DIR [--port N] [--mode copy|sendfile|splice]\n"); return 2; }
    if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) die(root);
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    if (listen(lfd, 128) < 0) die("listen");
    socklen_t sl = sizeof sa;
    getsockname(lfd, (struct sockaddr *)&sa, &sl);
    printf("fileserve_ref: mode %s, listening on 127.0.0.1:%d\n", m, ntohs(sa.sin_port));
    fflush(stdout);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (s < 0) { if (errno == EINTR || errno == ECONNABORTED) continue; die("accept"); }
        pthread_t t;
        if (pthread_create(&t, &attr, serve, (void *)(intptr_t)s) != 0) close(s);
    }
}
