/* libFuzzer target: the timing-descriptor parser must accept or reject any bytes without crashing,
 * and what it accepts must be consistent (counts match, values non-negative, parts within their
 * iterations). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "core/bench.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    if (!text)
        return 0;
    bench_row row;
    memset(&row, 0, sizeof row);
    row.threads = 1;
    char reason[256];
    if (bench_parse_timing(text, &row, reason, sizeof reason) == 0) {
        for (size_t i = 0; i < row.nsamples; i++)
            if (row.samples[i] < 0)
                __builtin_trap();
        if (row.threads < 1)
            __builtin_trap();
        /* every part has one sample per counted iteration, none longer than its iteration */
        for (size_t k = 0; k < row.nparts; k++) {
            if (row.parts[k].nsamples != row.nsamples || !row.parts[k].name[0])
                __builtin_trap();
            for (size_t i = 0; i < row.nsamples; i++)
                if (row.parts[k].samples[i] < 0 || row.parts[k].samples[i] > row.samples[i])
                    __builtin_trap();
        }
    } else if (!reason[0]) {
        __builtin_trap();
    }
    bench_row_free(&row);
    free(text);
    return 0;
}
