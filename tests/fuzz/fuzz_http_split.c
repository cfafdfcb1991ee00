/* libFuzzer target: resumable request reading against one-shot reading. The first byte gives a
 * number of cut points, two bytes each; the rest is a stream of requests, fed once whole and once
 * in the pieces the cuts make (with tight and with the server's limits). Both must read the same:
 * the same requests, fields and bodies, the same error, the same bytes left over. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/http_feed.h"

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void run(const char *req, size_t len, const size_t *cuts, size_t ncuts, size_t max_head, size_t max_body,
                http_feed *f)
{
    feed_init(f, max_head, max_body, NULL, NULL);
    size_t at = 0;
    for (size_t i = 0; i < ncuts; i++) {
        feed_bytes(f, req + at, cuts[i] - at);
        at = cuts[i];
    }
    feed_bytes(f, req + at, len - at);
    feed_end(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t ncuts = data[0] % 9;
    if (size < 1 + 2 * ncuts)
        return 0;
    const char *req = (const char *)data + 1 + 2 * ncuts;
    size_t len = size - 1 - 2 * ncuts;
    size_t cuts[8];
    for (size_t i = 0; i < ncuts; i++)
        cuts[i] = len ? ((size_t)data[1 + 2 * i] << 8 | data[2 + 2 * i]) % (len + 1) : 0;
    qsort(cuts, ncuts, sizeof cuts[0], cmp_size);
    static const size_t limits[][2] = {{8192, 1 << 20}, {64, 16}};
    for (size_t l = 0; l < 2; l++) {
        http_feed whole, split;
        run(req, len, NULL, 0, limits[l][0], limits[l][1], &whole);
        run(req, len, cuts, ncuts, limits[l][0], limits[l][1], &split);
        if (whole.log_len != split.log_len || memcmp(whole.log, split.log, whole.log_len) != 0)
            __builtin_trap();
        feed_free(&whole);
        feed_free(&split);
    }
    return 0;
}
