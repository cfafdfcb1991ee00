/* libFuzzer target: the pipeline's fast path (events in json.dumps' layout) and its general,
 * validating reader must give the same result on every input: the same summary bytes, or the
 * same error (offset, line, column, event index, before/after, message). The same pipeline is
 * also run a second time on the input, so that state kept between runs cannot change a result,
 * and once split over three threads with chunks of any size, which must change nothing either. */
#include "pipeline/pipeline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

typedef struct {
    int rc;
    pipeline_error err;
    char *summary;
    size_t len;
} outcome;

static void run(pipeline *pl, bool fast, const char *buf, size_t size, outcome *o)
{
    pipeline_set_fast(pl, fast);
    memset(&o->err, 0, sizeof o->err);
    o->rc = pipeline_run(pl, buf, size, &o->err);
    o->summary = NULL;
    o->len = 0;
    if (o->rc == 0) {
        const char *s = pipeline_summary(pl, &o->len);
        o->summary = malloc(o->len + 1);
        FUZZ_ASSERT(o->summary);
        memcpy(o->summary, s, o->len + 1);
    }
}

static void same(const outcome *a, const outcome *b)
{
    FUZZ_ASSERT(a->rc == b->rc);
    if (a->rc == 0) {
        FUZZ_ASSERT(a->len == b->len && memcmp(a->summary, b->summary, a->len) == 0);
        return;
    }
    FUZZ_ASSERT(a->err.offset == b->err.offset);
    FUZZ_ASSERT(a->err.line == b->err.line && a->err.column == b->err.column);
    FUZZ_ASSERT(a->err.event == b->err.event && a->err.after == b->err.after);
    FUZZ_ASSERT(strcmp(a->err.msg, b->err.msg) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so that reading one byte too far is an ASan error. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    static pipeline *fast_pl, *slow_pl, *split_pl;
    if (!fast_pl)
        fast_pl = pipeline_new();
    if (!slow_pl)
        slow_pl = pipeline_new();
    if (!split_pl) {
        split_pl = pipeline_new();
        if (split_pl) {
            pipeline_set_threads(split_pl, 3);
            pipeline_set_min_chunk(split_pl, 1);
        }
    }
    FUZZ_ASSERT(fast_pl && slow_pl && split_pl);
    outcome f, s, again, split;
    run(fast_pl, true, buf, size, &f);
    run(slow_pl, false, buf, size, &s);
    same(&f, &s);
    /* the fast path again, on a pipeline whose tables the other path just filled */
    run(slow_pl, true, buf, size, &again);
    same(&f, &again);
    run(split_pl, true, buf, size, &split);
    same(&f, &split);
    free(split.summary);
    free(f.summary);
    free(s.summary);
    free(again.summary);
    free(buf);
    return 0;
}
