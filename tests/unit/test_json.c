#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "check.h"
#include "json_equal.h"
#include "json/json.h"
#include "json/json_ondemand.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    const char *text;
    size_t len; /* 0: strlen(text) */
} input;

typedef struct {
    const char *text;
    size_t len;
    const char *msg; /* expected substring of err.msg */
} reject_case;

static size_t in_len(const char *text, size_t len)
{
    return len ? len : strlen(text);
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static json_doc *parse(const char *text)
{
    return json_read(text, strlen(text), NULL, NULL);
}

static void check_accepts(const input *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_error err;
        json_doc *doc = json_read(cases[i].text, in_len(cases[i].text, cases[i].len), NULL, &err);
        if (!doc)
            fprintf(stderr, "  should accept case %zu [%s]: %s\n", i, cases[i].text, err.msg);
        CHECK(doc != NULL);
        json_doc_free(doc);
    }
}

static void check_rejects(const reject_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_error err;
        size_t len = in_len(cases[i].text, cases[i].len);
        json_doc *doc = json_read(cases[i].text, len, NULL, &err);
        if (doc) {
            fprintf(stderr, "  should reject case %zu [%s]\n", i, cases[i].text);
            json_doc_free(doc);
            CHECK(doc == NULL);
            continue;
        }
        if (!strstr(err.msg, cases[i].msg))
            fprintf(stderr, "  case %zu [%s]: msg \"%s\", want \"%s\"\n", i, cases[i].text, err.msg,
                    cases[i].msg);
        CHECK(strstr(err.msg, cases[i].msg) != NULL);
        CHECK(err.offset <= len);
        CHECK(err.line >= 1 && err.column >= 1);
    }
}

static void test_literals_and_structure(void)
{
    static const input ok[] = {
        {"true", 0}, {"false", 0}, {"null", 0}, {"0", 0}, {"\"\"", 0}, {"[]", 0}, {"{}", 0},
        {"[1,2,3]", 0}, {"{\"a\":1}", 0}, {"[[[]]]", 0}, {"{\"a\":{\"b\":[{}]}}", 0},
        {"{ \"a\" : [ 1 , 2 ] , \"b\" : { } }", 0}, {" \t\n\r1 \t\n\r", 0}, {"[ ]", 0}, {"{ }", 0},
        {"[true,false,null]", 0}, {"{\"\":0}", 0}, {"{\"a\":1,\"a\":2}", 0},
    };
    static const reject_case bad[] = {
        {"", 0, "empty input"},
        {"   ", 0, "empty input"},
        {"\n\t\r", 0, "empty input"},
        {"tru", 0, "invalid literal"},
        {"True", 0, "unexpected character 'T'"},
        {"nul", 0, "invalid literal"},
        {"NULL", 0, "unexpected character 'N'"},
        {"fals", 0, "invalid literal"},
        {"falsee", 0, "trailing characters after the value"},
        {"truefalse", 0, "trailing characters after the value"},
        {"nan", 0, "invalid literal"},
        {"NaN", 0, "unexpected character 'N'"},
        {"Infinity", 0, "unexpected character 'I'"},
        {"-Infinity", 0, "expected digit after '-'"},
        {"undefined", 0, "unexpected character 'u'"},
        {"[1,]", 0, "trailing comma"},
        {"[1, ]", 0, "trailing comma"},
        {"{\"a\":1,}", 0, "trailing comma"},
        {"[[1,]]", 0, "trailing comma"},
        {"{\"a\":[1,\n ]}", 0, "trailing comma"},
        {"[{\"a\":1,\n}]", 0, "trailing comma"},
        {"[1,}", 0, "unexpected character '}'"},
        {"{\"a\":}", 0, "unexpected character '}'"},
        {"{\"a\":]", 0, "unexpected character ']'"},
        {"{\"a\":1,]", 0, "expected a string key"},
        {"]", 0, "unexpected character ']'"},
        {"[,1]", 0, "unexpected character ','"},
        {"[1,,2]", 0, "unexpected character ','"},
        {"[1 2]", 0, "expected ',' or ']'"},
        {"{\"a\":1 \"b\":2}", 0, "expected ',' or '}'"},
        {"{\"a\" 1}", 0, "expected ':' after object key"},
        {"{\"a\":}", 0, "unexpected character '}'"},
        {"{1:2}", 0, "expected a string key"},
        {"{'a':1}", 0, "expected a string key"},
        {"{a:1}", 0, "expected a string key"},
        {"{,}", 0, "expected a string key"},
        {"[1", 0, "unexpected end of input"},
        {"[", 0, "unexpected end of input"},
        {"{", 0, "unexpected end of input"},
        {"{\"a\"", 0, "unexpected end of input"},
        {"{\"a\":", 0, "unexpected end of input"},
        {"{\"a\":1", 0, "unexpected end of input"},
        {"[1,", 0, "unexpected end of input"},
        {"]", 0, "unexpected character ']'"},
        {"}", 0, "unexpected character '}'"},
        {"[1]]", 0, "trailing characters after the value"},
        {"{\"a\":1}}", 0, "trailing characters after the value"},
        {"[1}", 0, "expected ',' or ']'"},
        {"{\"a\":1]", 0, "expected ',' or '}'"},
        {"1 2", 0, "trailing characters after the value"},
        {"[] []", 0, "trailing characters after the value"},
        {"/* c */ 1", 0, "unexpected character '/'"},
        {"1 // c", 0, "trailing characters after the value"},
        {"# c\n1", 0, "unexpected character '#'"},
        {":", 0, "unexpected character ':'"},
        {"\f1", 0, "unexpected byte 0x0C"},
        {"\v1", 0, "unexpected byte 0x0B"},
        {"\xC2\xA0" "1", 0, "unexpected byte 0xC2"},
        {"\xEF\xBB\xBF" "1", 0, "unexpected byte 0xEF"},
        {"1\0", 2, "trailing characters after the value"},
        {"\0", 1, "unexpected byte 0x00"},
        {"'a'", 0, "unexpected character '''"},
    };
    check_accepts(ok, N_ELEMS(ok));
    check_rejects(bad, N_ELEMS(bad));

    json_doc *doc = parse("[true,false,null]");
    const json_value *r = json_doc_root(doc);
    CHECK(json_get_type(r) == JSON_ARRAY && json_arr_len(r) == 3);
    CHECK(json_get_type(json_arr_get(r, 0)) == JSON_TRUE && json_get_bool(json_arr_get(r, 0)));
    CHECK(json_get_type(json_arr_get(r, 1)) == JSON_FALSE && !json_get_bool(json_arr_get(r, 1)));
    CHECK(json_is_bool(json_arr_get(r, 1)) && !json_is_bool(json_arr_get(r, 2)));
    CHECK(json_get_type(json_arr_get(r, 2)) == JSON_NULL);
    CHECK(json_arr_get(r, 3) == NULL);
    CHECK(json_obj_len(r) == 0 && json_obj_get(r, "a") == NULL);
    CHECK(json_get_str(r, NULL) == NULL && json_get_num(r) == 0);
    json_doc_free(doc);

    doc = parse(" {\"b\":[1,{\"c\":\"d\"}],\"a\":2,\"b\":3} ");
    r = json_doc_root(doc);
    CHECK(json_get_type(r) == JSON_OBJECT && json_obj_len(r) == 3);
    size_t klen = 9;
    CHECK_STR(json_obj_key_at(r, 0, &klen), "b");
    CHECK(klen == 1);
    CHECK_STR(json_obj_key_at(r, 1, NULL), "a");
    CHECK_STR(json_obj_key_at(r, 2, NULL), "b");
    CHECK(json_obj_key_at(r, 3, &klen) == NULL && klen == 0);
    CHECK(json_obj_val_at(r, 3) == NULL);
    CHECK(json_get_type(json_obj_get(r, "b")) == JSON_ARRAY); /* first duplicate wins */
    CHECK(json_get_num(json_obj_val_at(r, 2)) == 3);
    CHECK(json_get_num(json_obj_get(r, "a")) == 2);
    CHECK(json_obj_get(r, "c") == NULL && json_obj_get(r, "") == NULL);
    CHECK_STR(json_get_str(json_obj_get(json_arr_get(json_obj_get(r, "b"), 1), "c"), NULL), "d");
    CHECK(json_arr_len(json_obj_get(r, "b")) == 2);
    json_doc_free(doc);

    /* NULL-tolerant accessors, so lookups can be chained. */
    CHECK(json_doc_root(NULL) == NULL && json_get_type(NULL) == JSON_NULL);
    CHECK(json_obj_get(NULL, "a") == NULL && json_arr_get(NULL, 0) == NULL);
    CHECK(json_arr_len(NULL) == 0 && !json_get_int(NULL, NULL) && json_get_str(NULL, NULL) == NULL);
    json_doc_free(NULL);

    CHECK_STR(json_type_name(JSON_NULL), "null");
    CHECK_STR(json_type_name(JSON_TRUE), "true");
    CHECK_STR(json_type_name(JSON_FALSE), "false");
    CHECK_STR(json_type_name(JSON_NUMBER), "number");
    CHECK_STR(json_type_name(JSON_STRING), "string");
    CHECK_STR(json_type_name(JSON_ARRAY), "array");
    CHECK_STR(json_type_name(JSON_OBJECT), "object");

    /* NUL buffer with zero length is empty input, not a crash. */
    json_error err;
    CHECK(json_read(NULL, 0, NULL, &err) == NULL);
    CHECK_STR(err.msg, "empty input");
    CHECK(json_read("x", 1, NULL, NULL) == NULL);
}

static bool padded_agrees(const char *text, size_t len, const json_doc *doc, const json_error *err, bool od_too);

/* Every text both as given and followed by spaces (see padded_agrees). */
static void check_padded(const char *text)
{
    json_error err;
    json_doc *doc = json_read(text, strlen(text), NULL, &err);
    bool same = padded_agrees(text, strlen(text), doc, &err, false);
    if (!same)
        fprintf(stderr, "  %s: read differently when followed by spaces\n", text);
    CHECK(same);
    json_doc_free(doc);
}

