/* A small blocking HTTP/1.1 client for checks (not for load): one request per connection to an
 * IPv4 address. The response owns its body; free it with http_client_free(). */
#ifndef LADDER_HTTP_CLIENT_H
#define LADDER_HTTP_CLIENT_H

#include <stddef.h>

typedef struct {
    int status;
    char content_type[128];
    char server_timing[1024];
    char *body;       /* NUL-terminated, body_len bytes (chunked bodies are decoded) */
    size_t body_len;
} http_client_response;

/* body may be NULL for no body. Returns 0, or -1 with a sentence in err (connection refused,
 * timeout, malformed response). */
int http_client_request(const char *host, int port, const char *method, const char *path,
                        const char *content_type, const char *body, size_t body_len, double timeout_s,
                        http_client_response *out, char *err, size_t cap);
void http_client_free(http_client_response *r);

#endif
