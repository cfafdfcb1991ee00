/* libFuzzer target: the on-demand reader and the strict DOM reader must agree on every input:
 * both accept or both reject (at the same byte, with the same message), and when they accept,
 * the on-demand walk sees exactly the DOM's values, read with json_od_peek and the typed reads,
 * with json_od_any, and skipped. Also run with each string scanner; fuzz_ondemand_v3 is this
 * target built for x86-64-v3, where the reader's inline paths are AVX2. */
#include "json/json.h"
#include "json/json_ondemand.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* The DOM's value v (NULL when the DOM reader rejected) against what the on-demand reader read. */
static void same_string(const json_value *v, json_od_string s)
{
    if (v) {
        size_t len;
        const char *d = json_get_str(v, &len);
        FUZZ_ASSERT(len == s.len && memcmp(d, s.ptr, len) == 0);
    }
}

static void same_number(const json_value *v, json_od_number n)
{
    if (v) {
        double d = json_get_num(v);
        int64_t iv = 0;
        FUZZ_ASSERT(memcmp(&d, &n.num, sizeof d) == 0);
        FUZZ_ASSERT(json_get_int(v, &iv) == n.is_int);
        FUZZ_ASSERT(!n.is_int || iv == n.ival);
    }
}

static void same_key(const json_value *v, size_t i, json_od_string key)
{
    if (v) {
        size_t klen;
        const char *k = json_obj_key_at(v, i, &klen);
        FUZZ_ASSERT(k && klen == key.len && memcmp(k, key.ptr, klen) == 0);
    }
}

typedef bool (*walk_fn)(json_od *od, const json_value *v);

/* The members of the container just entered (v its DOM value), each read by walk. */
static bool walk_members(json_od *od, const json_value *v, bool is_obj, walk_fn walk)
{
    size_t i = 0;
    json_od_string key;
    for (; is_obj ? json_od_obj_next(od, i, &key) : json_od_arr_next(od, i); i++) {
        if (is_obj)
            same_key(v, i, key);
        if (!walk(od, v ? (is_obj ? json_obj_val_at(v, i) : json_arr_get(v, i)) : NULL))
            return false;
    }
    if (json_od_failed(od))
        return false;
    if (v)
        FUZZ_ASSERT(i == (is_obj ? json_obj_len(v) : json_arr_len(v)));
    return true;
}

/* Walks one value with json_od_peek and the typed reads. Returns false when od failed. */
static bool walk(json_od *od, const json_value *v)
{
    json_type t = json_od_peek(od);
    if (json_od_failed(od))
        return false;
    if (v)
        FUZZ_ASSERT(json_get_type(v) == t || (t != JSON_OBJECT && t != JSON_ARRAY && t != JSON_STRING &&
                                              t != JSON_NUMBER && json_is_bool(v) == (t != JSON_NULL)));
    switch (t) {
    case JSON_ARRAY:
    case JSON_OBJECT:
        if (!(t == JSON_OBJECT ? json_od_obj_begin(od) : json_od_arr_begin(od)))
            return false;
        return walk_members(od, v, t == JSON_OBJECT, walk);
    case JSON_STRING: {
        json_od_string s;
        if (!json_od_str(od, &s))
            return false;
        same_string(v, s);
        return true;
    }
    case JSON_NUMBER: {
        json_od_number n;
        if (!json_od_num(od, &n))
            return false;
        same_number(v, n);
        return true;
    }
    default: {
        json_type lt;
        if (!json_od_lit(od, &lt))
            return false;
        if (v)
            FUZZ_ASSERT(lt == json_get_type(v));
        return true;
    }
    }
}

/* The same with json_od_any: each value's type and value from one call. */
static bool walk_any(json_od *od, const json_value *v)
{
    json_od_value x;
    json_type t;
    if (!json_od_any(od, &t, &x))
        return false;
    if (v)
        FUZZ_ASSERT(json_get_type(v) == t);
    switch (t) {
    case JSON_ARRAY:
    case JSON_OBJECT:
        return walk_members(od, v, t == JSON_OBJECT, walk_any);
    case JSON_STRING:
        same_string(v, x.str);
        return true;
    case JSON_NUMBER:
        same_number(v, x.num);
        return true;
    default:
        return true;
    }
}

enum walk_kind { WALK_PEEK, WALK_ANY, WALK_SKIP };

static void check(const char *buf, size_t size, const json_doc *doc, const json_error *derr, const char *scanner,
                  enum walk_kind kind)
{
    json_od od;
    json_od_init(&od, 0);
    if (!json_od_use_scanner(&od, scanner)) {
        json_od_free(&od);
        return;
    }
    json_od_reset(&od, buf, size);
    const json_value *root = doc ? json_doc_root(doc) : NULL;
    bool ok = kind == WALK_SKIP ? json_od_skip(&od) : kind == WALK_ANY ? walk_any(&od, root) : walk(&od, root);
    ok = ok && json_od_finish(&od);
    FUZZ_ASSERT(ok == (doc != NULL));
    if (!ok) {
        json_error e;
        json_od_error(&od, &e);
        FUZZ_ASSERT(e.offset == derr->offset);
        FUZZ_ASSERT(e.line == derr->line && e.column == derr->column);
        FUZZ_ASSERT(strcmp(e.msg, derr->msg) == 0);
    }
    json_od_free(&od);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so that reading one byte too far is an ASan error. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    json_error derr;
    json_doc *doc = json_read(buf, size, NULL, &derr);
    static const char *const scanners[] = {"scalar", "sse2", "avx2", "avx512"};
    for (size_t i = 0; i < sizeof scanners / sizeof scanners[0]; i++)
        check(buf, size, doc, &derr, scanners[i], WALK_PEEK);
    check(buf, size, doc, &derr, "sse2", WALK_SKIP);
    check(buf, size, doc, &derr, "avx2", WALK_ANY);
    check(buf, size, doc, &derr, "sse2", WALK_ANY);
    json_doc_free(doc);
    free(buf);
    return 0;
}
