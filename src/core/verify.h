/* Verification of a rung's stdout against a problem's reference: exact text, or the MD5 of the
 * bytes (for binary output such as mandelbrot's PBM). */
#ifndef LADDER_VERIFY_H
#define LADDER_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { VERIFY_TEXT, VERIFY_MD5 } verify_kind;

/* Lowercase hex MD5 of data into hex (33 bytes). Returns -1 if the digest failed. */
int verify_md5_hex(const void *data, size_t len, char hex[33]);
/* True when output matches expected (the reference text, or a hex MD5 optionally followed by
 * whitespace). Otherwise false with a one-line reason naming the first difference. */
bool verify_output(verify_kind kind, const char *expected, size_t expected_len, const char *output,
                   size_t output_len, char *reason, size_t cap);

#endif