static void test_numbers(void)
{
    static const struct {
        const char *text;
        double want;
    } nums[] = {
        {"0", 0.0},
        {"-0", -0.0},
        {"-0.0", -0.0},
        {"0.0", 0.0},
        {"1", 1.0},
        {"-1", -1.0},
        {"123", 123.0},
        {"0.5", 0.5},
        {"-0.5", -0.5},
        {"1e2", 100.0},
        {"1E2", 100.0},
        {"1e+2", 100.0},
        {"1E+02", 100.0},
        {"1e-2", 0.01},
        {"0e0", 0.0},
        {"0E-0", 0.0},
        {"0.0e+0", 0.0},
        {"-0e5", -0.0},
        {"0.1", 0.1},
        {"0.2", 0.2},
        {"0.3", 0.3},
        {"1.5e300", 1.5e300},
        {"2.2250738585072014e-308", DBL_MIN},
        {"2.2250738585072011e-308", 2.2250738585072011e-308}, /* largest subnormal neighbourhood */
        {"4.9406564584124654e-324", 5e-324},
        {"5e-324", 5e-324},
        {"2.5e-324", 5e-324},
        {"2.4e-324", 0.0},
        {"1e-400", 0.0},
        {"-1e-400", -0.0},
        {"1.7976931348623157e308", DBL_MAX},
        {"1.7976931348623158e308", DBL_MAX},
        {"-1.7976931348623157e308", -DBL_MAX},
        {"9007199254740993", 9007199254740992.0},
        {"9007199254740995", 9007199254740996.0},
        {"9007199254740992", 9007199254740992.0},
        {"18446744073709551616", 18446744073709551616.0},
        {"9223372036854775808", 9223372036854775808.0},
        {"123456789012345678901234567890", 1.2345678901234568e29},
        {"0.30000000000000004", 0.1 + 0.2},
        {"1e23", 1e23},
        {"8.988465674311579e307", 8.988465674311579e307},
        {"0.000001", 1e-6},
        {"12345678.9e-3", 12345.6789},
    };
    for (size_t i = 0; i < N_ELEMS(nums); i++) {
        json_error err;
        json_doc *doc = json_read(nums[i].text, strlen(nums[i].text), NULL, &err);
        CHECK(doc != NULL);
        if (!doc) {
            fprintf(stderr, "  number %s: %s\n", nums[i].text, err.msg);
            continue;
        }
        const json_value *v = json_doc_root(doc);
        CHECK(json_get_type(v) == JSON_NUMBER);
        if (!same_double(json_get_num(v), nums[i].want))
            fprintf(stderr, "  number %s read as %.17g, want %.17g\n", nums[i].text, json_get_num(v),
                    nums[i].want);
        CHECK(same_double(json_get_num(v), nums[i].want));
        json_doc_free(doc);
    }
    CHECK(0.1 + 0.2 != 0.3);

    static const reject_case bad[] = {
        {"01", 0, "leading zeros are not allowed"},
        {"-01", 0, "leading zeros are not allowed"},
        {"00", 0, "leading zeros are not allowed"},
        {"00.5", 0, "leading zeros are not allowed"},
        {"+1", 0, "unexpected character '+'"},
        {".5", 0, "unexpected character '.'"},
        {"-.5", 0, "expected digit after '-'"},
        {"1.", 0, "expected digit after '.'"},
        {"1.e2", 0, "expected digit after '.'"},
        {"[1.]", 0, "expected digit after '.'"},
        {"-", 0, "expected digit after '-'"},
        {"--1", 0, "expected digit after '-'"},
        {"- 1", 0, "expected digit after '-'"},
        {"1e", 0, "expected digit in exponent"},
        {"1E", 0, "expected digit in exponent"},
        {"1e+", 0, "expected digit in exponent"},
        {"1e-", 0, "expected digit in exponent"},
        {"1e+-1", 0, "expected digit in exponent"},
        {"1ee2", 0, "expected digit in exponent"},
        {"0x10", 0, "trailing characters after the value"},
        {"1e2.5", 0, "trailing characters after the value"},
        {"1.2.3", 0, "trailing characters after the value"},
        {"1 .5", 0, "trailing characters after the value"},
        {"1e400", 0, "number out of range"},
        {"-1e400", 0, "number out of range"},
        {"1.7976931348623159e308", 0, "number out of range"},
        {"[1e99999999999999999999]", 0, "number out of range"},
        {"123abc", 0, "trailing characters after the value"},
        {"\xEF\xBC\x91", 0, "unexpected byte 0xEF"},
    };
    check_rejects(bad, N_ELEMS(bad));

    /* Very long tokens: beyond the parser's stack buffer. */
    char big[1200];
    big[0] = '1';
    memset(big + 1, '0', 999);
    big[1000] = '\0';
    json_error err;
    CHECK(json_read(big, strlen(big), NULL, &err) == NULL);
    CHECK_STR(err.msg, "number out of range");
    memcpy(big, "0.", 2);
    memset(big + 2, '0', 1000);
    memcpy(big + 1002, "1", 2);
    json_doc *doc = json_read(big, strlen(big), NULL, &err);
    CHECK(doc && same_double(json_get_num(json_doc_root(doc)), 0.0));
    json_doc_free(doc);
    memcpy(big, "0.1", 3);
    memset(big + 3, '0', 900);
    memcpy(big + 903, "1e0", 4);
    doc = json_read(big, strlen(big), NULL, &err);
    CHECK(doc && same_double(json_get_num(json_doc_root(doc)), 0.1));
    json_doc_free(doc);
    big[0] = '5';
    memset(big + 1, '0', 300);
    memcpy(big + 301, "e-300", 6); /* 5e300 * 1e-300 */
    doc = json_read(big, strlen(big), NULL, &err);
    CHECK(doc && same_double(json_get_num(json_doc_root(doc)), 5.0));
    json_doc_free(doc);

    static const struct {
        const char *text;
        bool is_int;
        int64_t want;
    } ints[] = {
        {"0", true, 0},
        {"-0", true, 0},
        {"42", true, 42},
        {"-42", true, -42},
        {"9007199254740993", true, INT64_C(9007199254740993)},
        {"9223372036854775807", true, INT64_MAX},
        {"-9223372036854775808", true, INT64_MIN},
        {"9223372036854775808", false, 0},
        {"-9223372036854775809", false, 0},
        {"18446744073709551615", false, 0},
        {"18446744073709551616", false, 0},
        {"99999999999999999999999", false, 0},
        {"1.0", false, 0},
        {"1e2", false, 0},
        {"1E0", false, 0},
        {"0.5", false, 0},
    };
    for (size_t i = 0; i < N_ELEMS(ints); i++) {
        doc = parse(ints[i].text);
        CHECK(doc != NULL);
        int64_t got = 12345;
        bool is_int = json_get_int(json_doc_root(doc), &got);
        if (is_int != ints[i].is_int || (is_int && got != ints[i].want))
            fprintf(stderr, "  int %s: is_int %d value %lld\n", ints[i].text, is_int, (long long)got);
        CHECK(is_int == ints[i].is_int);
        if (ints[i].is_int)
            CHECK(got == ints[i].want);
        else
            CHECK(got == 12345);
        json_doc_free(doc);
    }
    /* the DOM reader's wide fast path (a number with 40 bytes after it) at its edges: 15 and 16
     * integer digits, 19 and 20 significant digits, a fraction up to and past its 32-byte mask,
     * zeros, exponents and malformed numbers */
    static const char *const edges[] = {
        "123456789012345", "-123456789012345", "1234567890123456", "999999999999999",
        "1234567890.123456789", "1234567890.1234567891", "0.1234567890123456789",
        "1.0000000000000000000000000001", "12345678901234.1234567890123456", "1.2345678901234567890",
        "1234567890123.12345678901234567", "123456789012345.1", "-0.0", "0.000", "-0.000000000000000000",
        "1.5E3", "123.456e7", "9.e1", "1.5-", "-", "-a", "0.5x", "100", "-9", "7.25", "65.613616999999977",
        "-65.613616999999977", "43.420273000000009", "0.00000000000000000001", "1234567.8901234567890",
    };
    for (size_t i = 0; i < N_ELEMS(edges); i++)
        check_padded(edges[i]);
    for (size_t i = 0; i < N_ELEMS(nums); i++)
        check_padded(nums[i].text);
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        check_padded(bad[i].text);
    for (size_t i = 0; i < N_ELEMS(ints); i++)
        check_padded(ints[i].text);

    doc = parse("\"1\"");
    int64_t dummy;
    CHECK(!json_get_int(json_doc_root(doc), &dummy));
    CHECK(json_get_num(json_doc_root(doc)) == 0);
    json_doc_free(doc);
}

