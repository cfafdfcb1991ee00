/* HTTP/1.1 request parsing (RFC 9112), zero-copy: every http_str points into the caller's buffer,
 * which must outlive the parsed head. No allocation. */
#ifndef LADDER_HTTP_PARSE_H
#define LADDER_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *p;
    size_t n;
} http_str;

typedef struct {
    http_str name, value;
} http_header;

#define HTTP_MAX_HEADERS 64

typedef struct {
    http_str method, target, path, query;
    int minor_version;        /* HTTP/1.<minor_version> */
    http_header headers[HTTP_MAX_HEADERS];
    size_t nheaders;
    bool keep_alive;          /* after this request, per version and Connection */
    bool chunked;             /* Transfer-Encoding: chunked */
    bool expect_continue;
    int64_t content_length;   /* -1 when absent */
    size_t head_len;          /* bytes of request line + headers + blank line */
} http_head;

/* Parses a request head from buf[0..len).
 * Returns  1: complete (out->head_len bytes belong to the head),
 *          0: incomplete, read more (if len already reached max_head: -431 instead),
 *   -STATUS: malformed, with the status to answer (400, 414, 431, 501, 505) and *why set. */
int http_parse_head(const char *buf, size_t len, size_t max_head, http_head *out, const char **why);

/* Decodes a complete chunked body from buf[0..len) into out (which may be buf itself: output
 * never runs ahead of input). Returns 1 with *consumed (bytes of buf, trailers included) and
 * *out_len when the last chunk and trailers are in; 0 when more input is needed; -400 when
 * malformed; -413 when the decoded body would exceed max_body. */
int http_parse_chunked(const char *buf, size_t len, char *out, size_t max_body, size_t *consumed,
                       size_t *out_len, const char **why);

/* Case-insensitive header lookup; NULL when absent. */
const http_str *http_head_get(const http_head *h, const char *name);
bool http_str_eq(http_str s, const char *lit);     /* exact */
bool http_str_ieq(http_str s, const char *lit);    /* ASCII case-insensitive */

#endif
