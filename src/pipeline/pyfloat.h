/* CPython's float arithmetic that the pipeline's output depends on: round(x, 2) and repr(x) (as
 * json.dumps writes floats). Pure functions: nothing to allocate or free. */
#ifndef LADDER_PIPELINE_PYFLOAT_H
#define LADDER_PIPELINE_PYFLOAT_H

#include <stddef.h>
#include <stdint.h>

/* CPython's round(x, 2): x's exact binary value rounded to 2 decimals (ties to even), then the
 * nearest double. Non-finite values come back unchanged. */
double pipeline_round2(double x);

/* Writes json.dumps(x) for a float into out (at least PIPELINE_FLOAT_MAX bytes, NUL-terminated)
 * and returns its length: CPython's repr (shortest round-trip digits, "100.0", "1e+16",
 * "1e-05"), and NaN, Infinity, -Infinity for non-finite values. */
#define PIPELINE_FLOAT_MAX 32
size_t pipeline_float_repr(double x, char *out);

/* v in decimal at o, zero-padded to at least min_digits; returns the end. o needs 20 bytes. */
char *pyf_put_u64(char *o, uint64_t v, int min_digits);

#endif
