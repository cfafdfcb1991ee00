/* The least a server can do per plaintext request on this kernel: one epoll loop, one recv and one
 * send per request, no parsing beyond finding each head's blank line, a fixed response of the same
 * size as ladder's /plaintext. Its server CPU per request is the kernel's floor that ladder and
 * nginx both stand on (docs/METHODOLOGY.md, "HTTP: the kernel's share of a request").
 *
 *   cc -std=c17 -O2 -Wall -Wextra -o /tmp/http_floor docs/explain/http_floor.c
 *   taskset -c 0 /tmp/http_floor 8090 &
 *   taskset -c 1 wrk -t1 -c128 -d8s http://127.0.0.1:8090/plaintext
 *
 * Not a server: a response that does not fit the socket buffer is cut short, and anything that is
 * not a complete head ending in a blank line is never answered. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FD 65536

static char response[256];
static size_t response_len;
static time_t response_time;

static void make_response(void) {
    time_t t = time(NULL);
    if (t == response_time)
        return;
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[64];
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    response_len = (size_t)snprintf(response, sizeof response,
                                    "HTTP/1.1 200 OK\r\nServer: ladder\r\nDate: %s\r\nContent-Type: text/plain\r\n"
                                    "Content-Length: 13\r\n\r\nHello, World!", date);
    response_time = t;
}

int main(int argc, char **argv) {
    char *end = NULL;
    long port = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "usage: http_floor PORT\n");
        return 2;
    }
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4096) != 0) {
        perror("http_floor: listen");
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, events[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    static unsigned tail[MAX_FD];  /* the last bytes of each connection's input, to find "\r\n\r\n" */
    static char in[16384], out[65536];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        make_response();
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == lfd) {
                int c;
                while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (c >= MAX_FD) {
                        close(c);
                        continue;
                    }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    tail[c] = 0;
                    struct epoll_event e = {.events = EPOLLIN, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
                }
                continue;
            }
            ssize_t k = recv(fd, in, sizeof in, 0);
            if (k <= 0) {
                close(fd);
                continue;
            }
            size_t len = 0;
            unsigned t = tail[fd];
            for (ssize_t j = 0; j < k; j++) {
                t = t << 8 | (unsigned char)in[j];
                if (t == 0x0d0a0d0au && len + response_len <= sizeof out) {
                    memcpy(out + len, response, response_len);
                    len += response_len;
                }
            }
            tail[fd] = t;
            if (len && send(fd, out, len, MSG_NOSIGNAL) < 0)
                close(fd);
        }
    }
}
