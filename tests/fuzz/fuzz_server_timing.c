/* libFuzzer target: the Server-Timing parser the lifecycle client applies to any server's header.
 * It must never read past the header, and whatever it reports must read back after formatting. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "catalog/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = fuzz_cstr(data, size);
    if (!h)
        return 0;
    catalog_timing t;
    int found = catalog_timing_parse(h, &t);
    if (found < 0)
        __builtin_trap();
    double v[] = {t.db, t.hydrate, t.serialize, t.encode, t.framework, t.total};
    bool finite = true;
    for (int i = 0; i < 6; i++)
        finite &= isfinite(v[i]) && fabs(v[i]) < 1e12;
    if (finite) {
        char out[512];
        catalog_timing_format(&t, out, sizeof out);
        catalog_timing back;
        if (catalog_timing_parse(out, &back) != 6)
            __builtin_trap();
        double w[] = {back.db, back.hydrate, back.serialize, back.encode, back.framework, back.total};
        for (int i = 0; i < 6; i++)
            if (fabs(w[i] - v[i]) > 0.0005 + 1e-9 * fabs(v[i]))
                __builtin_trap();
    }
    free(h);
    return 0;
}
