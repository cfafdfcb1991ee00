#include "http/http_parse.h"

#include <string.h>

static const unsigned char TCHAR[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1, ['-'] = 1,
    ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool http_str_eq(http_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool http_str_ieq(http_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s.p[i]) != lower((unsigned char)lit[i]))
            return false;
    return true;
}

const http_str *http_head_get(const http_head *h, const char *name)
{
    for (size_t i = 0; i < h->nheaders; i++)
        if (http_str_ieq(h->headers[i].name, name))
            return &h->headers[i].value;
    return NULL;
}

#define FAIL(status, msg)                                                                          \
    do {                                                                                           \
        *why = msg;                                                                                \
        return -(status);                                                                          \
    } while (0)

/* End of line at or after p (pointing at '\n'), stripping one '\r' before it from the line. */
static const char *line_end(const char *p, const char *end, size_t *line_len)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        return NULL;
    *line_len = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
    return nl;
}

/* Does any comma-separated token of v equal tok (case-insensitively)? */
static bool has_token(http_str v, const char *tok)
{
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == ','))
            i++;
        size_t s = i;
        while (i < v.n && v.p[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (v.p[e - 1] == ' ' || v.p[e - 1] == '\t'))
            e--;
        if (e > s && http_str_ieq((http_str){v.p + s, e - s}, tok))
            return true;
    }
    return false;
}

static int parse_request_line(const char *p, size_t n, http_head *h, const char **why)
{
    size_t i = 0;
    while (i < n && TCHAR[(unsigned char)p[i]])
        i++;
    if (i == 0 || i >= n || p[i] != ' ')
        FAIL(400, "malformed request line");
    h->method = (http_str){p, i};
    size_t t = ++i;
    while (i < n && p[i] != ' ') {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f)
            FAIL(400, "invalid character in request target");
        i++;
    }
    if (i == t || i >= n)
        FAIL(400, "malformed request line");
    h->target = (http_str){p + t, i - t};
    i++;
    if (n - i != 8 || memcmp(p + i, "HTTP/", 5) != 0 || p[i + 6] != '.' || p[i + 5] < '0' || p[i + 5] > '9' ||
        p[i + 7] < '0' || p[i + 7] > '9')
        FAIL(400, "malformed HTTP version");
    if (p[i + 5] != '1')
        FAIL(505, "HTTP version not supported");
    h->minor_version = p[i + 7] - '0';
    const char *q = memchr(h->target.p, '?', h->target.n);
    if (q) {
        h->path = (http_str){h->target.p, (size_t)(q - h->target.p)};
        h->query = (http_str){q + 1, h->target.n - h->path.n - 1};
    } else {
        h->path = h->target;
        h->query = (http_str){h->target.p + h->target.n, 0};
    }
    return 0;
}

static int parse_content_length(http_str v, int64_t *out, const char **why)
{
    if (v.n == 0 || v.n > 18)
        FAIL(400, "invalid Content-Length");
    int64_t x = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            FAIL(400, "invalid Content-Length");
        x = x * 10 + (v.p[i] - '0');
    }
    if (*out >= 0 && *out != x)
        FAIL(400, "conflicting Content-Length headers");
    *out = x;
    return 0;
}

