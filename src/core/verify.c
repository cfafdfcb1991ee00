#include "core/verify.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

int verify_md5_hex(const void *data, size_t len, char hex[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL) || mdlen != 16)
        return -1;
    for (unsigned i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static void quote_line(const char *s, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && s[i] != '\n' && k + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            out[k++] = '\\';
            out[k++] = 't';
        } else if (c < 0x20 || c >= 0x7f) {
            k += (size_t)snprintf(out + k, cap - k, "\\x%02x", c);
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = '\0';
}

bool verify_output(verify_kind kind, const char *expected, size_t expected_len, const char *output,
                   size_t output_len, char *reason, size_t cap)
{
    if (kind == VERIFY_MD5) {
        char want[33] = {0}, got[33];
        size_t n = 0;
        while (n < expected_len && n < 32 && isxdigit((unsigned char)expected[n])) {
            want[n] = (char)tolower((unsigned char)expected[n]);
            n++;
        }
        if (n != 32) {
            snprintf(reason, cap, "reference is not an MD5 digest");
            return false;
        }
        if (verify_md5_hex(output, output_len, got)) {
            snprintf(reason, cap, "MD5 digest failed");
            return false;
        }
        if (strcmp(want, got)) {
            snprintf(reason, cap, "MD5 of %zu output bytes is %s, expected %s", output_len, got, want);
            return false;
        }
        return true;
    }
    if (expected_len == output_len && memcmp(expected, output, output_len) == 0)
        return true;
    size_t line = 1, start_e = 0, start_o = 0, i = 0;
    while (i < expected_len && i < output_len && expected[i] == output[i]) {
        if (expected[i] == '\n') {
            line++;
            start_e = start_o = i + 1;
        }
        i++;
    }
    char e[64], o[64];
    quote_line(expected + start_e, expected_len - start_e, e, sizeof e);
    quote_line(output + start_o, output_len - start_o, o, sizeof o);
    if (output_len == 0)
        snprintf(reason, cap, "no output (expected %zu bytes)", expected_len);
    else if (i == expected_len && i < output_len)
        snprintf(reason, cap, "extra output after line %zu: '%s'", line - 1, o);
    else if (i == output_len && i < expected_len)
        snprintf(reason, cap, "output ends early at line %zu: expected '%s'", line, e);
    else
        snprintf(reason, cap, "line %zu differs: expected '%s', got '%s'", line, e, o);
    return false;
}