static void test_strings(void)
{
    static const struct {
        const char *json;
        const char *want;
        size_t want_len; /* 0: strlen(want) */
    } cases[] = {
        {"\"\"", "", 0},
        {"\"abc\"", "abc", 0},
        {"\"\\\"\"", "\"", 0},
        {"\"\\\\\"", "\\", 0},
        {"\"\\/\"", "/", 0},
        {"\"/\"", "/", 0},
        {"\"\\b\"", "\b", 0},
        {"\"\\f\"", "\f", 0},
        {"\"\\n\"", "\n", 0},
        {"\"\\r\"", "\r", 0},
        {"\"\\t\"", "\t", 0},
        {"\"\\u0041\"", "A", 0},
        {"\"\\u00e9\\u00E9\"", "\xC3\xA9\xC3\xA9", 0},
        {"\"\\u07FF\"", "\xDF\xBF", 0},
        {"\"\\u0800\"", "\xE0\xA0\x80", 0},
        {"\"\\u20AC\"", "\xE2\x82\xAC", 0},
        {"\"\\uFFFF\"", "\xEF\xBF\xBF", 0},
        {"\"\\uD7FF\\uE000\"", "\xED\x9F\xBF\xEE\x80\x80", 0},
        {"\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80", 0},
        {"\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 0},
        {"\"\\uD800\\uDC00\"", "\xF0\x90\x80\x80", 0},
        {"\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF", 0},
        {"\"\\u0000\"", "\0", 1},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 0},
        {"\"\x7F\"", "\x7F", 0},
        {"\"\xC2\x80\"", "\xC2\x80", 0},
        {"\"\xDF\xBF\"", "\xDF\xBF", 0},
        {"\"\xE0\xA0\x80\"", "\xE0\xA0\x80", 0},
        {"\"\xED\x9F\xBF\"", "\xED\x9F\xBF", 0},
        {"\"\xEE\x80\x80\"", "\xEE\x80\x80", 0},
        {"\"\xEF\xBF\xBF\"", "\xEF\xBF\xBF", 0},
        {"\"\xF0\x90\x80\x80\"", "\xF0\x90\x80\x80", 0},
        {"\"\xF4\x8F\xBF\xBF\"", "\xF4\x8F\xBF\xBF", 0},
        {"\"\xE2\x80\xA8\xE2\x80\xA9\"", "\xE2\x80\xA8\xE2\x80\xA9", 0},
        {"\"h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x8E\x89\"", "h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x8E\x89", 0},
        /* one-letter escapes between runs of text of every kind, then a \u escape */
        {"\"a\\nb\xE3\x81\x82\xE3\x81\x84\\\"c\xC3\xA9\\t\"", "a\nb\xE3\x81\x82\xE3\x81\x84\"c\xC3\xA9\t", 0},
        {"\"\\n\\u0041\\t\\/x\"", "\nA\t/x", 0},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        json_error err;
        json_doc *doc = json_read(cases[i].json, strlen(cases[i].json), NULL, &err);
        CHECK(doc != NULL);
        if (!doc) {
            fprintf(stderr, "  string case %zu [%s]: %s\n", i, cases[i].json, err.msg);
            continue;
        }
        size_t want_len = cases[i].want_len ? cases[i].want_len : strlen(cases[i].want);
        size_t len = 999;
        const char *s = json_get_str(json_doc_root(doc), &len);
        CHECK(s != NULL && len == want_len && memcmp(s, cases[i].want, want_len) == 0);
        CHECK(s != NULL && s[len] == '\0');
        json_doc_free(doc);
    }

    static const reject_case bad[] = {
        {"\"abc", 0, "unterminated string"},
        {"\"", 0, "unterminated string"},
        {"\"\\", 0, "unterminated string"},
        {"\"\\\"", 0, "unterminated string"},
        {"[\"a]", 0, "unterminated string"},
        {"\"\\x\"", 0, "invalid escape sequence"},
        {"\"\\a\"", 0, "invalid escape sequence"},
        {"\"\\'\"", 0, "invalid escape sequence"},
        {"\"\\0\"", 0, "invalid escape sequence"},
        {"\"\\U0041\"", 0, "invalid escape sequence"},
        {"\"\\ \"", 0, "invalid escape sequence"},
        {"\"\\u\"", 0, "invalid \\u escape"},
        {"\"\\u12\"", 0, "invalid \\u escape"},
        {"\"\\u12G4\"", 0, "invalid \\u escape"},
        {"\"\\u-123\"", 0, "invalid \\u escape"},
        {"\"\\u123", 0, "invalid \\u escape"},
        {"\"\\uD800\"", 0, "unpaired surrogate"},
        {"\"\\uD800x\"", 0, "unpaired surrogate"},
        {"\"\\uDBFF\\n\"", 0, "unpaired surrogate"},
        {"\"\\uD800\\u0041\"", 0, "unpaired surrogate"},
        {"\"\\uD800\\uD800\"", 0, "unpaired surrogate"},
        {"\"\\uD800\\uE000\"", 0, "unpaired surrogate"},
        {"\"\\uD800\\uDC0\"", 0, "unpaired surrogate"},
        {"\"\\uDC00\"", 0, "unpaired surrogate"},
        {"\"\\uDFFF\\uD800\"", 0, "unpaired surrogate"},
        {"\"\\uD800", 0, "unpaired surrogate"},
        /* UTF-8 */
        {"\"\xC0\x80\"", 0, "invalid UTF-8"},             /* overlong NUL */
        {"\"\xC0\xAF\"", 0, "invalid UTF-8"},             /* overlong '/' */
        {"\"\xC1\xBF\"", 0, "invalid UTF-8"},
        {"\"\xE0\x80\x80\"", 0, "invalid UTF-8"},         /* overlong 3-byte */
        {"\"\xE0\x9F\xBF\"", 0, "invalid UTF-8"},
        {"\"\xF0\x80\x80\x80\"", 0, "invalid UTF-8"},     /* overlong 4-byte */
        {"\"\xF0\x8F\xBF\xBF\"", 0, "invalid UTF-8"},
        {"\"\xED\xA0\x80\"", 0, "invalid UTF-8"},         /* U+D800 */
        {"\"\xED\xBF\xBF\"", 0, "invalid UTF-8"},         /* U+DFFF */
        {"\"\xED\xA0\xBD\xED\xB8\x80\"", 0, "invalid UTF-8"}, /* CESU-8 pair */
        {"\"\xF4\x90\x80\x80\"", 0, "invalid UTF-8"},     /* U+110000 */
        {"\"\xF5\x80\x80\x80\"", 0, "invalid UTF-8"},
        {"\"\xF7\xBF\xBF\xBF\"", 0, "invalid UTF-8"},
        {"\"\xF8\x88\x80\x80\x80\"", 0, "invalid UTF-8"},
        {"\"\xFC\x84\x80\x80\x80\x80\"", 0, "invalid UTF-8"},
        {"\"\xFE\"", 0, "invalid UTF-8"},
        {"\"\xFF\"", 0, "invalid UTF-8"},
        {"\"\x80\"", 0, "invalid UTF-8"},                 /* lone continuation */
        {"\"\xBF\"", 0, "invalid UTF-8"},
        {"\"\xC3\"", 0, "invalid UTF-8"},                 /* truncated */
        {"\"\xC3", 0, "invalid UTF-8"},
        {"\"\xE2\x82\"", 0, "invalid UTF-8"},
        {"\"\xE2\x82", 0, "invalid UTF-8"},
        {"\"\xF0\x9F\x98\"", 0, "invalid UTF-8"},
        {"\"\xF0\x9F\x98", 0, "invalid UTF-8"},
        {"\"\xC3\x28\"", 0, "invalid UTF-8"},             /* bad continuation */
        {"\"\xE2\x28\xA1\"", 0, "invalid UTF-8"},
        {"\"\xE2\x82\x28\"", 0, "invalid UTF-8"},
        {"\"\xF0\x9F\x98\x28\"", 0, "invalid UTF-8"},
        {"{\"\xFF\":1}", 0, "invalid UTF-8"},             /* keys too */
        /* each kind of error after a one-letter escape */
        {"\"\\n\\x\"", 0, "invalid escape sequence"},
        {"\"\\n\xFF\"", 0, "invalid UTF-8"},
        {"\"\\t\x01\"", 0, "unescaped control character"},
        {"\"\\n", 0, "unterminated string"},
        {"\"\\n\\", 0, "unterminated string"},
        {"\"\\n\\u12\"", 0, "invalid \\u escape"},
        {"\"\\n\\uD800\"", 0, "unpaired surrogate"},
        /* an invalid three-byte form next to a valid one, either order (pairs are checked at once) */
        {"\"\xED\xA0\x80\xE2\x82\xAC\"", 0, "invalid UTF-8"},
        {"\"\xE2\x82\xAC\xED\xA0\x80\"", 0, "invalid UTF-8"},
        {"\"\xE0\x80\x80\xE2\x82\xAC\"", 0, "invalid UTF-8"},
        {"\"\xE2\x82\xAC\xE2\x82\x28\"", 0, "invalid UTF-8"},
        {"\"\xE2\x82\xAC\xC3\x28\"", 0, "invalid UTF-8"},
        {"\"\xC1\xBF\xE2\x82\xAC\"", 0, "invalid UTF-8"},
    };
    check_rejects(bad, N_ELEMS(bad));

    /* Every raw control character is rejected, inside values and keys. */
    for (int c = 0; c < 0x20; c++) {
        char s[8] = {'"', 'a', (char)c, 'b', '"'};
        json_error err;
        CHECK(json_read(s, 5, NULL, &err) == NULL);
        CHECK_STR(err.msg, "unescaped control character in string");
        CHECK(err.offset == 2);
        char k[10] = {'{', '"', (char)c, '"', ':', '1', '}'};
        CHECK(json_read(k, 7, NULL, &err) == NULL);
        CHECK_STR(err.msg, "unescaped control character in string");
    }

    /* Keys are unescaped the same way; json_obj_get matches the unescaped bytes. */
    json_doc *doc = parse("{\"\\u0041\\n\":1,\"a\\u0000b\":2}");
    const json_value *r = json_doc_root(doc);
    CHECK(json_get_num(json_obj_get(r, "A\n")) == 1);
    size_t klen = 0;
    CHECK(memcmp(json_obj_key_at(r, 1, &klen), "a\0b", 4) == 0 && klen == 3);
    CHECK(json_obj_get(r, "a") == NULL);
    json_doc_free(doc);

    /* The same strings as array elements and keys after another string, with bytes after them:
     * the reader's copy-while-scanning path (16 bytes of input and arena at a time) meets them
     * there; errors keep their messages at the shifted offset. */
    for (size_t i = 0; i < N_ELEMS(cases) + N_ELEMS(bad); i++) {
        const char *text = i < N_ELEMS(cases) ? cases[i].json : bad[i - N_ELEMS(cases)].text;
        if (text[0] != '"')
            continue;
        for (int as_key = 0; as_key < 2; as_key++) {
            static const char pad[] = "                                                ";
            const char *head = as_key ? "{\"warm\":0, " : "[\"warm\", ";
            const char *tail = as_key ? ":1}" : "]";
            size_t hl = strlen(head), tl = strlen(tail), xl = strlen(text), pl = strlen(pad);
            char *buf = malloc(hl + xl + tl + pl);
            memcpy(buf, head, hl);
            memcpy(buf + hl, text, xl);
            memcpy(buf + hl + xl, tail, tl);
            memcpy(buf + hl + xl + tl, pad, pl);
            json_error err, berr;
            json_doc *bare = json_read(text, xl, NULL, &berr);
            json_doc *wrapped = json_read(buf, hl + xl + tl + pl, NULL, &err);
            bool same;
            if (bare && wrapped) {
                size_t bl = 0, dl = 0;
                const char *bs = json_get_str(json_doc_root(bare), &bl);
                const json_value *root = json_doc_root(wrapped);
                const char *ds = as_key ? json_obj_key_at(root, 1, &dl) : json_get_str(json_arr_get(root, 1), &dl);
                same = bs && ds && bl == dl && memcmp(bs, ds, bl) == 0 && ds[dl] == '\0';
            } else {
                /* an unterminated string at the end of the bare text runs into the tail here */
                same = !bare && !wrapped && (strcmp(err.msg, berr.msg) == 0 || strstr(berr.msg, "unterminated")) &&
                       (err.offset == berr.offset + hl || strstr(berr.msg, "unterminated"));
            }
            if (!same)
                fprintf(stderr, "  string %s as %s: read differently after another string\n", text,
                        as_key ? "key" : "element");
            CHECK(same);
            json_doc_free(bare);
            json_doc_free(wrapped);
            free(buf);
        }
    }

    /* Many strings of every length from 0 to 49, some with an escape or a two-byte character
     * at some position: they end at every offset of the 16-byte blocks and run over the ends
     * of arena chunks. */
    {
        size_t count = 3000, cap = count * 64 + 2, o = 0;
        char *text = malloc(cap), (*want)[64] = malloc(count * 64);
        text[o++] = '[';
        for (size_t i = 0; i < count; i++) {
            size_t len = i % 50, w = 0;
            text[o++] = '"';
            for (size_t k = 0; k < len; k++) {
                if (i % 7 == 3 && k == i % len) {
                    memcpy(text + o, "\\n", 2), o += 2;
                    want[i][w++] = '\n';
                } else if (i % 11 == 5 && k == (i / 2) % len) {
                    memcpy(text + o, "\xC3\xA9", 2), o += 2;
                    memcpy(want[i] + w, "\xC3\xA9", 2), w += 2;
                } else {
                    text[o++] = want[i][w++] = (char)('a' + (i + k) % 26);
                }
            }
            want[i][w] = '\0';
            text[o++] = '"';
            text[o++] = i + 1 < count ? ',' : ']';
        }
        json_doc *many = json_read(text, o, NULL, NULL);
        CHECK(many != NULL && json_arr_len(json_doc_root(many)) == count);
        size_t bad_strings = 0;
        for (size_t i = 0; many && i < count; i++) {
            size_t len = 0;
            const char *s = json_get_str(json_arr_get(json_doc_root(many), i), &len);
            if (!s || len != strlen(want[i]) || memcmp(s, want[i], len + 1) != 0)
                bad_strings++;
        }
        CHECK(bad_strings == 0);
        json_doc_free(many);
        free(text);
        free(want);
    }

    /* A long string spanning several arena chunks. */
    size_t n = 300000;
    char *big = malloc(n + 3);
    big[0] = '"';
    for (size_t i = 1; i <= n; i++)
        big[i] = (char)('a' + i % 26);
    big[n + 1] = '"';
    big[n + 2] = '\0';
    doc = json_read(big, n + 2, NULL, NULL);
    size_t len = 0;
    const char *s = json_get_str(json_doc_root(doc), &len);
    CHECK(s && len == n && memcmp(s, big + 1, n) == 0);
    json_doc_free(doc);
    free(big);
}

