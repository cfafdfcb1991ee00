/* libFuzzer target: whatever parses must survive write -> read unchanged, and a document that is
 * one bare number reads as glibc's correctly rounded strtod reads it. */
#include "json/json.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/json_equal.h"
#include "fuzz.h"

/* The nesting depth of v, asserting on the way what the reader promises of every value:
 * strings and keys NUL-terminated, numbers finite, an integer reading equal to the double. */
static size_t fuzz_depth(const json_value *v)
{
    size_t best = 0, len;
    int64_t i;
    switch (json_get_type(v)) {
    case JSON_NUMBER:
        FUZZ_ASSERT(isfinite(json_get_num(v)));
        FUZZ_ASSERT(!json_get_int(v, &i) || (double)i == json_get_num(v));
        return 0;
    case JSON_STRING: {
        const char *str = json_get_str(v, &len);
        FUZZ_ASSERT(str && str[len] == '\0');
        return 0;
    }
    case JSON_ARRAY:
        for (size_t k = 0; k < json_arr_len(v); k++) {
            size_t d = fuzz_depth(json_arr_get(v, k));
            best = d > best ? d : best;
        }
        return best + 1;
    case JSON_OBJECT:
        for (size_t k = 0; k < json_obj_len(v); k++) {
            const char *key = json_obj_key_at(v, k, &len);
            FUZZ_ASSERT(key && key[len] == '\0');
            size_t d = fuzz_depth(json_obj_val_at(v, k));
            best = d > best ? d : best;
        }
        return best + 1;
    default:
        return 0;
    }
}

/* data is one JSON number, nothing around it: the reader's value (or its "number out of range")
 * must be strtod's. */
static void fuzz_number(const uint8_t *data, size_t size, const json_doc *doc, const json_error *err)
{
    if (size == 0 || !(data[0] == '-' || (data[0] >= '0' && data[0] <= '9')))
        return;
    for (size_t i = 0; i < size; i++)
        if (!memchr("0123456789+-.eE", data[i], 15))
            return;
    char *text = malloc(size + 1);
    FUZZ_ASSERT(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    char *stop;
    double want = strtod(text, &stop);
    if (doc) {
        FUZZ_ASSERT(stop == text + size);
        double got = json_get_num(json_doc_root(doc));
        FUZZ_ASSERT(memcmp(&got, &want, sizeof got) == 0);
    } else if (strcmp(err->msg, "number out of range") == 0) {
        FUZZ_ASSERT(isinf(want)); /* the number may be followed by more text */
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error err;
    json_doc *doc = json_read((const char *)data, size, NULL, &err);
    fuzz_number(data, size, doc, &err);
    if (!doc) {
        FUZZ_ASSERT(err.offset <= size && err.line >= 1 && err.column >= 1 && err.msg[0]);
        FUZZ_ASSERT(memchr(err.msg, '\0', sizeof err.msg) != NULL);
        char line[256];
        json_error_format(&err, "fuzz", line, sizeof line);
        return 0;
    }
    const json_value *root = json_doc_root(doc);
    size_t depth = fuzz_depth(root);
    FUZZ_ASSERT(depth <= JSON_DEFAULT_MAX_DEPTH);

    /* The depth limit is exact: one level less must fail, exactly the depth must pass. */
    if (depth > 1) {
        json_read_opts tight = {.max_depth = depth - 1};
        FUZZ_ASSERT(json_read((const char *)data, size, &tight, NULL) == NULL);
        json_read_opts exact = {.max_depth = depth};
        json_doc *again = json_read((const char *)data, size, &exact, NULL);
        FUZZ_ASSERT(again && json_test_equal(root, json_doc_root(again)));
        json_doc_free(again);
    }

    json_writer w;
    json_writer_init(&w, size & 1);
    json_write_value(&w, root);
    if (depth >= JSON_WRITER_MAX_DEPTH) {
        FUZZ_ASSERT(!json_writer_ok(&w));
        json_writer_free(&w);
        json_doc_free(doc);
        return 0;
    }
    FUZZ_ASSERT(json_writer_ok(&w));
    size_t len = 0;
    char *text = json_writer_take(&w, &len);
    FUZZ_ASSERT(text && text[len] == '\0');
    json_doc *copy = json_read(text, len, NULL, &err);
    FUZZ_ASSERT(copy != NULL);
    FUZZ_ASSERT(json_test_equal(root, json_doc_root(copy)));

    /* Writing the copy again is a fixed point. */
    json_writer_init(&w, size & 1);
    json_write_value(&w, json_doc_root(copy));
    size_t len2 = 0;
    const char *text2 = json_writer_data(&w, &len2);
    FUZZ_ASSERT(len2 == len && memcmp(text, text2, len) == 0);
    json_writer_free(&w);

    /* A document built in a reused document's memory is the same document; the original input
     * parsed into the copy's memory must equal the first parse. A failing parse consumes the
     * document it was given (ASan reports the leak otherwise). */
    json_read_opts reuse = {.reuse = copy};
    json_doc *again = json_read((const char *)data, size, &reuse, NULL);
    FUZZ_ASSERT(again && json_test_equal(root, json_doc_root(again)));
    reuse.reuse = again; /* input that parsed is never empty: size - 1 is a prefix */
    json_doc_free(json_read((const char *)data, size - 1, &reuse, NULL));
    free(text);
    json_doc_free(doc);
    return 0;
}
