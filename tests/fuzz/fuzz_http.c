/* libFuzzer target: the HTTP request parser and chunked decoder on arbitrary bytes. Whatever they
 * accept must be self-consistent: slices inside the input, head_len within it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_parse.h"

static void inside(http_str s, const char *buf, size_t len)
{
    if (s.n && (s.p < buf || s.p + s.n > buf + len))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    http_head h;
    const char *why = NULL;
    int rc = http_parse_head(buf, size, 4096, &h, &why);
    if (rc == 1) {
        if (h.head_len == 0 || h.head_len > size)
            __builtin_trap();
        inside(h.method, buf, size);
        inside(h.target, buf, size);
        inside(h.path, buf, size);
        for (size_t i = 0; i < h.nheaders; i++) {
            inside(h.headers[i].name, buf, size);
            inside(h.headers[i].value, buf, size);
        }
        if (h.chunked) {
            size_t consumed, out_len;
            char *body = buf + h.head_len;
            size_t avail = size - h.head_len;
            int k = http_parse_chunked(body, avail, body, 1 << 16, &consumed, &out_len, &why);
            if (k == 1 && (consumed > avail || out_len > consumed))
                __builtin_trap();
            if (k < 0 && (!why || !*why))
                __builtin_trap();
        }
    } else if (rc < 0 && (!why || !*why)) {
        __builtin_trap();
    }
    free(buf);
    return 0;
}