static char *nested(size_t depth, const char *open, const char *inner, const char *close)
{
    size_t lo = strlen(open), li = strlen(inner), lc = strlen(close);
    char *s = malloc(depth * (lo + lc) + li + 1), *p = s;
    for (size_t i = 0; i < depth; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, inner, li);
    p += li;
    for (size_t i = 0; i < depth; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

static bool parses(const char *s, size_t max_depth, json_error *err)
{
    json_read_opts opts = {.max_depth = max_depth};
    json_doc *doc = json_read(s, strlen(s), &opts, err);
    json_doc_free(doc);
    return doc != NULL;
}

static void test_depth(void)
{
    json_error err;
    char *s = nested(JSON_DEFAULT_MAX_DEPTH, "[", "", "]");
    CHECK(parses(s, 0, &err));
    free(s);
    s = nested(JSON_DEFAULT_MAX_DEPTH + 1, "[", "", "]");
    CHECK(!parses(s, 0, &err));
    CHECK_STR(err.msg, "nesting too deep");
    CHECK(err.offset == JSON_DEFAULT_MAX_DEPTH && err.line == 1);
    free(s);
    s = nested(JSON_DEFAULT_MAX_DEPTH, "{\"k\":", "1", "}");
    CHECK(parses(s, 0, &err));
    free(s);
    s = nested(JSON_DEFAULT_MAX_DEPTH + 1, "{\"k\":", "1", "}");
    CHECK(!parses(s, 0, &err));
    CHECK_STR(err.msg, "nesting too deep");
    free(s);

    CHECK(parses("[[[1]]]", 3, &err));
    CHECK(!parses("[[[[1]]]]", 3, &err));
    CHECK_STR(err.msg, "nesting too deep");
    CHECK(err.offset == 3);
    CHECK(parses("[{\"a\":[]}]", 3, &err));
    CHECK(!parses("[{\"a\":[{}]}]", 3, &err));
    CHECK(parses("1", 1, &err) && parses("[]", 1, &err) && !parses("[[]]", 1, &err));
    CHECK(parses("[[],[],{}]", 2, &err));

    /* Iterative: a huge depth limit with deep input must not blow the C stack. */
    s = nested(1000000, "[", "", "]");
    CHECK(parses(s, SIZE_MAX, &err));
    CHECK(!parses(s, 0, &err));
    s[1000000 + 999999] = '\0'; /* drop the last ']' */
    CHECK(!parses(s, SIZE_MAX, &err));
    CHECK_STR(err.msg, "unexpected end of input");
    free(s);
}

static void test_error_positions(void)
{
    static const struct {
        const char *text;
        size_t offset, line, column;
        const char *msg;
    } cases[] = {
        {"", 0, 1, 1, "empty input"},
        {"  ", 2, 1, 3, "empty input"},
        {"x", 0, 1, 1, "unexpected character 'x'"},
        {"[1,\n 2,\n x]", 9, 3, 2, "unexpected character 'x'"},
        {"{\"a\":1,}", 7, 1, 8, "trailing comma"},
        {"\n\n  \"abc", 4, 3, 3, "unterminated string"},
        {"[1] x", 4, 1, 5, "trailing characters after the value"},
        {"\"\xC3\x28\"", 1, 1, 2, "invalid UTF-8"},
        {"[\n1e400]", 2, 2, 1, "number out of range"},
        {"\r\n1x", 3, 2, 2, "trailing characters after the value"},
        {"[\"a\\qb\"]", 3, 1, 4, "invalid escape sequence"},
        {"[\"\\uD800\"]", 2, 1, 3, "unpaired surrogate in \\u escape"},
        {"[01]", 2, 1, 3, "leading zeros are not allowed"},
        {"1.x", 2, 1, 3, "expected digit after '.'"},
        {"[1", 2, 1, 3, "unexpected end of input"},
        {"{\"a\":1\n\n,\"b\" 2}", 13, 3, 6, "expected ':' after object key"},
        {"[tru]", 1, 1, 2, "invalid literal (expected 'true')"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        json_error err;
        CHECK(json_read(cases[i].text, strlen(cases[i].text), NULL, &err) == NULL);
        if (err.offset != cases[i].offset || err.line != cases[i].line ||
            err.column != cases[i].column || strcmp(err.msg, cases[i].msg) != 0)
            fprintf(stderr, "  position case %zu: %zu %zu:%zu \"%s\"\n", i, err.offset, err.line,
                    err.column, err.msg);
        CHECK(err.offset == cases[i].offset);
        CHECK(err.line == cases[i].line);
        CHECK(err.column == cases[i].column);
        CHECK_STR(err.msg, cases[i].msg);
    }

    json_error err;
    char out[128];
    json_read("[1,\n 2,\n x]", 11, NULL, &err);
    json_error_format(&err, "f.json", out, sizeof out);
    CHECK_STR(out, "f.json:3:2 (byte 9): unexpected character 'x'");
    json_error_format(&err, "f.json", out, 5);
    CHECK_STR(out, "f.js");
    json_error_format(&err, "f.json", out, 0); /* must not write */
}

static void test_indentation(void)
{
    /* Newline-and-indentation runs of every length around the 8-, 16- and 32-byte steps, after
     * '[' and after a comma, before a value, a closer, an error and the end of input, of spaces
     * or of all four whitespace bytes, with and without 48 bytes of trailing whitespace (so the
     * vector paths that need 32 readable bytes run too): both readers skip exactly the
     * whitespace, checked against what the text holds, not only against each other. */
    char text[192];
    for (int after_comma = 0; after_comma < 2; after_comma++) {
        for (size_t n = 0; n < 70; n++) {
            for (int tail = 0; tail < 4; tail++) {
                for (int variant = 0; variant < 4; variant++) {
                    bool mixed = variant & 1, padded = variant & 2;
                    size_t o = 0;
                    text[o++] = '[';
                    if (after_comma) {
                        text[o++] = '0';
                        text[o++] = ',';
                    }
                    text[o++] = '\n';
                    for (size_t w = 0; w < n; w++)
                        text[o++] = mixed ? " \t\r\n"[w % 4] : ' ';
                    size_t at = o;
                    static const char *const tails[] = {"1]", "x]", "\t1\n]", ""};
                    size_t tl = strlen(tails[tail]);
                    memcpy(text + o, tails[tail], tl);
                    o += tl;
                    if (padded) {
                        memset(text + o, tail == 3 ? ' ' : '\n', 48);
                        o += 48;
                    }
                    json_error err;
                    json_doc *doc = json_read(text, o, NULL, &err);
                    json_od od;
                    json_od_init(&od, 0);
                    json_od_reset(&od, text, o);
                    json_od_number num = {0};
                    bool od_ok = json_od_arr_begin(&od);
                    if (after_comma)
                        od_ok = od_ok && json_od_arr_next(&od, 0) && json_od_num(&od, &num) && num.ival == 0;
                    od_ok = od_ok && json_od_arr_next(&od, after_comma) && json_od_num(&od, &num) &&
                            num.ival == 1 && !json_od_arr_next(&od, 1 + after_comma) && json_od_finish(&od);
                    json_error od_err;
                    if (!od_ok)
                        json_od_error(&od, &od_err);
                    json_od_free(&od);
                    CHECK((doc != NULL) == (tail == 0 || tail == 2));
                    CHECK(od_ok == (doc != NULL));
                    if (tail == 1) {
                        CHECK(err.offset == at && od_err.offset == at);
                        CHECK_STR(err.msg, "unexpected character 'x'");
                    }
                    if (tail == 3)
                        CHECK(err.offset == o && od_err.offset == o && !strcmp(err.msg, "unexpected end of input"));
                    if (doc) {
                        const json_value *r = json_doc_root(doc);
                        int64_t last = -1;
                        CHECK(json_arr_len(r) == 1 + (size_t)after_comma);
                        CHECK(json_get_int(json_arr_get(r, (size_t)after_comma), &last) && last == 1);
                    }
                    json_doc_free(doc);
                }
            }
        }
    }
}

/* The on-demand reader's scanner levels, and a reader on text[0..n) with level k forced; false
 * (nothing to free) when this build or CPU has no such level. */
static const char *const od_scanners[] = {"scalar", "sse2", "avx2", "avx512"};

static bool od_open_level(json_od *od, size_t k, const char *text, size_t n)
{
    json_od_init(od, 0);
    if (!json_od_use_scanner(od, od_scanners[k])) {
        json_od_free(od);
        return false;
    }
    json_od_reset(od, text, n);
    return true;
}

/* Strings of valid and invalid UTF-8 pieces at every offset around the 32-byte blocks, read by
 * each string scanner: the on-demand reader gives the DOM reader's bytes, or its error at the
 * same offset with the same message. */
static void test_utf8_scanners(void)
{
    static const char *const pieces[] = {
        "a", " ", "\xC3\xA9", "\xE3\x81\x82", "\xF0\x9F\x98\x8B", "\xED\x9F\xBF", "\xEF\xBF\xBF",
        "\xF4\x8F\xBF\xBF", "\x7F", "\\n", "\\u00E9", "\\\"", "\\\\",
        /* invalid: overlongs, surrogates, too large, lone and extra continuations, cut leads */
        "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x80\x80\x80",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\x80", "\xBF", "\xC3", "\xE3\x81", "\xF0\x9F\x98",
        "\x01", "\\q", "\\uD800", "\\"};
    enum { N_VALID = 13 };
    char text[256];
    uint64_t rng = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 3000; round++) {
        size_t o = 0;
        text[o++] = '"';
        rng = rng * 6364136223846793005u + 1442695040888963407u;
        size_t lead = (size_t)(rng >> 33) % 40, pieces_n = 1 + (size_t)(rng >> 45) % 60;
        memset(text + o, 'x', lead);
        o += lead;
        bool any_bad = round % 3 != 0; /* a third of the strings are all valid */
        for (size_t k = 0; k < pieces_n && o < 200; k++) {
            rng = rng * 6364136223846793005u + 1442695040888963407u;
            size_t np = any_bad && (rng >> 60) == 0 ? N_ELEMS(pieces) : N_VALID;
            const char *pc = pieces[(rng >> 33) % np];
            memcpy(text + o, pc, strlen(pc));
            o += strlen(pc);
        }
        bool unterminated = round % 7 == 3;
        if (!unterminated)
            text[o++] = '"';
        json_error derr;
        json_doc *doc = json_read(text, o, NULL, &derr);
        for (size_t k = 0; k < N_ELEMS(od_scanners); k++) {
            json_od od;
            if (!od_open_level(&od, k, text, o))
                continue;
            json_od_string s;
            bool ok = json_od_str(&od, &s) && json_od_finish(&od);
            json_error err;
            if (!ok)
                json_od_error(&od, &err);
            bool same = ok == (doc != NULL);
            if (same && ok) {
                size_t dl;
                const char *ds = json_get_str(json_doc_root(doc), &dl);
                same = dl == s.len && memcmp(ds, s.ptr, dl) == 0;
            } else if (same) {
                same = err.offset == derr.offset && strcmp(err.msg, derr.msg) == 0;
            }
            if (!same)
                fprintf(stderr, "  utf8 round %d scanner %s: ok %d (dom %d) offset %zu (dom %zu) %s\n", round,
                        od_scanners[k], ok, doc != NULL, ok ? 0 : err.offset, doc ? 0 : derr.offset, ok ? "" : err.msg);
            CHECK(same);
            json_od_free(&od);
        }
        json_doc_free(doc);
    }
}

/* The on-demand reader's value v against the DOM reader's d; false at the first difference. */
static bool od_matches(json_od *od, const json_value *d)
{
    json_od_string s;
    json_od_number n;
    json_type t = json_od_peek(od);
    if (json_od_failed(od) || t != json_get_type(d))
        return false;
    switch (t) {
    case JSON_ARRAY: {
        if (!json_od_arr_begin(od))
            return false;
        size_t i = 0;
        for (; json_od_arr_next(od, i); i++)
            if (i >= json_arr_len(d) || !od_matches(od, json_arr_get(d, i)))
                return false;
        return !json_od_failed(od) && i == json_arr_len(d);
    }
    case JSON_OBJECT: {
        if (!json_od_obj_begin(od))
            return false;
        size_t i = 0, kl;
        for (; json_od_obj_next(od, i, &s); i++) {
            if (i >= json_obj_len(d))
                return false;
            const char *k = json_obj_key_at(d, i, &kl);
            /* every third value skipped: the walk must find its place again after json_od_skip */
            if (kl != s.len || memcmp(k, s.ptr, kl) != 0 ||
                !(i % 3 == 2 ? json_od_skip(od) : od_matches(od, json_obj_val_at(d, i))))
                return false;
        }
        return !json_od_failed(od) && i == json_obj_len(d);
    }
    case JSON_STRING: {
        size_t dl;
        const char *ds = json_get_str(d, &dl);
        return json_od_str(od, &s) && s.len == dl && memcmp(s.ptr, ds, dl) == 0;
    }
    case JSON_NUMBER:
        return json_od_num(od, &n) && n.num == json_get_num(d);
    default:
        return json_od_lit(od, NULL);
    }
}

/* Every value read with json_od_peek and the typed reads (json_od_skip reads with json_od_any). */
static bool od_peek_walk(json_od *od)
{
    json_od_string s;
    json_od_number n;
    switch (json_od_peek(od)) {
    case JSON_ARRAY:
        if (!json_od_arr_begin(od))
            return false;
        for (size_t i = 0; json_od_arr_next(od, i); i++)
            if (!od_peek_walk(od))
                return false;
        return !json_od_failed(od);
    case JSON_OBJECT:
        if (!json_od_obj_begin(od))
            return false;
        for (size_t i = 0; json_od_obj_next(od, i, &s); i++)
            if (!od_peek_walk(od))
                return false;
        return !json_od_failed(od);
    case JSON_STRING: return json_od_str(od, &s);
    case JSON_NUMBER: return json_od_num(od, &n);
    default: return !json_od_failed(od) && json_od_lit(od, NULL);
    }
}

/* od_matches with json_od_any: each value's type and value from one call. */
static bool od_any_matches(json_od *od, const json_value *d)
{
    json_od_value v;
    json_type t;
    if (!json_od_any(od, &t, &v) || t != json_get_type(d))
        return false;
    switch (t) {
    case JSON_ARRAY: {
        size_t i = 0;
        for (; json_od_arr_next(od, i); i++)
            if (i >= json_arr_len(d) || !od_any_matches(od, json_arr_get(d, i)))
                return false;
        return !json_od_failed(od) && i == json_arr_len(d);
    }
    case JSON_OBJECT: {
        size_t i = 0, kl;
        json_od_string key;
        for (; json_od_obj_next(od, i, &key); i++) {
            if (i >= json_obj_len(d))
                return false;
            const char *k = json_obj_key_at(d, i, &kl);
            if (kl != key.len || memcmp(k, key.ptr, kl) != 0 ||
                !(i % 3 == 1 ? json_od_skip(od) : od_any_matches(od, json_obj_val_at(d, i))))
                return false;
        }
        return !json_od_failed(od) && i == json_obj_len(d);
    }
    case JSON_STRING: {
        size_t dl;
        const char *ds = json_get_str(d, &dl);
        return v.str.len == dl && memcmp(v.str.ptr, ds, dl) == 0;
    }
    case JSON_NUMBER: {
        int64_t iv = 0;
        bool is_int = json_get_int(d, &iv);
        return same_double(v.num.num, json_get_num(d)) && v.num.is_int == is_int && (!is_int || v.num.ival == iv);
    }
    default:
        return true;
    }
}

/* Once the on-demand reader has failed, every read returns false (peek JSON_NULL) wherever it
 * failed, the first failure is kept, and the offset is the failure's; json_od_fail records a
 * caller's failure the same way. */
static void test_od_after_failure(void)
{
    static const char *const docs[] = {"[1, 2 x]", "{\"a\": [true, nul]}", "[\"abc", "[1,]", "{\"a\" 1}", "[[[[", "  "};
    for (size_t k = 0; k < N_ELEMS(docs); k++) {
        for (int caller = 0; caller < 2; caller++) {
            json_od od;
            json_od_init(&od, 0);
            json_od_reset(&od, docs[k], strlen(docs[k]));
            json_error first;
            if (caller) {
                CHECK(!json_od_fail(&od, 1, "mine"));
            } else {
                bool ok = json_od_skip(&od) && json_od_finish(&od);
                CHECK(!ok);
            }
            CHECK(json_od_failed(&od));
            json_od_error(&od, &first);
            CHECK(!caller || (first.offset == 1 && strcmp(first.msg, "mine") == 0));
            json_od_string s;
            json_od_number n;
            json_od_value v;
            json_type t;
            CHECK(json_od_peek(&od) == JSON_NULL);
            CHECK(!json_od_any(&od, &t, &v) && !json_od_str(&od, &s) && !json_od_num(&od, &n));
            CHECK(!json_od_lit(&od, &t) && !json_od_arr_begin(&od) && !json_od_obj_begin(&od));
            CHECK(!json_od_arr_next(&od, 0) && !json_od_arr_next(&od, 1));
            CHECK(!json_od_obj_next(&od, 0, &s) && !json_od_obj_next(&od, 1, &s));
            CHECK(!json_od_skip(&od) && !json_od_finish(&od));
            CHECK(!json_od_fail(&od, 0, "later"));
            CHECK(json_od_offset(&od) == first.offset);
            json_error again;
            json_od_error(&od, &again);
            CHECK(again.offset == first.offset && strcmp(again.msg, first.msg) == 0);
            json_od_free(&od);
        }
    }
}

/* Documents of strings with runs of backslashes and quotes, numbers, literals and containers
 * behind whitespace of every length, so tokens fall at every place around 32- and 64-byte blocks
 * (written for a structural index that was measured slower and removed; it tests any block-wise
 * scan); some carry a fault (a run glued to a value, a stray backslash or quote, an unterminated
 * string). Each scanner level must give the DOM reader's values, or its error at the same offset
 * with the same message. */
/* text[0..n) read by the on-demand reader at scanner level k against the DOM reader's doc (NULL:
 * it failed with derr): the same values walked with the typed reads and with json_od_any, or the
 * same error at the same offset from json_od_skip and from the peek walk. True where this build
 * or CPU has no such level. */
static bool od_agrees_at_level(size_t k, const char *text, size_t n, const json_doc *doc, const json_error *derr,
                               const char *what, int round)
{
    json_od od;
    if (!od_open_level(&od, k, text, n))
        return true;
    bool same;
    json_error err = {0}, perr = {0};
    if (doc) {
        same = od_matches(&od, json_doc_root(doc)) && json_od_finish(&od);
        json_od_reset(&od, text, n);
        same = same && od_any_matches(&od, json_doc_root(doc)) && json_od_finish(&od);
    } else {
        bool ok = json_od_skip(&od) && json_od_finish(&od);
        if (!ok)
            json_od_error(&od, &err);
        json_od_reset(&od, text, n);
        bool pok = od_peek_walk(&od) && json_od_finish(&od);
        if (!pok)
            json_od_error(&od, &perr);
        same = !ok && err.offset == derr->offset && strcmp(err.msg, derr->msg) == 0 && !pok &&
               perr.offset == derr->offset && strcmp(perr.msg, derr->msg) == 0;
    }
    if (!same)
        fprintf(stderr, "  %s round %d scanner %s: dom %s, offsets %zu %zu (dom %zu)\n", what, round, od_scanners[k],
                doc ? "ok" : "failed", err.offset, perr.offset, doc ? 0 : derr->offset);
    json_od_free(&od);
    return same;
}

static void test_od_blocks(void)
{
    static const char *const values[] = {
        "\"a\"", "\"\\\\\"", "\"\\\"\"", "\"\\\\\\\"x\"", "\"\\\\\\\\\"", "\"x\\\\\\\\\\\\\\\"y\"",
        "\"[{,:}]\"", "\"\\u0041\\\\\"", "-12.5e3", "0", "123456789012", "true", "false", "null",
        "[]", "{}", "[\"\\\\\", 1]", "{\"k\\\"\": [null, \"}\"]}", "{\"a\":1,\"b\":{\"c\":\"\\\\\"}}"};
    static const char *const faults[] = {"1x", "\"a\"1", "\\\"", "truefalse", "\"\\\\\"\"", "tru", "[1,]",
                                         "\"abc", "1.", "{\"a\" 1}", "@"};
    enum { CAP = 40000 };
    char *text = malloc(CAP);
    CHECK(text != NULL);
    if (!text)
        return;
    uint64_t rng = 0x243F6A8885A308D3u;
    for (int round = 0; round < 400; round++) {
        size_t o = 0, target = round % 20 == 0 ? 35000 : 64 + (size_t)round % 300;
        bool fault = round % 4 == 3;
        text[o++] = '[';
        for (size_t k = 0; o < target; k++) {
            rng = rng * 6364136223846793005u + 1442695040888963407u;
            if (k)
                text[o++] = ',';
            size_t ws = (rng >> 58) % 8 == 0 ? (size_t)(rng >> 20) % 70 : (size_t)(rng >> 20) % 2;
            for (size_t w = 0; w < ws; w++)
                text[o++] = " \n\t\r"[(rng >> (w % 30)) & 3];
            const char *v = values[(rng >> 33) % N_ELEMS(values)];
            if (fault && o + 200 > target) {
                v = faults[(rng >> 40) % N_ELEMS(faults)];
                fault = false;
            }
            memcpy(text + o, v, strlen(v));
            o += strlen(v);
            if ((rng >> 61) & 1)
                text[o++] = (rng >> 62) & 1 ? ' ' : '\n';
        }
        text[o++] = ']';
        json_error derr;
        json_doc *doc = json_read(text, o, NULL, &derr);
        for (size_t k = 0; k < N_ELEMS(od_scanners); k++)
            CHECK(od_agrees_at_level(k, text, o, doc, &derr, "blocks", round));
        json_doc_free(doc);
    }
    free(text);
}

/* json_od_obj_next reads plain keys within 32 bytes inline: keys that repeat and keys that change
 * from one object to the next, keys with an escaped quote, a backslash, non-ASCII text or an
 * escape before their end, keys of 31 to 40 bytes, the empty key, more than 16 members and 16
 * levels, and keys within 32 bytes of the end, damaged or whole. The keys, values and errors are
 * the DOM reader's, at every scanner level. */
static void test_od_keys(void)
{
    static const char *const keys[] = {
        "id", "amount", "seatCategoryId", "a\\\"b", "ab\\\"", "\\\"", "x\\\\", "\\u0022q", "caf\u00e9",
        "\u65e5\u672c", "tab\\there", "", "k", "0123456789012345678901234567890",
        "01234567890123456789012345678901", "012345678901234567890123456789012",
        "0123456789012345678901234567890123456789", "ab", "abc", "abcd\\nxyz"};
    enum { CAP = 60000 };
    char *text = malloc(CAP);
    CHECK(text != NULL);
    if (!text)
        return;
    uint64_t r = 0x9E3779B97F4A7C15u;
    int changed = 0, valid = 0;
    for (int round = 0; round < 300; round++) {
        size_t o = 0;
        int members = 1 + round % 20, depth = round % 40 == 0 ? 18 : 1 + round % 3;
        size_t pick[20];
        for (int j = 0; j < members; j++)
            pick[j] = (size_t)(j * 7 + round) % N_ELEMS(keys);
        text[o++] = '[';
        for (int obj = 0; obj < 12 && o < CAP - 8000; obj++) {
            if (obj)
                text[o++] = ',';
            for (int d = 0; d < depth - 1; d++)
                o += (size_t)sprintf(text + o, "{\"n\": ");
            text[o++] = '{';
            for (int j = 0; j < members; j++) {
                r = r * 6364136223846793005u + 1442695040888963407u;
                if ((r >> 60) < 3) { /* another key at this place */
                    pick[j] = (size_t)(r >> 20) % N_ELEMS(keys);
                    changed++;
                }
                o += (size_t)sprintf(text + o, "%s%s\"%s\":%s%d", j ? "," : "", (r >> 40) & 1 ? "\n  " : "",
                                     keys[pick[j]], (r >> 41) & 1 ? " " : "", j);
            }
            text[o++] = '}';
            for (int d = 0; d < depth - 1; d++)
                text[o++] = '}';
        }
        text[o++] = ']';
        if (round % 5 == 4) /* a damaged key near the end */
            text[o - 4 - (size_t)(r >> 59)] = (r >> 58) & 1 ? '\x01' : '"';
        json_error derr;
        json_doc *doc = json_read(text, o, NULL, &derr);
        valid += doc != NULL;
        for (size_t k = 0; k < N_ELEMS(od_scanners); k++)
            CHECK(od_agrees_at_level(k, text, o, doc, &derr, "keys", round));
        json_doc_free(doc);
    }
    CHECK(changed > 100 && valid >= 200);
    free(text);
}

static void test_read_file(void)
{
    char path[] = "/tmp/ladder_test_json_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char *text = "{\"a\": [1, 2, 3],\n \"b\": \"x\"}\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    json_error err;
    json_doc *doc = json_read_file(path, NULL, &err);
    CHECK(doc != NULL);
    CHECK(json_arr_len(json_obj_get(json_doc_root(doc), "a")) == 3);
    CHECK_STR(json_get_str(json_obj_get(json_doc_root(doc), "b"), NULL), "x");
    json_doc_free(doc);

    FILE *f = fopen(path, "w");
    fputs("{\n  \"a\": tru\n}", f);
    fclose(f);
    CHECK(json_read_file(path, NULL, &err) == NULL);
    CHECK(err.line == 2 && err.column == 8 && err.offset == 9);
    f = fopen(path, "w");
    fclose(f);
    CHECK(json_read_file(path, NULL, &err) == NULL);
    CHECK_STR(err.msg, "empty input");
    unlink(path);

    CHECK(json_read_file("/nonexistent/ladder.json", NULL, &err) == NULL);
    CHECK(strncmp(err.msg, "cannot open /nonexistent/ladder.json: ", 38) == 0);
    CHECK(err.offset == 0 && err.line == 0 && err.column == 0);
    char out[160];
    json_error_format(&err, "cfg", out, sizeof out);
    CHECK(strncmp(out, "cfg: cannot open /nonexistent/ladder.json: ", 43) == 0);
    CHECK(json_read_file("/tmp", NULL, &err) == NULL);
    CHECK(strncmp(err.msg, "cannot ", 7) == 0);
}

/* A document parsed into a reused document's memory holds exactly what a fresh parse holds,
 * whether the new text is larger (chunks must grow) or smaller, the same text lands where it
 * did, and the reused document is consumed on failure too: the ASan build reports a leak or a
 * double free otherwise. */
static void test_reuse(void)
{
    json_error err;
    const char *first = "{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}";
    json_doc *doc = json_read(first, strlen(first), NULL, &err);
    CHECK(doc != NULL);
    size_t big_len = 0;
    char *big = malloc(400000);
    big_len += (size_t)sprintf(big, "[");
    for (int i = 0; i < 5000; i++)
        big_len += (size_t)sprintf(big + big_len, "%s{\"id\": %d, \"name\": \"user-%d\\u00e9\"}", i ? ", " : "", i, i);
    big_len += (size_t)sprintf(big + big_len, "]");
    for (int round = 0; round < 3; round++) {
        json_read_opts opts = {.reuse = doc};
        doc = json_read(big, big_len, &opts, &err);
        CHECK(doc != NULL);
        const json_value *root = json_doc_root(doc);
        CHECK(json_arr_len(root) == 5000);
        int64_t id = 0;
        CHECK(json_get_int(json_obj_get(json_arr_get(root, 4321), "id"), &id) && id == 4321);
        CHECK_STR(json_get_str(json_obj_get(json_arr_get(root, 4999), "name"), NULL), "user-4999\xc3\xa9");
        opts.reuse = doc;
        doc = json_read("[true, \"small\"]", strlen("[true, \"small\"]"), &opts, &err);
        CHECK(doc != NULL);
        CHECK(json_arr_len(json_doc_root(doc)) == 2);
        CHECK_STR(json_get_str(json_arr_get(json_doc_root(doc), 1), NULL), "small");
        CHECK(json_get_type(json_arr_get(json_doc_root(doc), 0)) == JSON_TRUE);
    }
    /* The same text read again into its own document lands at the same addresses: the chunks are
     * taken in the order the last read made them (taken the other way, the second read filled the
     * untouched end of the last chunk, page by page, and the layout swapped at every read). */
    json_read_opts again = {.reuse = doc};
    doc = json_read(big, big_len, &again, &err);
    CHECK(doc != NULL);
    const json_value *items = json_arr_get(json_doc_root(doc), 0);
    const char *name = json_get_str(json_obj_get(json_arr_get(json_doc_root(doc), 4999), "name"), NULL);
    for (int round = 0; round < 3; round++) {
        again.reuse = doc;
        doc = json_read(big, big_len, &again, &err);
        CHECK(doc != NULL);
        CHECK(json_arr_get(json_doc_root(doc), 0) == items);
        CHECK(json_get_str(json_obj_get(json_arr_get(json_doc_root(doc), 4999), "name"), NULL) == name);
    }
    json_read_opts opts = {.reuse = doc};
    CHECK(json_read("[1, 2", 5, &opts, &err) == NULL); /* consumed: freed by json_read */
    CHECK_STR(err.msg, "unexpected end of input");
    doc = json_read("[]", 2, NULL, NULL);
    opts.reuse = doc;
    CHECK(json_read_file("/nonexistent/ladder.json", &opts, &err) == NULL); /* consumed too */
    free(big);
}

static void check_format(double d, const char *want)
{
    char buf[40];
    size_t n = json_format_double(d, buf, sizeof buf);
    CHECK(n == strlen(buf));
    if (strcmp(buf, want) != 0)
        fprintf(stderr, "  format %.17g: got %s want %s\n", d, buf, want);
    CHECK_STR(buf, want);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    return check_xorshift(&rng_state);
}

static int significant_digits(const char *num)
{
    char digits[40];
    int n = 0;
    for (const char *p = num; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    int first = 0;
    while (first < n && digits[first] == '0')
        first++;
    while (n > first && digits[n - 1] == '0')
        n--;
    return n - first;
}

static void test_format_double(void)
{
    check_format(0.0, "0");
    check_format(-0.0, "-0");
    check_format(1.0, "1");
    check_format(3.0, "3");
    check_format(-3.0, "-3");
    check_format(100.0, "100");
    check_format(0.1, "0.1");
    check_format(0.5, "0.5");
    check_format(1.5, "1.5");
    check_format(-0.25, "-0.25");
    check_format(123.456, "123.456");
    check_format(0.1 + 0.2, "0.30000000000000004");
    check_format(1.0 / 3.0, "0.3333333333333333");
    check_format(2.0 / 3.0, "0.6666666666666666");
    check_format(1e20, "100000000000000000000");
    check_format(1e21, "1e+21");
    check_format(1.5e21, "1.5e+21");
    check_format(1e22, "1e+22");
    check_format(1e23, "1e+23");
    check_format(123456789012345680000.0, "123456789012345680000");
    check_format(9007199254740992.0, "9007199254740992");
    check_format(1e-6, "0.000001");
    check_format(1.25e-6, "0.00000125");
    check_format(1e-7, "1e-7");
    check_format(-1.5e-10, "-1.5e-10");
    check_format(5e-324, "5e-324");
    check_format(-5e-324, "-5e-324");
    check_format(DBL_MIN, "2.2250738585072014e-308");
    check_format(DBL_MAX, "1.7976931348623157e+308");
    check_format(-DBL_MAX, "-1.7976931348623157e+308");
    check_format(DBL_EPSILON, "2.220446049250313e-16");
    check_format(INFINITY, "null");
    check_format(-INFINITY, "null");
    check_format(NAN, "null");

    /* Random bit patterns: the text is a JSON number that reads back to the same bits, and no
     * shorter %.*e text would have. */
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = rng();
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            continue;
        char buf[40];
        size_t n = json_format_double(d, buf, sizeof buf);
        json_doc *doc = json_read(buf, n, NULL, NULL);
        CHECK(doc != NULL);
        if (doc && !same_double(json_get_num(json_doc_root(doc)), d))
            fprintf(stderr, "  round trip failed for %.17g -> %s\n", d, buf);
        CHECK(doc && same_double(json_get_num(json_doc_root(doc)), d));
        json_doc_free(doc);
        int digits = significant_digits(buf);
        if (digits > 1) {
            char shorter[40];
            snprintf(shorter, sizeof shorter, "%.*e", digits - 2, d);
            CHECK(strtod(shorter, NULL) != d);
        }
    }
    /* Short decimals come back with no more digits than they were written with. */
    for (int i = 0; i < 20000; i++) {
        int k = 1 + (int)(rng() % 17);
        uint64_t m = rng() % 100000000000000000u;
        char text[64];
        snprintf(text, sizeof text, "%017llu", (unsigned long long)m);
        if (text[0] == '0')
            text[0] = '1';
        snprintf(text + k, sizeof text - (size_t)k, "e%d", (int)(rng() % 640) - 330);
        double d = strtod(text, NULL);
        if (!isfinite(d) || d == 0)
            continue;
        char buf[40];
        json_format_double(d, buf, sizeof buf);
        CHECK(strtod(buf, NULL) == d);
        if (significant_digits(buf) > significant_digits(text))
            fprintf(stderr, "  %s formatted as %s\n", text, buf);
        CHECK(significant_digits(buf) <= significant_digits(text));
    }
    for (int i = 0; i < 2000; i++) {
        double d = (double)(int64_t)(rng() >> 11) * ((i & 1) ? 1.0 : -1.0);
        char buf[40], want[40];
        json_format_double(d, buf, sizeof buf);
        snprintf(want, sizeof want, "%.0f", d);
        CHECK_STR(buf, want);
    }
}

/* Significant digits (no leading or trailing zeros) and the decimal exponent of the first one, of
 * a JSON number's text: "0.00125" -> "125", -3. */
static void sci_parts(const char *num, char *digits, size_t cap, int *exp10)
{
    size_t n = 0;
    int point = -1, count = 0, first = -1;
    const char *p = num;
    if (*p == '-')
        p++;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            point = count;
            continue;
        }
        if (first < 0 && *p != '0')
            first = count;
        if (first >= 0 && n + 1 < cap)
            digits[n++] = *p;
        count++;
    }
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    if (point < 0)
        point = count;
    *exp10 = (*p ? atoi(p + 1) : 0) + point - first - 1;
    if (first < 0) {
        strcpy(digits, "0");
        *exp10 = 0;
    }
}

static void test_format_pow2(void)
{
    /* Every power of two a double holds against Python's repr (the reference shortest printer),
     * from tests/unit/data/json_pow2_shortest.txt (scripts/gen_json_pow2.py). */
    FILE *f = fopen("tests/unit/data/json_pow2_shortest.txt", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[128];
    int seen = 0, wrong = 0;
    while (fgets(line, sizeof line, f)) {
        int e, want_exp, got_exp;
        char want[40], got[40], buf[40];
        if (line[0] == '#' || sscanf(line, "%d %39s %d", &e, want, &want_exp) != 3)
            continue;
        seen++;
        double d = ldexp(1.0, e);
        json_format_double(d, buf, sizeof buf);
        sci_parts(buf, got, sizeof got, &got_exp);
        if (strcmp(got, want) != 0 || got_exp != want_exp) {
            if (wrong++ < 5)
                fprintf(stderr, "  2^%d formatted as %s, want %se%d\n", e, buf, want, want_exp);
        }
        CHECK(strtod(buf, NULL) == d);
    }
    fclose(f);
    if (wrong)
        fprintf(stderr, "  %d of %d powers of two not shortest\n", wrong, seen);
    CHECK(seen == 2098);
    CHECK(wrong == 0);
}

/* The DOM reader (and with od_too the on-demand reader's json_od_num) on text followed by 48
 * spaces, and with 24 more before it, in a buffer of exactly that size (so that the sanitizer
 * sees any read past it): a number far from the end takes the readers' wide fast path, and one
 * far from the start a load that ends at its last digit; each must give what the bare text gives - the same double, integer-ness and int64, or
 * the same error at the same offset (shifted by the spaces before). */
static bool padded_agrees(const char *text, size_t len, const json_doc *doc, const json_error *err, bool od_too)
{
    enum { PAD = 48 };
    bool same = true;
    for (size_t lead = 0; lead <= 24; lead += 24) {
        char *buf = malloc(lead + len + PAD);
        if (!buf)
            return false;
        memset(buf, ' ', lead);
        memcpy(buf + lead, text, len);
        memset(buf + lead + len, ' ', PAD);
        json_error perr, oerr;
        json_doc *pdoc = json_read(buf, lead + len + PAD, NULL, &perr);
        json_od od;
        json_od_init(&od, 0);
        json_od_reset(&od, buf, lead + len + PAD);
        json_od_number n;
        bool od_ok = json_od_num(&od, &n) && json_od_finish(&od);
        if (!od_ok)
            json_od_error(&od, &oerr);
        json_od_free(&od);
        free(buf);
        if (doc && pdoc) {
            const json_value *a = json_doc_root(doc), *b = json_doc_root(pdoc);
            int64_t ia = 0, ib = 0;
            bool int_a = json_get_int(a, &ia), int_b = json_get_int(b, &ib);
            same = same && json_get_type(a) == json_get_type(b) &&
                   same_double(json_get_num(a), json_get_num(b)) && int_a == int_b && ia == ib;
            same = same && (!od_too || (od_ok && same_double(n.num, json_get_num(a)) && n.is_int == int_a &&
                   (!int_a || n.ival == ia)));
        } else {
            same = same && !doc && !pdoc && strcmp(err->msg, perr.msg) == 0 &&
                   err->offset + lead == perr.offset;
            same = same && (!od_too || (!od_ok && strcmp(err->msg, oerr.msg) == 0 &&
                                        err->offset + lead == oerr.offset));
        }
        json_doc_free(pdoc);
    }
    return same;
}

/* Reads text with both readers: true when both accept it with the same bits (in *out), or both
 * reject it with the same message (in msg). */
static bool read_number_both(const char *text, size_t len, double *out, char *msg, size_t msg_cap)
{
    json_error err;
    json_doc *doc = json_read(text, len, NULL, &err);
    bool padded_same = padded_agrees(text, len, doc, &err, true);
    json_od od;
    json_od_init(&od, 0);
    json_od_reset(&od, text, len);
    json_od_number n;
    bool od_ok = json_od_num(&od, &n) && json_od_finish(&od);
    json_error od_err;
    if (!od_ok)
        json_od_error(&od, &od_err);
    json_od_free(&od);
    bool same;
    if (doc) {
        *out = json_get_num(json_doc_root(doc));
        same = od_ok && same_double(*out, n.num);
        snprintf(msg, msg_cap, "%s", "");
    } else {
        snprintf(msg, msg_cap, "%s", err.msg);
        same = !od_ok && strcmp(err.msg, od_err.msg) == 0 && err.offset == od_err.offset;
    }
    json_doc_free(doc);
    return same && padded_same;
}

static void test_saturated_exponent(void)
{
    /* An exponent too long to accumulate must not be cut short: 0.(99,999 zeros)1e1000000 is
     * 1e900000, out of range, not 1; 0.(999,999 zeros)1e1000005 is 1e5, not 0. */
    static const struct {
        const char *head;
        size_t zeros;
        const char *exp;
        const char *msg; /* NULL: accepted with the value want */
        double want;
    } cases[] = {
        {"0.", 99999, "e1000000", "number out of range", 0},
        {"-0.", 99999, "e1000000", "number out of range", 0},
        {"0.", 99999, "e100000", NULL, 1.0},
        {"0.", 999999, "e1000005", NULL, 1e5},
        {"-0.", 999999, "e999999", NULL, -0.1},
        {"0.", 99999, "e99999999999999999999", "number out of range", 0},
        {"0.", 99999, "e-1000000", NULL, 0.0},
    };
    char *text = malloc(1000000 + 64);
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        size_t h = strlen(cases[i].head), zeros = cases[i].zeros;
        memcpy(text, cases[i].head, h);
        memset(text + h, '0', zeros);
        text[h + zeros] = '1';
        strcpy(text + h + zeros + 1, cases[i].exp);
        double got = -1;
        char msg[128];
        CHECK(read_number_both(text, strlen(text), &got, msg, sizeof msg));
        if (cases[i].msg) {
            if (strcmp(msg, cases[i].msg) != 0)
                fprintf(stderr, "  %s(%zu zeros)1%s: got \"%s\" (%.17g), want \"%s\"\n",
                        cases[i].head, zeros, cases[i].exp, msg, got, cases[i].msg);
            CHECK_STR(msg, cases[i].msg);
        } else {
            if (msg[0] || !same_double(got, cases[i].want))
                fprintf(stderr, "  %s(%zu zeros)1%s: got \"%s\" %.17g, want %.17g\n",
                        cases[i].head, zeros, cases[i].exp, msg, got, cases[i].want);
            CHECK(!msg[0] && same_double(got, cases[i].want));
        }
    }
    free(text);
}

/* A decimal digit string of n digits, the first non-zero. */
static void random_digits(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + rng() % 10);
    if (out[0] == '0')
        out[0] = (char)('1' + rng() % 9);
    out[n] = '\0';
}