int http_parse_head(const char *buf, size_t len, size_t max_head, http_head *h, const char **why)
{
    const char *start = buf, *end = buf + len;
    /* RFC 9112 2.2: ignore empty lines before the request line */
    while (start < end && (*start == '\r' || *start == '\n')) {
        if (*start == '\r' && (start + 1 >= end || start[1] != '\n'))
            break;
        start++;
    }
    size_t n;
    const char *nl = line_end(start, end, &n);
    if (!nl || (size_t)(nl - buf) >= max_head) {
        if (len >= max_head)
            FAIL(414, "request line too long");
        return 0;
    }
    /* find the blank line that ends the head before parsing anything else */
    const char *p = nl + 1, *head_end = NULL;
    while (p < end) {
        if (*p == '\n') {
            head_end = p + 1;
            break;
        }
        if (*p == '\r' && p + 1 < end && p[1] == '\n') {
            head_end = p + 2;
            break;
        }
        const char *next = memchr(p, '\n', (size_t)(end - p));
        if (!next)
            break;
        p = next + 1;
    }
    if (!head_end || (size_t)(head_end - buf) > max_head) {
        if (len >= max_head || (head_end && (size_t)(head_end - buf) > max_head))
            FAIL(431, "request header fields too large");
        return 0;
    }

    memset(h, 0, sizeof *h);
    h->content_length = -1;
    int rc = parse_request_line(start, n, h, why);
    if (rc)
        return rc;
    bool have_host = false, conn_close = false, conn_keep = false, have_te = false;
    p = nl + 1;
    while (p < head_end) {
        const char *e = line_end(p, head_end, &n);
        if (n == 0)
            break;
        if (*p == ' ' || *p == '\t')
            FAIL(400, "obsolete header line folding");
        size_t i = 0;
        while (i < n && TCHAR[(unsigned char)p[i]])
            i++;
        if (i == 0 || i >= n || p[i] != ':')
            FAIL(400, "malformed header field");
        http_str name = {p, i};
        i++;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        size_t vs = i, ve = n;
        while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
            ve--;
        for (size_t k = vs; k < ve; k++) {
            unsigned char c = (unsigned char)p[k];
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                FAIL(400, "invalid character in header value");
        }
        http_str value = {p + vs, ve - vs};
        if (h->nheaders == HTTP_MAX_HEADERS)
            FAIL(431, "too many header fields");
        h->headers[h->nheaders++] = (http_header){name, value};
        if (http_str_ieq(name, "content-length")) {
            if ((rc = parse_content_length(value, &h->content_length, why)))
                return rc;
        } else if (http_str_ieq(name, "transfer-encoding")) {
            if (have_te || !http_str_ieq(value, "chunked"))
                FAIL(501, "unsupported Transfer-Encoding");
            have_te = true;
        } else if (http_str_ieq(name, "host")) {
            if (have_host)
                FAIL(400, "more than one Host header");
            have_host = true;
        } else if (http_str_ieq(name, "connection")) {
            conn_close |= has_token(value, "close");
            conn_keep |= has_token(value, "keep-alive");
        } else if (http_str_ieq(name, "expect")) {
            if (!http_str_ieq(value, "100-continue"))
                FAIL(417, "unsupported expectation");
            h->expect_continue = true;
        }
        p = e + 1;
    }
    if (have_te && h->content_length >= 0)
        FAIL(400, "both Content-Length and Transfer-Encoding");
    if (h->minor_version >= 1 && !have_host)
        FAIL(400, "missing Host header");
    h->chunked = have_te;
    h->keep_alive = h->minor_version >= 1 ? !conn_close : conn_keep && !conn_close;
    h->head_len = (size_t)(head_end - buf);
    return 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int http_parse_chunked(const char *buf, size_t len, char *out, size_t max_body, size_t *consumed,
                       size_t *out_len, const char **why)
{
    size_t i = 0, o = 0;
    for (;;) {
        size_t s = i;
        uint64_t size = 0;
        while (i < len && hexval((unsigned char)buf[i]) >= 0) {
            if (i - s >= 15)
                FAIL(413, "chunk too large");
            size = size * 16 + (uint64_t)hexval((unsigned char)buf[i]);
            i++;
        }
        if (i == len)
            return 0;
        if (i == s)
            FAIL(400, "malformed chunk size");
        /* chunk extensions are allowed and ignored; they end at the line end */
        while (i < len && buf[i] != '\n') {
            unsigned char c = (unsigned char)buf[i];
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
                FAIL(400, "malformed chunk line");
            i++;
        }
        if (i == len)
            return 0;
        i++;
        if (size == 0)
            break;
        if (size > max_body - o)
            FAIL(413, "request body too large");
        if (len - i < size + 1)
            return 0;
        memmove(out + o, buf + i, (size_t)size);
        o += (size_t)size;
        i += (size_t)size;
        if (buf[i] == '\r') {
            if (i + 1 >= len)
                return 0;
            i++;
        }
        if (buf[i] != '\n')
            FAIL(400, "chunk not followed by CRLF");
        i++;
    }
    /* trailer section: header-like lines up to an empty line */
    for (;;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl)
            return 0;
        size_t n = (size_t)(nl - (buf + i));
        bool empty = n == 0 || (n == 1 && buf[i] == '\r');
        i += n + 1;
        if (empty)
            break;
    }
    *consumed = i;
    *out_len = o;
    return 1;
}
