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

static int connect_to(const char *host, int port, double deadline, int *fd, char *err, size_t cap)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        snprintf(err, cap, "bad IPv4 address '%s'", host);
        return -1;
    }
    *fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (*fd < 0) {
        snprintf(err, cap, "socket: %s", strerror(errno));
        return -1;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (connect(*fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS)
        soerr = errno;
    else if (wait_fd(*fd, POLLOUT, deadline) <= 0)
        soerr = ETIMEDOUT;
    else
        getsockopt(*fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (soerr) {
        snprintf(err, cap, "connect to %s:%d: %s", host, port, strerror(soerr));
        return -1;
    }
    return 0;
}

/* The request head, exactly as long as it needs to be (malloc'd; NULL when out of memory). */
static char *request_head(const char *host, int port, const char *method, const char *path,
                          const char *content_type, const char *body, size_t body_len, size_t *len)
{
    static const char FMT[] = "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n%s%s%s%s\r\n";
    char clen[64] = "";
    if (body)
        snprintf(clen, sizeof clen, "\r\nContent-Length: %zu", body_len);
    const char *ct = body ? "Content-Type: " : "", *ctv = body ? (content_type ? content_type : "application/octet-stream") : "";
    const char *end = body ? "\r\n" : "";
    int n = snprintf(NULL, 0, FMT, method, path, host, port, ct, ctv, clen, end);
    char *head = n < 0 ? NULL : malloc((size_t)n + 1);
    if (head)
        snprintf(head, (size_t)n + 1, FMT, method, path, host, port, ct, ctv, clen, end);
    *len = head ? (size_t)n : 0;
    return head;
}

static int send_all(int fd, const char *data, size_t len, double deadline, char *err, size_t cap)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
        } else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0) {
                snprintf(err, cap, "sending the request: timed out");
                return -1;
            }
        } else {
            snprintf(err, cap, "sending the request: %s", strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Everything the server sends until it closes, NUL-terminated in *buf (caller frees). */
static int recv_all(int fd, double deadline, double timeout_s, char **buf, size_t *len, char *err, size_t cap)
{
    size_t bcap = 0;
    *buf = NULL;
    *len = 0;
    for (;;) {
        if (*len + 65536 > bcap) {
            bcap = bcap ? bcap * 2 : 131072;
            char *g = realloc(*buf, bcap + 1);
            if (!g) {
                snprintf(err, cap, "out of memory");
                return -1;
            }
            *buf = g;
        }
        ssize_t r = recv(fd, *buf + *len, bcap - *len, 0);
        if (r > 0) {
            *len += (size_t)r;
            if (*len > MAX_RESPONSE) {
                snprintf(err, cap, "response larger than %u bytes", MAX_RESPONSE);
                return -1;
            }
        } else if (r == 0 || (errno == ECONNRESET && *len > 0)) {
            (*buf)[*len] = '\0';
            return 0;
        } else if (errno != EAGAIN && errno != EINTR) {
            snprintf(err, cap, "reading the response: %s", strerror(errno));
            return -1;
        } else if (wait_fd(fd, POLLIN, deadline) <= 0) {
            snprintf(err, cap, "reading the response: timed out after %.1f s", timeout_s);
            return -1;
        }
    }
}

static int parse_response(char *buf, size_t len, http_client_response *out, char *err, size_t cap)
{
    char *sep = strstr(buf, "\r\n\r\n");
    if (len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || !sep) {
        snprintf(err, cap, "malformed response (%zu bytes)", len);
        return -1;
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
            return -1;
        }
        blen = dec;
    } else if (header_value(buf, head_len, "Content-Length", cl, sizeof cl)) {
        size_t want = strtoul(cl, NULL, 10);
        if (want > blen) {
            snprintf(err, cap, "response body cut short (%zu of %zu bytes)", blen, want);
            return -1;
        }
        blen = want;
    }
    out->body = malloc(blen + 1);
    if (!out->body) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    memcpy(out->body, b, blen);
    out->body[blen] = '\0';
    out->body_len = blen;
    return 0;
}

int http_client_request(const char *host, int port, const char *method, const char *path,
                        const char *content_type, const char *body, size_t body_len, double timeout_s,
                        http_client_response *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    double deadline = now_s() + timeout_s;
    int fd = -1, rc = -1;
    size_t head_len = 0, len = 0;
    char *head = NULL, *buf = NULL;
    if (connect_to(host, port, deadline, &fd, err, cap))
        goto out;
    head = request_head(host, port, method, path, content_type, body, body_len, &head_len);
    if (!head) {
        snprintf(err, cap, "out of memory");
        goto out;
    }
    if (send_all(fd, head, head_len, deadline, err, cap) || (body && send_all(fd, body, body_len, deadline, err, cap)))
        goto out;
    if (recv_all(fd, deadline, timeout_s, &buf, &len, err, cap) == 0)
        rc = parse_response(buf, len, out, err, cap);
out:
    free(head);
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}

void http_client_free(http_client_response *r)
{
    free(r->body);
    r->body = NULL;
}