/* Lays digits (D1 D2 ... with value D1.D2... x 10^exp10) out as a JSON number in one of the ways
 * JSON allows: plain integer or fraction, or with an exponent after any split of the digits. */
static void layout_number(char *out, size_t cap, bool neg, const char *digits, int exp10, int style)
{
    int k = (int)strlen(digits);
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    int point = exp10 + 1; /* digits before the decimal point, in plain notation */
    if (style == 0 && point >= k && point - k < 30) {
        o += (size_t)snprintf(out + o, cap - o, "%s%0*d", digits, point - k, 0);
        if (point == k)
            out[--o] = '\0';
    } else if (style == 0 && point > 0 && point < k) {
        o += (size_t)snprintf(out + o, cap - o, "%.*s.%s", point, digits, digits + point);
    } else if (style == 0 && point <= 0 && point > -30) {
        o += (size_t)snprintf(out + o, cap - o, "0.%0*d%s", -point, 0, digits);
        if (point == 0) /* "0.0" + digits would be one zero too many */
            memmove(out + o - (size_t)k - 1, out + o - (size_t)k, (size_t)k + 1), o--;
    } else {
        int split = 1 + (int)(rng() % (unsigned)k); /* digits before the point */
        if (split == k)
            o += (size_t)snprintf(out + o, cap - o, "%s", digits);
        else
            o += (size_t)snprintf(out + o, cap - o, "%.*s.%s", split, digits, digits + split);
        snprintf(out + o, cap - o, "%s%d", (rng() & 1) ? "e" : "E", exp10 - (split - 1));
    }
}

