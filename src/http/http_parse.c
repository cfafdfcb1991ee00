#include "http/http_parse.h"

#include <stddef.h>
#include <string.h>

/* Byte classes: token characters (RFC 9110 5.6.2) and the bytes of a reg-name or IPv4 host
 * (RFC 3986 3.2.2: unreserved and sub-delims, '%' apart). Letters and digits are both. */
enum { C_TCHAR = 1, C_HOST = 2, C_BOTH = 3 };
static const unsigned char CLASS[256] = {
    ['!'] = C_BOTH, ['#'] = C_TCHAR, ['$'] = C_BOTH, ['%'] = C_TCHAR, ['&'] = C_BOTH, ['\''] = C_BOTH,
    ['*'] = C_BOTH, ['+'] = C_BOTH, ['-'] = C_BOTH, ['.'] = C_BOTH, ['^'] = C_TCHAR, ['_'] = C_BOTH,
    ['`'] = C_TCHAR, ['|'] = C_TCHAR, ['~'] = C_BOTH, ['('] = C_HOST, [')'] = C_HOST, [','] = C_HOST,
    [';'] = C_HOST, ['='] = C_HOST,
    ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3, ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3,
    ['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3, ['H'] = 3, ['I'] = 3, ['J'] = 3,
    ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3, ['S'] = 3, ['T'] = 3,
    ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3, ['Y'] = 3, ['Z'] = 3,
    ['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3, ['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3,
    ['k'] = 3, ['l'] = 3, ['m'] = 3, ['n'] = 3, ['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3, ['s'] = 3, ['t'] = 3,
    ['u'] = 3, ['v'] = 3, ['w'] = 3, ['x'] = 3, ['y'] = 3, ['z'] = 3,
};
#define TCHAR(c) (CLASS[(unsigned char)(c)] & C_TCHAR)
#define HOSTCHAR(c) (CLASS[(unsigned char)(c)] & C_HOST)

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

/* Byte classes eight at a time (SWAR): the common case of a clean span costs a load and a few
 * operations per word; a word that may hold an odd byte is checked a byte at a time. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* Might some byte of x be below k (k <= 128)? Never false when one is. */
static bool some_below(uint64_t x, unsigned k)
{
    return ((x - ONES * k) & ~x & HIGHS) != 0;
}

/* request-target bytes: VCHAR only (0x21-0x7e) */
static bool target_ok(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = load8(p + i);
        if (some_below(x, 0x21) || (((x + ONES) | x) & HIGHS))
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
            return false;
    return true;
}

/* field-value bytes (RFC 9110 5.5): HTAB, SP, VCHAR, obs-text; no other control byte, no DEL */
static bool value_ok(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = load8(p + i);
        if (some_below(x, 0x20) || some_below(x ^ (ONES * 0x7f), 1))
            break;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

/* Length of the line p[0..nl) without one '\r' before its LF. */
static size_t line_len(const char *p, const char *nl)
{
    return (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
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

static bool is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* uri-host [":" port] (RFC 9110 7.2, RFC 3986 3.2.2): reg-name or IPv4 of unreserved, sub-delims
 * and %XX; or an IP-literal in brackets. No userinfo, no path, no spaces. */
static bool valid_host(http_str h)
{
    const char *p = h.p, *end = h.p + h.n;
    if (p < end && *p == '[') {
        for (p++; p < end && *p != ']'; p++)
            if (!is_hex((unsigned char)*p) && *p != ':' && *p != '.' && *p != 'v' && *p != 'V')
                return false;
        if (p == end || p == h.p + 1)
            return false;
        p++;
    } else {
        for (; p < end && HOSTCHAR(*p); p++)
            ;
        while (p < end && *p == '%') {
            if (end - p < 3 || !is_hex((unsigned char)p[1]) || !is_hex((unsigned char)p[2]))
                return false;
            for (p += 3; p < end && HOSTCHAR(*p); p++)
                ;
        }
    }
    if (p < end && *p++ != ':')
        return false;
    for (; p < end; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* Splits an origin-form path[?query] at its '?'. */
static void split_query(http_head *h, http_str t)
{
    const char *q = memchr(t.p, '?', t.n);
    if (q) {
        h->path = (http_str){t.p, (size_t)(q - t.p)};
        h->query = (http_str){q + 1, t.n - h->path.n - 1};
    } else {
        h->path = t;
        h->query = (http_str){t.p + t.n, 0};
    }
}

/* RFC 9112 3.2: origin-form; absolute-form (http/https, whose authority replaces Host); "*" for
 * OPTIONS; authority-form for CONNECT. */
static int parse_target(http_head *h, const char **why)
{
    http_str t = h->target;
    if (t.p[0] == '/') {
        split_query(h, t);
        return 0;
    }
    if (t.n == 1 && t.p[0] == '*' && http_str_eq(h->method, "OPTIONS")) {
        h->path = t;
        h->query = (http_str){t.p + 1, 0};
        return 0;
    }
    if (http_str_eq(h->method, "CONNECT")) {
        if (!valid_host(t) || !memchr(t.p, ':', t.n))
            FAIL(400, "invalid request target");
        h->host = h->path = t;
        h->query = (http_str){t.p + t.n, 0};
        return 0;
    }
    size_t s = t.n > 7 && http_str_ieq((http_str){t.p, 7}, "http://")    ? 7
               : t.n > 8 && http_str_ieq((http_str){t.p, 8}, "https://") ? 8
                                                                        : 0;
    if (!s)
        FAIL(400, "invalid request target");
    size_t e = s;
    while (e < t.n && t.p[e] != '/' && t.p[e] != '?')
        e++;
    http_str auth = {t.p + s, e - s};
    if (auth.n == 0 || !valid_host(auth) || auth.p[0] == ':')
        FAIL(400, "invalid authority in request target");
    h->host = auth;
    split_query(h, (http_str){t.p + e, t.n - e});
    if (h->path.n == 0)
        h->path = (http_str){"/", 1};
    return 0;
}

static int parse_request_line(const char *p, size_t n, http_head *h, const char **why)
{
    size_t i = 0;
    while (i < n && TCHAR(p[i]))
        i++;
    if (i == 0 || i >= n || p[i] != ' ')
        FAIL(400, "malformed request line");
    h->method = (http_str){p, i};
    size_t t = ++i;
    const char *sp = memchr(p + t, ' ', n - t);
    i = sp ? (size_t)(sp - p) : n;
    if (!target_ok(p + t, i - t))
        FAIL(400, "invalid character in request target");
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
    return parse_target(h, why);
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

/* Searches buf[st->scanned..) for the blank line that ends the head, no further than max_head.
 * Returns true once found (st->end set). */
static bool head_scan(const char *buf, size_t len, size_t max_head, http_head_state *st)
{
    size_t lim = len < max_head ? len : max_head;
    while (st->scanned < lim) {
        const char *nl = memchr(buf + st->scanned, '\n', lim - st->scanned);
        if (!nl) {
            st->scanned = lim;
            return false;
        }
        size_t at = (size_t)(nl - buf);
        bool empty = at == st->line || (at == st->line + 1 && buf[st->line] == '\r');
        st->scanned = at + 1;
        if (!st->have_line) {
            /* RFC 9112 2.2: empty lines before the request line are ignored */
            if (!empty) {
                st->have_line = true;
                st->line_end = at;
            } else {
                st->start = at + 1;
            }
        } else if (empty) {
            st->end = at + 1;
            return true;
        }
        st->line = at + 1;
    }
    return false;
}

typedef struct {
    bool host, close, keep, te;
} head_flags;

/* The fields the server acts on, told apart by length first: most names are none of them. */
static int apply_field(http_head *h, http_str name, http_str value, head_flags *f, const char **why)
{
    switch (name.n) {
    case 4:
        if (!http_str_ieq(name, "host"))
            return 0;
        if (f->host)
            FAIL(400, "more than one Host header");
        if (!valid_host(value))
            FAIL(400, "invalid Host header");
        f->host = true;
        if (!h->host.p)
            h->host = value;
        return 0;
    case 6:
        /* RFC 9110 10.1.1: an HTTP/1.0 server ignores Expect */
        if (!http_str_ieq(name, "expect") || h->minor_version == 0)
            return 0;
        if (!http_str_ieq(value, "100-continue"))
            FAIL(417, "unsupported expectation");
        h->expect_continue = true;
        return 0;
    case 10:
        if (http_str_ieq(name, "connection")) {
            f->close |= has_token(value, "close");
            f->keep |= has_token(value, "keep-alive");
        }
        return 0;
    case 14:
        return http_str_ieq(name, "content-length") ? parse_content_length(value, &h->content_length, why) : 0;
    case 17:
        if (!http_str_ieq(name, "transfer-encoding"))
            return 0;
        if (f->te || !http_str_ieq(value, "chunked"))
            FAIL(501, "unsupported Transfer-Encoding");
        f->te = true;
        return 0;
    }
    return 0;
}

static int parse_field(http_head *h, const char *p, size_t n, head_flags *f, const char **why)
{
    if (*p == ' ' || *p == '\t')
        FAIL(400, "obsolete header line folding");
    size_t i = 0;
    while (i < n && TCHAR(p[i]))
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
    if (!value_ok(p + vs, ve - vs))
        FAIL(400, "invalid character in header value");
    http_str value = {p + vs, ve - vs};
    if (h->nheaders == HTTP_MAX_HEADERS)
        FAIL(431, "too many header fields");
    h->headers[h->nheaders++] = (http_header){name, value};
    return apply_field(h, name, value, f, why);
}

/* Parses the fields of a head whose end the scan has found. */
static int parse_fields(const char *buf, const http_head_state *st, http_head *h, const char **why)
{
    memset(h, 0, offsetof(http_head, headers));
    h->nheaders = 0;
    h->expect_continue = false;
    h->content_length = -1;
    const char *line = buf + st->start, *nl = buf + st->line_end;
    int rc = parse_request_line(line, line_len(line, nl), h, why);
    if (rc)
        return rc;
    head_flags f = {0};
    const char *end = buf + st->end;
    for (const char *p = nl + 1; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = line_len(p, nl);
        if (n == 0)
            break;
        if ((rc = parse_field(h, p, n, &f, why)))
            return rc;
    }
    if (f.te && h->content_length >= 0)
        FAIL(400, "both Content-Length and Transfer-Encoding");
    if (h->minor_version >= 1 && !f.host)
        FAIL(400, "missing Host header");
    if (!h->host.p)
        h->host = (http_str){buf + st->start, 0};
    h->chunked = f.te;
    /* RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding closes the connection */
    h->keep_alive = h->minor_version >= 1 ? !f.close : f.keep && !f.close && !f.te;
    h->head_len = st->end;
    return 1;
}

int http_parse_head_r(const char *buf, size_t len, size_t max_head, http_head_state *st, http_head *h,
                      const char **why)
{
    if (!st->end && !head_scan(buf, len, max_head, st)) {
        if (len < max_head)
            return 0;
        if (!st->have_line)
            FAIL(414, "request line too long");
        FAIL(431, "request header fields too large");
    }
    return parse_fields(buf, st, h, why);
}

int http_parse_head(const char *buf, size_t len, size_t max_head, http_head *out, const char **why)
{
    http_head_state st = {0};
    return http_parse_head_r(buf, len, max_head, &st, out, why);
}

/* ---- chunked bodies ---------------------------------------------------------------------- */

enum {
    CK_SIZE0,      /* a chunk-size's first digit */
    CK_SIZE,       /* more digits, BWS, ';' or CR */
    CK_BWS,        /* BWS before ';' */
    CK_NAME0,      /* after ';': BWS or an ext-name */
    CK_NAME,       /* in an ext-name */
    CK_NAME_BWS,   /* BWS after an ext-name: '=' or ';' next */
    CK_VAL0,       /* after '=': BWS, a token or a quoted-string */
    CK_TOKEN,      /* in a token value */
    CK_QUOTED,     /* in a quoted-string */
    CK_QPAIR,      /* after '\' in a quoted-string */
    CK_VAL_END,    /* after a value: BWS, ';' or CR */
    CK_SIZE_LF,    /* the LF of the chunk-size line */
    CK_DATA,
    CK_DATA_CR,
    CK_DATA_LF,
    CK_FIELD0,     /* a trailer line's first byte, or the CR of the final CRLF */
    CK_FIELD_NAME,
    CK_FIELD_VALUE,
    CK_FIELD_LF,
    CK_END_LF,
    CK_DONE,
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_ws(int c)
{
    return c == ' ' || c == '\t';
}

/* qdtext and the byte after a backslash (RFC 9110 5.6.4), both with obs-text */
static bool is_qdtext(int c)
{
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

static bool is_field_vchar(int c)
{
    return c == '\t' || c == ' ' || (c > 0x20 && c != 0x7f);
}

/* One framing byte c: the next state, or -1 (then *why says why). */
static int ck_step(http_chunked *ck, int c, size_t room, int *status, const char **why)
{
    switch (ck->state) {
    case CK_SIZE0:
    case CK_SIZE: {
        int d = hexval(c);
        if (d >= 0) {
            if ((uint64_t)d > room || ck->size > (room - (uint64_t)d) / 16) {
                *status = 413;
                *why = "request body too large";
                return -1;
            }
            ck->size = ck->size * 16 + (uint64_t)d;
            return CK_SIZE;
        }
        if (ck->state == CK_SIZE0)
            break;
        return c == '\r' ? CK_SIZE_LF : c == ';' ? CK_NAME0 : is_ws(c) ? CK_BWS : -1;
    }
    case CK_BWS:
        return is_ws(c) ? CK_BWS : c == ';' ? CK_NAME0 : -1;
    case CK_NAME0:
        return is_ws(c) ? CK_NAME0 : TCHAR(c) ? CK_NAME : -1;
    case CK_NAME:
        return TCHAR(c) ? CK_NAME : c == '=' ? CK_VAL0 : c == ';' ? CK_NAME0 : is_ws(c) ? CK_NAME_BWS : c == '\r' ? CK_SIZE_LF : -1;
    case CK_NAME_BWS:
        return is_ws(c) ? CK_NAME_BWS : c == '=' ? CK_VAL0 : c == ';' ? CK_NAME0 : -1;
    case CK_VAL0:
        return is_ws(c) ? CK_VAL0 : c == '"' ? CK_QUOTED : TCHAR(c) ? CK_TOKEN : -1;
    case CK_TOKEN:
        return TCHAR(c) ? CK_TOKEN : c == ';' ? CK_NAME0 : is_ws(c) ? CK_BWS : c == '\r' ? CK_SIZE_LF : -1;
    case CK_QUOTED:
        return c == '"' ? CK_VAL_END : c == '\\' ? CK_QPAIR : is_qdtext(c) ? CK_QUOTED : -1;
    case CK_QPAIR:
        return is_qdtext(c) || c == '"' || c == '\\' ? CK_QUOTED : -1;
    case CK_VAL_END:
        return c == ';' ? CK_NAME0 : is_ws(c) ? CK_BWS : c == '\r' ? CK_SIZE_LF : -1;
    case CK_SIZE_LF:
        if (c != '\n') {
            *why = "chunk-size line not ended by CRLF";
            return -1;
        }
        return ck->size ? CK_DATA : CK_FIELD0;
    case CK_DATA_CR:
    case CK_DATA_LF:
        if (c != (ck->state == CK_DATA_CR ? '\r' : '\n')) {
            *why = "chunk data not followed by CRLF";
            return -1;
        }
        return ck->state == CK_DATA_CR ? CK_DATA_LF : CK_SIZE0;
    case CK_FIELD0:
        if (c == '\r')
            return CK_END_LF;
        if (is_ws(c))
            *why = "obsolete line folding in trailer";
        return TCHAR(c) ? CK_FIELD_NAME : -1;
    case CK_FIELD_NAME:
        return TCHAR(c) ? CK_FIELD_NAME : c == ':' ? CK_FIELD_VALUE : -1;
    case CK_FIELD_VALUE:
        return c == '\r' ? CK_FIELD_LF : is_field_vchar(c) ? CK_FIELD_VALUE : -1;
    case CK_FIELD_LF:
        return c == '\n' ? CK_FIELD0 : -1;
    case CK_END_LF:
        return c == '\n' ? CK_DONE : -1;
    }
    return -1;
}

static const char *ck_error(int state)
{
    if (state <= CK_SIZE)
        return "malformed chunk size";
    if (state < CK_SIZE_LF)
        return "malformed chunk extension";
    return "malformed trailer field";
}

int http_chunked_decode(http_chunked *ck, const char *in, size_t len, char *out, size_t max_body, const char **why)
{
    while (ck->in < len && ck->state != CK_DONE) {
        if (ck->state == CK_DATA) {
            size_t n = len - ck->in;
            if (n > ck->size)
                n = (size_t)ck->size;
            memmove(out + ck->out, in + ck->in, n);
            ck->in += n;
            ck->out += n;
            ck->size -= n;
            if (ck->size == 0)
                ck->state = CK_DATA_CR;
            ck->meta = 0;
            continue;
        }
        if (++ck->meta > HTTP_CHUNK_META_MAX)
            FAIL(400, "chunk extensions or trailers too long");
        int status = 400, c = (unsigned char)in[ck->in];
        const char *msg = NULL;
        int next = ck_step(ck, c, max_body - ck->out, &status, &msg);
        if (next < 0) {
            *why = msg ? msg : ck_error(ck->state);
            return -status;
        }
        ck->state = next;
        ck->in++;
    }
    return ck->state == CK_DONE;
}

int http_parse_chunked(const char *buf, size_t len, char *out, size_t max_body, size_t *consumed,
                       size_t *out_len, const char **why)
{
    http_chunked ck = {0};
    int rc = http_chunked_decode(&ck, buf, len, out, max_body, why);
    if (rc == 1) {
        *consumed = ck.in;
        *out_len = ck.out;
    }
    return rc;
}

/* ---- whole requests ----------------------------------------------------------------------- */

int http_read_request(http_reader *r, char *buf, size_t len, size_t max_head, size_t max_body, http_head *head,
                      http_body *body, const char **why)
{
    bool parsed = false;
    if (!r->head_len) {
        int rc = http_parse_head_r(buf, len, max_head, &r->hs, head, why);
        if (rc <= 0)
            return rc;
        if (!head->chunked && head->content_length > 0 && (uint64_t)head->content_length > max_body)
            FAIL(413, "request body too large");
        r->head_len = head->head_len;
        r->chunked = head->chunked;
        r->content_length = head->content_length;
        r->expect_continue = head->expect_continue;
        parsed = true;
    }
    char *b = buf + r->head_len;
    size_t avail = len - r->head_len, body_len, used;
    if (r->chunked) {
        int k = http_chunked_decode(&r->ck, b, avail, b, max_body, why);
        if (k <= 0)
            return k;
        body_len = r->ck.out;
        used = r->ck.in;
    } else {
        body_len = used = r->content_length > 0 ? (size_t)r->content_length : 0;
        if (avail < used)
            return 0;
    }
    /* the head's bytes are as they were: only consumed body bytes were rewritten */
    if (!parsed && http_parse_head_r(buf, len, max_head, &r->hs, head, why) != 1)
        FAIL(500, "request head changed while its body was read");
    *body = (http_body){b, body_len, r->head_len + used};
    return 1;
}
