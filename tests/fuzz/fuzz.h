/* What the libFuzzer targets share: a trap that the fuzzer reports as a crash, and the input as
 * a NUL-terminated copy (caller frees; NULL when out of memory, which a target just skips). */
#ifndef LADDER_FUZZ_H
#define LADDER_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c)                                                                             \
    do {                                                                                           \
        if (!(c))                                                                                  \
            __builtin_trap();                                                                      \
    } while (0)

static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

#endif