static void test_number_fraction_path(void)
{
    /* Decimals of 16 to 19 digits with a short integer part, the kind the 32-byte fast path
     * rounds with one word of Eisel-Lemire (json__el_fraction): read as array elements and object
     * values with the input going on well past each, so that the fast path and the separator
     * after it are taken, and compared with strtod. Among them: values whose significand rounds
     * up to the next power of two (the carry into the exponent), exact ties and their neighbours
     * (the first word cannot settle them), and the largest and smallest fractions. */
    static const char *nums[] = {
        "-65.613616999999977", "43.420273000000009", "1.9999999999999999", "-1.9999999999999999",
        "562949953421311.99", "562949953421311.97", "4503599627370496.5", "4503599627370497.5",
        "4503599627370496.6", "4503599627370497.4", "1.0000000000000002", "1.0000000000000001",
        "2.2250738585072014", "9.8765432109876543", "123456789012345.6789", "1.000000000000000000",
        "7.4505805969238281", "3.0517578125000001", "9.9999999999999999", "99.999999999999999",
        "1.7976931348623157", "5.0000000000000009", "0.12345678901234567", "562949953421312.0625",
        "562949953421312.1875", "562949953421313.0625", "562949953421312.0624", "562949953421312.0626"};
    char text[4096], obj[4096];
    size_t n = 0, o = 0;
    text[n++] = '[';
    o += (size_t)snprintf(obj, sizeof obj, "{");
    for (size_t i = 0; i < N_ELEMS(nums); i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? "," : "", nums[i]);
        o += (size_t)snprintf(obj + o, sizeof obj - o, "%s\"k%zu\":%s", i ? "," : "", i, nums[i]);
    }
    n += (size_t)snprintf(text + n, sizeof text - n, ",%s]", "\"the input goes on past the last number\"");
    o += (size_t)snprintf(obj + o, sizeof obj - o, ",\"end\":%s}", "\"the input goes on past the last number\"");
    json_error err;
    json_doc *doc = json_read(text, n, NULL, &err);
    json_doc *od = json_read(obj, o, NULL, &err);
    CHECK(doc && od);
    if (doc && od) {
        const json_value *arr = json_doc_root(doc), *members = json_doc_root(od);
        CHECK(arr->u.c.len == N_ELEMS(nums) + 1 && members->u.c.len == N_ELEMS(nums) + 1);
        for (size_t i = 0; i < N_ELEMS(nums) && i < arr->u.c.len && i < members->u.c.len; i++) {
            double want = strtod(nums[i], NULL), got = json_get_num(json_arr_get(arr, i));
            double got_obj = json_get_num(&members->u.c.p.members[i].val);
            if (!same_double(got, want) || !same_double(got_obj, want))
                fprintf(stderr, "  %s: read %.17g (in an object %.17g), strtod %.17g\n", nums[i], got,
                        got_obj, want);
            CHECK(same_double(got, want) && same_double(got_obj, want));
        }
    }
    json_doc_free(doc);
    json_doc_free(od);
    /* a closer right after such a number: the right one closes, the other is an error */
    static const char nested[] = "{\"a\":[1.5],\"b\":{\"c\":-2.25},\"d\":[[3.125],[4.0625]]}"
                                 "                                                  ";
    doc = json_read(nested, sizeof nested - 1, NULL, &err);
    CHECK(doc != NULL);
    if (doc) {
        const json_value *root = json_doc_root(doc), *a = json_obj_get(root, "a"),
                         *c = json_obj_get(json_obj_get(root, "b"), "c"), *d = json_obj_get(root, "d");
        CHECK(a && a->type == JSON_ARRAY && a->u.c.len == 1 && json_get_num(json_arr_get(a, 0)) == 1.5);
        CHECK(c && json_get_num(c) == -2.25);
        CHECK(d && d->type == JSON_ARRAY && d->u.c.len == 2 &&
              json_get_num(json_arr_get(json_arr_get(d, 1), 0)) == 4.0625);
        CHECK(json_obj_get(root, "d") == &root->u.c.p.members[root->u.c.len - 1].val);
    }
    json_doc_free(doc);
    static const char arr_brace[] = "[1.5}                                                  ";
    CHECK(!json_read(arr_brace, sizeof arr_brace - 1, NULL, &err));
    CHECK_STR(err.msg, "expected ',' or ']'");
    static const char obj_bracket[] = "{\"a\":1.5]                                              ";
    CHECK(!json_read(obj_bracket, sizeof obj_bracket - 1, NULL, &err));
    CHECK_STR(err.msg, "expected ',' or '}'");
    /* a comma after a number outside any container is no separator */
    static const char root[] = "1.25,2                                                  ";
    CHECK(!json_read(root, sizeof root - 1, NULL, &err));
    CHECK_STR(err.msg, "trailing characters after the value");
}

