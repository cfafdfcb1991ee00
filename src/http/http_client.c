#include "http/http_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http_parse.h"

#define MAX_RESPONSE (64u << 20)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        return n;
    }
}

static bool header_value(const char *head, size_t head_len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    const char *p = memchr(head, '\n', head_len);
    while (p && (size_t)(p - head) < head_len) {
        p++;
        const char *e = memchr(p, '\n', head_len - (size_t)(p - head));
        if (!e)
            break;
        if ((size_t)(e - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = e;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            size_t n = (size_t)(ve - v) < cap - 1 ? (size_t)(ve - v) : cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
        p = e;
    }
    out[0] = '\0';
    return false;
}

int http_client_request(const char *host, int port, const char *method, const char *path,
                        const char *content_type, const char *body, size_t body_len, double timeout_s,
                        http_client_response *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    double deadline = now_s() + timeout_s;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        snprintf(err, cap, "bad IPv4 address '%s'", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, cap, "socket: %s", strerror(errno));
        return -1;
    }
    char *buf = NULL;
    int rc = -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        snprintf(err, cap, "connect to %s:%d: %s", host, port, strerror(errno));
        goto out;
    }
    if (wait_fd(fd, POLLOUT, deadline) <= 0) {
        snprintf(err, cap, "connect to %s:%d: timed out", host, port);
        goto out;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (soerr) {
        snprintf(err, cap, "connect to %s:%d: %s", host, port, strerror(soerr));
        goto out;
    }
    char head[2048];
    int hn = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n", method, path,
                      host, port);
    if (body)
        hn += snprintf(head + hn, sizeof head - (size_t)hn, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                       content_type ? content_type : "application/octet-stream", body_len);
    hn += snprintf(head + hn, sizeof head - (size_t)hn, "\r\n");
    const char *parts[2] = {head, body};
    size_t lens[2] = {(size_t)hn, body ? body_len : 0};
    for (int i = 0; i < 2; i++) {
        size_t off = 0;
        while (off < lens[i]) {
            ssize_t w = send(fd, parts[i] + off, lens[i] - off, MSG_NOSIGNAL);
            if (w > 0) {
                off += (size_t)w;
            } else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (wait_fd(fd, POLLOUT, deadline) <= 0) {
                    snprintf(err, cap, "sending the request: timed out");
                    goto out;
                }
            } else {
                snprintf(err, cap, "sending the request: %s", strerror(errno));
                goto out;
            }
        }
    }
    size_t len = 0, bcap = 0;
    for (;;) {
        if (len + 65536 > bcap) {
            bcap = bcap ? bcap * 2 : 131072;
            char *g = realloc(buf, bcap + 1);
            if (!g) {
                snprintf(err, cap, "out of memory");
                goto out;
            }
            buf = g;
        }
        ssize_t r = recv(fd, buf + len, bcap - len, 0);
        if (r > 0) {
            len += (size_t)r;
            if (len > MAX_RESPONSE) {
                snprintf(err, cap, "response larger than %u bytes", MAX_RESPONSE);
                goto out;
            }
            continue;
        }
        if (r == 0)
            break;
        if (errno == EAGAIN || errno == EINTR) {
            if (wait_fd(fd, POLLIN, deadline) <= 0) {
                snprintf(err, cap, "reading the response: timed out after %.1f s", timeout_s);
                goto out;
            }
            continue;
        }
        if (errno == ECONNRESET && len > 0)
            break;
        snprintf(err, cap, "reading the response: %s", strerror(errno));
        goto out;
    }
    if (!buf) {
        snprintf(err, cap, "empty response");
        goto out;
    }
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || !sep) {
        snprintf(err, cap, "malformed response (%zu bytes)", len);
        goto out;
    }
    out->status = atoi(buf + 9);
    size_t head_len = (size_t)(sep - buf) + 4;
    header_value(buf, head_len, "Content-Type", out->content_type, sizeof out->content_type);
    header_value(buf, head_len, "Server-Timing", out->server_timing, sizeof out->server_timing);
    char te[64], cl[32];
    char *b = buf + head_len;
    size_t blen = len - head_len;
    if (header_value(buf, head_len, "Transfer-Encoding", te, sizeof te) && strcasecmp(te, "chunked") == 0) {
        size_t consumed, dec;
        const char *why;
        if (http_parse_chunked(b, blen, b, MAX_RESPONSE, &consumed, &dec, &why) != 1) {
            snprintf(err, cap, "malformed chunked response body");
            goto out;
        }
        blen = dec;
    } else if (header_value(buf, head_len, "Content-Length", cl, sizeof cl)) {
        size_t want = strtoul(cl, NULL, 10);
        if (want > blen) {
            snprintf(err, cap, "response body cut short (%zu of %zu bytes)", blen, want);
            goto out;
        }
        blen = want;
    }
    out->body = malloc(blen + 1);
    if (!out->body) {
        snprintf(err, cap, "out of memory");
        goto out;
    }
    memcpy(out->body, b, blen);
    out->body[blen] = '\0';
    out->body_len = blen;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

void http_client_free(http_client_response *r)
{
    free(r->body);
    r->body = NULL;
}
