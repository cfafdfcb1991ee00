/* libFuzzer target: the catalog's CSV reader on arbitrary bytes. Every record it hands out must
 * have exactly CATALOG_CSV_COLUMNS NUL-terminated fields inside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "catalog/catalog.h"

typedef struct {
    const char *lo, *hi;
} bounds;

static int check_record(void *ctx, char **fields, size_t line)
{
    const bounds *b = ctx;
    if (line == 0)
        __builtin_trap();
    for (int i = 0; i < CATALOG_CSV_COLUMNS; i++) {
        size_t n = strlen(fields[i]);
        if (fields[i] < b->lo || fields[i] + n > b->hi)
            __builtin_trap();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    if (!text)
        return 0;
    bounds b = {text, text + size};
    char err[256] = "";
    int rc = catalog_csv_records(text, size, check_record, &b, err, sizeof err);
    if (rc == -1 && !err[0])
        __builtin_trap();
    free(text);
    return 0;
}