static void test_number_differential(void)
{
    /* Both readers against glibc's correctly rounded strtod on 200,000 numbers built to be hard:
     * 1-19 significant digits over the whole exponent range (the fast paths), 20-40 digits (the
     * truncated significand), decimals at or next to the exact midpoint between two neighbouring
     * doubles (where rounding is decided by the last digit), and the subnormal and overflow edges. */
    char digits[1200], text[1300], msg[128];
    int mismatches = 0;
    for (int i = 0; i < 200000; i++) {
        int kind = i % 5, exp10;
        bool neg = rng() & 1;
        if (kind == 0 || kind == 1) {
            int k = kind == 0 ? 1 + (int)(rng() % 19) : 15 + (int)(rng() % 5);
            random_digits(digits, k);
            exp10 = (int)(rng() % 660) - 340;
        } else if (kind == 2) {
            random_digits(digits, 20 + (int)(rng() % 21));
            exp10 = (int)(rng() % 660) - 340;
        } else {
            /* the midpoint of d and the next double up is exact in long double (64-bit
             * significand); printed with k digits it sits on, just below or just above it */
            uint64_t bits = rng() >> 1;
            if (kind == 4)
                bits = (rng() % 2 ? (uint64_t)0x7FE << 52 : 0) | (rng() >> 12);
            double d;
            memcpy(&d, &bits, sizeof d);
            if (!isfinite(d)) {
                i--;
                continue;
            }
            long double mid = ((long double)d + (long double)nextafter(d, INFINITY)) / 2;
            int k = (rng() % 4 == 0) ? 780 : 16 + (int)(rng() % 25);
            char sci[1300];
            snprintf(sci, sizeof sci, "%.*Le", k - 1, mid);
            char *e = strchr(sci, 'e');
            exp10 = atoi(e + 1);
            size_t n = 0;
            for (char *p = sci; p < e; p++)
                if (*p >= '0' && *p <= '9')
                    digits[n++] = *p;
            while (n > 1 && digits[n - 1] == '0')
                n--;
            digits[n] = '\0';
            if (digits[0] == '0') {
                i--;
                continue;
            }
        }
        layout_number(text, sizeof text, neg, digits, exp10, (int)(rng() % 3));
        errno = 0;
        double want = strtod(text, NULL);
        double got = 0;
        bool agree = read_number_both(text, strlen(text), &got, msg, sizeof msg);
        bool ok = agree && (isinf(want) ? strcmp(msg, "number out of range") == 0
                                        : !msg[0] && same_double(got, want));
        if (!ok && mismatches++ < 10)
            fprintf(stderr, "  %s: read %.17g (%s, readers %s), strtod %.17g\n", text, got, msg,
                    agree ? "agree" : "disagree", want);
    }
    if (mismatches)
        fprintf(stderr, "  %d of 200000 numbers differ from strtod\n", mismatches);
    CHECK(mismatches == 0);
}

static const char *writer_text(json_writer *w)
{
    return json_writer_data(w, NULL);
}

