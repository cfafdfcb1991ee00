/* HTTP/1.1 request parsing (RFC 9112), resumable and zero-copy.
 *
 * Every http_str points into the caller's buffer, which must outlive the parsed head (the one
 * exception: the path of an absolute-form target with no path is the static "/"). No allocation.
 *
 * Resumable: a request may arrive in any number of pieces. The caller keeps a small state struct
 * per request (http_head_state, http_chunked, or both in http_reader), zeroes it before the
 * request's first byte, and calls again with the same start and more bytes after a 0 ("need
 * more"). No call rescans what an earlier one already read, and every split of the input gives
 * the same result as one call with all of it. Offsets in the states are relative to the request's
 * first byte, so the caller may move or grow its buffer between calls. */
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
/* Most bytes of chunk-size lines plus trailers in a row, without chunk data between them. */
#define HTTP_CHUNK_META_MAX 8192

typedef struct {
    http_str method, target, path, query;
    http_str host;            /* absolute-form authority, else the Host value (may be empty) */
    int minor_version;        /* HTTP/1.<minor_version> */
    http_header headers[HTTP_MAX_HEADERS];
    size_t nheaders;
    bool keep_alive;          /* after this request, per version, Connection and framing */
    bool chunked;             /* Transfer-Encoding: chunked */
    bool expect_continue;     /* HTTP/1.1 and Expect: 100-continue (ignored in HTTP/1.0) */
    int64_t content_length;   /* -1 when absent */
    size_t head_len;          /* bytes of request line + headers + blank line */
} http_head;

/* Where the search for the end of a head stopped. Zero before a request's first byte. */
typedef struct {
    size_t start;             /* the request line's first byte (after leading empty lines) */
    size_t line;              /* the first byte of the line being searched */
    size_t scanned;           /* bytes searched so far */
    size_t line_end;          /* the request line's LF, valid once have_line */
    size_t end;               /* head_len once the blank line is found, else 0 */
    bool have_line;
} http_head_state;

/* Parses a request head from buf[0..len), continuing the search where st says the last call on
 * the same request stopped. Returns
 *    1: complete (out->head_len bytes belong to the head),
 *    0: incomplete, call again with more (once len reaches max_head: -414 or -431 instead),
 *   -STATUS: malformed, with the status to answer (400, 414, 417, 431, 501, 505) and *why set. */
int http_parse_head_r(const char *buf, size_t len, size_t max_head, http_head_state *st, http_head *out,
                      const char **why);
/* The same in one call (a fresh state). */
int http_parse_head(const char *buf, size_t len, size_t max_head, http_head *out, const char **why);

/* A chunked body being decoded (RFC 9112 7.1): strict chunk-size lines (hex digits, extensions as
 * token or quoted-string, CRLF), strict trailer fields (read and dropped). Zero before the body's
 * first byte. */
typedef struct {
    uint64_t size;            /* the chunk-size being read, then the chunk's data bytes left */
    size_t in;                /* input bytes consumed */
    size_t out;               /* decoded bytes, at out[0..out) */
    size_t meta;              /* framing bytes since the last chunk data */
    int state;
} http_chunked;

/* Decodes in[ck->in..len) into out + ck->out. out may be in itself: output never runs ahead of
 * input, and only bytes already consumed (in[0..ck->in)) are ever written, so the rest of in is
 * read unchanged by the next call. Returns 1 when the last chunk and the trailers are in (ck->in:
 * bytes of the body, ck->out: its decoded length), 0 when more input is needed, -400 when
 * malformed, -413 when the decoded body would exceed max_body. */
int http_chunked_decode(http_chunked *ck, const char *in, size_t len, char *out, size_t max_body,
                        const char **why);
/* The same in one call: a whole chunked body from buf[0..len). On 0 the bytes of buf already
 * decoded into out may have been written; to continue, use http_chunked_decode. */
int http_parse_chunked(const char *buf, size_t len, char *out, size_t max_body, size_t *consumed,
                       size_t *out_len, const char **why);

/* One whole request (head, then a Content-Length or chunked body) read in any number of pieces:
 * buf[0..len) holds the request's bytes from its first one; the chunked body is decoded in place
 * there. Zero before each request. */
typedef struct {
    http_head_state hs;
    http_chunked ck;
    size_t head_len;          /* 0 until the head is whole */
    int64_t content_length;
    bool chunked;
    bool expect_continue;     /* the head is whole and the client waits for 100 Continue */
} http_reader;

typedef struct {
    const char *body;         /* inside buf */
    size_t body_len;
    size_t used;              /* bytes of buf that belong to this request */
} http_body;

/* Returns 1 with *head and *body set, 0 when more input is needed, -STATUS with *why. */
int http_read_request(http_reader *r, char *buf, size_t len, size_t max_head, size_t max_body, http_head *head,
                      http_body *body, const char **why);

/* Case-insensitive header lookup; NULL when absent. */
const http_str *http_head_get(const http_head *h, const char *name);
bool http_str_eq(http_str s, const char *lit);     /* exact */
bool http_str_ieq(http_str s, const char *lit);    /* ASCII case-insensitive */

#endif
