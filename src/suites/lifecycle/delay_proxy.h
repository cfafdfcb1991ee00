/* A TCP latency proxy: every byte read from one side is written to the other side RTT/2 later,
 * in both directions, so a request/response exchange through it takes one extra RTT. A FIN is
 * delayed the same way; a reset closes both sides at once. Bandwidth and TCP slow start are not
 * modelled: only the delay.
 *
 * It runs on its own thread (one epoll loop, a timerfd for due deliveries) from proxy_start to
 * proxy_stop. proxy_stop joins the thread, closes every socket and frees the proxy. */
#ifndef LADDER_DELAY_PROXY_H
#define LADDER_DELAY_PROXY_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *listen_host;    /* IPv4 literal; NULL: 127.0.0.1 */
    int listen_port;            /* 0: pick a free one (see proxy_port) */
    const char *upstream_host;  /* IPv4 literal; NULL: 127.0.0.1 */
    int upstream_port;
    double rtt_ms;              /* each direction waits rtt_ms / 2 */
} proxy_config;

typedef struct {
    int64_t connections;
    int64_t bytes_up, bytes_down;  /* client -> upstream, upstream -> client */
} proxy_counters;

typedef struct proxy proxy;

int proxy_start(const proxy_config *cfg, proxy **out, char *err, size_t cap);
int proxy_port(const proxy *p);
/* A consistent snapshot (taken under the proxy's lock). */
proxy_counters proxy_counts(proxy *p);
void proxy_stop(proxy *p);

#endif