static void test_writer(void)
{
    json_writer w;
    json_writer_init(&w, false);
    CHECK(!json_writer_ok(&w)); /* nothing written yet */
    CHECK_STR(writer_text(&w), "");
    json_obj_begin(&w);
    json_key(&w, "a");
    json_int(&w, 1);
    json_key(&w, "b");
    json_arr_begin(&w);
    json_num(&w, 0.5);
    json_bool(&w, true);
    json_bool(&w, false);
    json_null(&w);
    json_str(&w, "x");
    json_int(&w, INT64_MIN);
    json_num(&w, NAN);
    json_raw(&w, "{\"r\":[]}", 8);
    json_arr_end(&w);
    json_key(&w, "c");
    json_obj_begin(&w);
    json_obj_end(&w);
    json_key(&w, "d");
    json_arr_begin(&w);
    json_arr_end(&w);
    json_key(&w, "e");
    json_str(&w, NULL);
    json_kv_num(&w, "f", 2.5);
    json_kv_int(&w, "g", -7);
    json_obj_end(&w);
    CHECK(json_writer_ok(&w));
    CHECK_STR(writer_text(&w), "{\"a\":1,\"b\":[0.5,true,false,null,\"x\",-9223372036854775808,"
                               "null,{\"r\":[]}],\"c\":{},\"d\":[],\"e\":null,\"f\":2.5,\"g\":-7}");
    size_t len = 0;
    char *text = json_writer_take(&w, &len);
    CHECK(text && len == strlen(text));
    CHECK_STR(writer_text(&w), "");
    json_doc *doc = json_read(text, len, NULL, NULL);
    const json_value *r = json_doc_root(doc);
    int64_t i64 = 0;
    CHECK(json_get_int(json_obj_get(r, "a"), &i64) && i64 == 1);
    CHECK(json_get_int(json_arr_get(json_obj_get(r, "b"), 5), &i64) && i64 == INT64_MIN);
    CHECK(json_get_type(json_arr_get(json_obj_get(r, "b"), 7)) == JSON_OBJECT);
    CHECK(json_obj_len(json_obj_get(r, "c")) == 0 && json_get_type(json_obj_get(r, "c")) == JSON_OBJECT);
    json_doc_free(doc);
    free(text);

    json_writer_init(&w, true);
    json_obj_begin(&w);
    json_key(&w, "a");
    json_int(&w, 1);
    json_key(&w, "b");
    json_arr_begin(&w);
    json_num(&w, 0.5);
    json_obj_begin(&w);
    json_key(&w, "k");
    json_str(&w, "v");
    json_obj_end(&w);
    json_arr_end(&w);
    json_key(&w, "c");
    json_obj_begin(&w);
    json_obj_end(&w);
    json_key(&w, "d");
    json_arr_begin(&w);
    json_arr_end(&w);
    json_obj_end(&w);
    CHECK(json_writer_ok(&w));
    CHECK_STR(writer_text(&w), "{\n"
                               "  \"a\": 1,\n"
                               "  \"b\": [\n"
                               "    0.5,\n"
                               "    {\n"
                               "      \"k\": \"v\"\n"
                               "    }\n"
                               "  ],\n"
                               "  \"c\": {},\n"
                               "  \"d\": []\n"
                               "}");
    json_writer_free(&w);

    json_writer_init(&w, true);
    json_num(&w, 2.5);
    CHECK(json_writer_ok(&w));
    CHECK_STR(writer_text(&w), "2.5");
    json_writer_free(&w);

    /* Escaping, and invalid UTF-8 replaced so that the output is always valid JSON. */
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } esc[] = {
        {"plain", 0, "\"plain\""},
        {"q\"b\\s/", 0, "\"q\\\"b\\\\s/\""},
        {"\n\t\r\b\f", 0, "\"\\n\\t\\r\\b\\f\""},
        {"\x01\x1f\x7f", 0, "\"\\u0001\\u001f\x7f\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF", 0,
         "\"h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\""},
        {"a\xFF" "b", 0, "\"a\xEF\xBF\xBD" "b\""},
        {"\xC0\xAF", 0, "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xE2\x82x", 0, "\"\xEF\xBF\xBDx\""},
        {"\xE2\x82", 0, "\"\xEF\xBF\xBD\""},
        {"\xED\xA0\x80", 0, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xF4\x90\x80\x80", 0, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\x80", 0, "\"\xEF\xBF\xBD\""},
        {"", 0, "\"\""},
    };
    for (size_t i = 0; i < N_ELEMS(esc); i++) {
        json_writer_init(&w, false);
        json_strn(&w, esc[i].in, in_len(esc[i].in, esc[i].len));
        CHECK(json_writer_ok(&w));
        CHECK_STR(writer_text(&w), esc[i].want);
        json_doc *d2 = json_read(writer_text(&w), w.len, NULL, NULL);
        CHECK(d2 != NULL);
        if (i < 6) { /* valid input reads back byte for byte */
            size_t n = 0;
            const char *s = json_get_str(json_doc_root(d2), &n);
            CHECK(s && n == in_len(esc[i].in, esc[i].len) && memcmp(s, esc[i].in, n) == 0);
        }
        json_doc_free(d2);
        json_writer_free(&w);
    }
    json_writer_init(&w, false);
    json_obj_begin(&w);
    json_key(&w, "k\"\n\xFF");
    json_int(&w, 0);
    json_obj_end(&w);
    CHECK_STR(writer_text(&w), "{\"k\\\"\\n\xEF\xBF\xBD\":0}");
    json_writer_free(&w);
    json_writer_init(&w, true);
    json_obj_begin(&w);
    json_keyn(&w, "a\0b", 3);
    json_arr_begin(&w);
    json_arr_end(&w);
    json_keyn(&w, "", 0);
    json_int(&w, 2);
    json_obj_end(&w);
    CHECK_STR(writer_text(&w), "{\n  \"a\\u0000b\": [],\n  \"\": 2\n}");
    json_writer_free(&w);

    /* Every control character is escaped and reads back. */
    char ctl[32];
    for (int c = 0; c < 32; c++)
        ctl[c] = (char)c;
    json_writer_init(&w, false);
    json_strn(&w, ctl, sizeof ctl);
    doc = json_read(writer_text(&w), w.len, NULL, NULL);
    size_t n = 0;
    const char *s = json_get_str(json_doc_root(doc), &n);
    CHECK(s && n == 32 && memcmp(s, ctl, 32) == 0);
    json_doc_free(doc);
    json_writer_free(&w);
}

static void test_writer_misuse(void)
{
    json_writer w;
    size_t len = 7;

    json_writer_init(&w, false);
    json_key(&w, "a"); /* key outside an object */
    CHECK(w.failed && !json_writer_ok(&w));
    json_obj_begin(&w);
    json_obj_end(&w); /* sticky */
    CHECK(w.failed && !json_writer_ok(&w));
    CHECK(json_writer_take(&w, &len) == NULL && len == 0);
    CHECK(!w.failed); /* take resets */

    json_obj_begin(&w);
    json_int(&w, 1); /* value where a key is expected */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_arr_begin(&w);
    json_key(&w, "a"); /* key in an array */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_obj_end(&w); /* end without begin */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_arr_end(&w);
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_obj_begin(&w);
    json_arr_end(&w); /* mismatched end */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_arr_begin(&w);
    json_obj_end(&w);
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_obj_begin(&w);
    json_key(&w, "a");
    json_key(&w, "b"); /* two keys in a row */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_obj_begin(&w);
    json_key(&w, "a");
    json_obj_end(&w); /* key without value */
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_int(&w, 1);
    CHECK(json_writer_ok(&w));
    json_int(&w, 2); /* second top-level value */
    CHECK(w.failed && !json_writer_ok(&w));
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_obj_begin(&w);
    json_key(&w, NULL);
    CHECK(w.failed);
    json_writer_free(&w);

    json_writer_init(&w, false);
    json_arr_begin(&w);
    json_arr_begin(&w);
    json_arr_end(&w);
    CHECK(!w.failed && !json_writer_ok(&w)); /* unbalanced */
    CHECK(json_writer_take(&w, NULL) == NULL);

    /* Depth: JSON_WRITER_MAX_DEPTH - 1 levels fit, one more fails. */
    json_writer_init(&w, false);
    for (int i = 0; i < JSON_WRITER_MAX_DEPTH - 1; i++)
        json_arr_begin(&w);
    for (int i = 0; i < JSON_WRITER_MAX_DEPTH - 1; i++)
        json_arr_end(&w);
    CHECK(json_writer_ok(&w));
    json_writer_free(&w);
    json_writer_init(&w, false);
    for (int i = 0; i < JSON_WRITER_MAX_DEPTH; i++)
        json_arr_begin(&w);
    CHECK(w.failed);
    for (int i = 0; i < JSON_WRITER_MAX_DEPTH; i++)
        json_arr_end(&w);
    CHECK(!json_writer_ok(&w));
    json_writer_free(&w);
    json_writer_free(&w); /* double free is harmless */
}



static void test_round_trip(void)
{
    static const char *docs[] = {
        "{\"a\":[1,2.5,\"x\\u0000y\",true,false,null,{}],\"b\":-0,\"c\":\"\\ud83d\\ude00\"}",
        "[0.1,0.2,0.30000000000000004,1e23,5e-324,1.7976931348623157e308,-2.2250738585072014e-308]",
        "[9007199254740993,9223372036854775807,-9223372036854775808,9223372036854775808,1e2,1E-7]",
        "{\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\\u007f\",\"dup\":1,\"dup\":2}",
        "[[[[[[[[[[[]]]]]]]]]],{\"\":{\"\":{\"\":[]}}}]",
        "{\"a\\u0000\":{\"\\u0000\":0}}",
        "\"top-level string \xE2\x82\xAC\"",
        "-123.456e-7",
    };
    for (size_t i = 0; i < N_ELEMS(docs); i++) {
        for (int pretty = 0; pretty < 2; pretty++) {
            json_doc *a = parse(docs[i]);
            CHECK(a != NULL);
            json_writer w;
            json_writer_init(&w, pretty);
            json_write_value(&w, json_doc_root(a));
            CHECK(json_writer_ok(&w));
            size_t len = 0;
            char *text = json_writer_take(&w, &len);
            json_doc *b = text ? json_read(text, len, NULL, NULL) : NULL;
            CHECK(b != NULL);
            if (a && b && !json_test_equal(json_doc_root(a), json_doc_root(b)))
                fprintf(stderr, "  round trip %zu differs: %s\n", i, text);
            CHECK(a && b && json_test_equal(json_doc_root(a), json_doc_root(b)));
            json_doc_free(a);
            json_doc_free(b);
            free(text);
        }
    }

    json_doc *a = parse(docs[0]);
    json_writer w;
    json_writer_init(&w, false);
    json_write_value(&w, json_doc_root(a));
    CHECK_STR(writer_text(&w), "{\"a\":[1,2.5,\"x\\u0000y\",true,false,null,{}],\"b\":-0,\"c\":\""
                               "\xF0\x9F\x98\x80\"}");
    json_writer_free(&w);
    json_doc_free(a);

    a = parse(docs[1]);
    json_writer_init(&w, false);
    json_write_value(&w, json_doc_root(a));
    CHECK_STR(writer_text(&w), "[0.1,0.2,0.30000000000000004,1e+23,5e-324,1.7976931348623157e+308,"
                               "-2.2250738585072014e-308]");
    json_writer_free(&w);
    json_doc_free(a);
}

static void test_locale(void)
{
    /* The reader and writer must ignore LC_NUMERIC; only testable where such a locale exists. */
    static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
    const char *set = NULL;
    for (size_t i = 0; i < N_ELEMS(names) && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set)
        return;
    json_doc *doc = parse("[0.5,1.25e1]");
    CHECK(doc && json_get_num(json_arr_get(json_doc_root(doc), 0)) == 0.5);
    CHECK(doc && json_get_num(json_arr_get(json_doc_root(doc), 1)) == 12.5);
    json_doc_free(doc);
    check_format(0.5, "0.5");
    check_format(1.5e300, "1.5e+300");
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    test_literals_and_structure();
    test_numbers();
    test_strings();
    test_depth();
    test_error_positions();
    test_indentation();
    test_utf8_scanners();
    test_od_blocks();
    test_od_keys();
    test_od_after_failure();
    test_read_file();
    test_reuse();
    test_format_double();
    test_format_pow2();
    test_saturated_exponent();
    test_number_fraction_path();
    test_number_differential();
    test_writer();
    test_writer_misuse();
    test_round_trip();
    test_locale();
    return check_done("test_json");
}
