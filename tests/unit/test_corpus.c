/* The json-corpus digest (rungs/_shared/corpus/corpus.h) that every C and C++ rung shares: the
 * text stream byte for byte against one built a byte at a time, its reduction and the number
 * stream's against Horner's rule one byte or word at a time, and the bundle's split. */
#include "check.h"

#include "../../rungs/_shared/corpus/corpus.h"

#include <stdint.h>
#include <stdlib.h>

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint64_t rng(void)
{
    return check_xorshift(&rng_state);
}

/* (h * 256 + b) mod CORPUS_P, the reference reduction a byte at a time. */
static uint64_t ref_byte(uint64_t h, unsigned b)
{
    return (uint64_t)(((unsigned __int128)h * 256 + b) % CORPUS_P);
}

/* Strings of every length from 0 to 80 (every byte value, sources at every offset in a word)
 * between tags, from an empty digest that must grow many times: the same bytes as the stream
 * built a byte at a time, and the same reduction of them. */
static void test_text_stream(void)
{
    static const unsigned char tags[] = {'{', '}', '[', ']', 't', 'f', 'n', '#'};
    unsigned char src[96 + 8], *want = malloc(1 << 16);
    CHECK(want != NULL);
    if (!want)
        return;
    for (int round = 0; round < 40; round++) {
        corpus_digest d = {0};
        size_t wlen = 0;
        for (size_t n = 0; n <= 80; n++) {
            size_t off = (n + (size_t)round) % 8;
            for (size_t i = 0; i < n; i++)
                src[off + i] = (unsigned char)rng();
            unsigned char tag = tags[rng() % sizeof tags];
            corpus_tag(&d, tag);
            want[wlen++] = tag;
            corpus_chars(&d, (const char *)src + off, n);
            want[wlen++] = '"';
            memcpy(want + wlen, src + off, n);
            wlen += n;
            want[wlen++] = 0xFF;
        }
        CHECK(!d.oom && d.xlen == wlen && memcmp(d.x, want, wlen) == 0);
        /* the reduction: the stream as a big-endian number padded to whole words */
        uint64_t h = 0;
        for (size_t i = 0; i < wlen; i++)
            h = ref_byte(h, want[i]);
        for (size_t i = wlen; i % 8; i++)
            h = ref_byte(h, 0);
        CHECK(corpus_text_digest(&d) == h);
        /* a prefix of every length: the padding of the last word */
        for (size_t cut = wlen - 9; cut <= wlen; cut++) {
            d.xlen = cut;
            uint64_t hc = 0;
            size_t i = 0;
            for (; i < cut; i++)
                hc = ref_byte(hc, want[i]);
            for (; i % 8; i++)
                hc = ref_byte(hc, 0);
            CHECK(corpus_text_digest(&d) == hc);
        }
        corpus_digest_free(&d);
    }
    free(want);
}

/* Numbers, any count (the four-at-a-time fold and the rest in corpus_finish), -0 as +0: Horner's
 * rule over their 64-bit patterns one word at a time; counts and tags. */
static void test_numbers(void)
{
    for (int count = 0; count < 40; count++) {
        corpus_digest d = {0};
        uint64_t h = 0;
        for (int i = 0; i < count; i++) {
            double v;
            uint64_t bits = rng();
            memcpy(&v, &bits, sizeof v);
            if (v != v)
                v = 1.5;
            if (i % 7 == 3)
                v = -0.0;
            corpus_number(&d, v);
            double c = v + 0.0;
            memcpy(&bits, &c, sizeof bits);
            h = (uint64_t)(((unsigned __int128)h * 59 + bits % CORPUS_P) % CORPUS_P);
            /* h * 2^64 + bits = h * 59 + bits (mod p) */
        }
        corpus_sum s = corpus_finish(&d);
        CHECK(s.numbers == h);
        CHECK(d.numbers == (uint64_t)count && d.xlen == (size_t)count);
        for (int i = 0; i < count; i++)
            CHECK(d.x[i] == '#');
        corpus_digest_free(&d);
    }
}

static int split(const char *bundle, size_t len, corpus_file *files, char *err)
{
    return corpus_split(bundle, len, files, 3, err, 128);
}

/* The bundle: files in order, names and sizes; a line out of shape, a bad count, a file cut
 * short, more files than room and an empty bundle are errors with a sentence. */
static void test_split(void)
{
    corpus_file f[3];
    char err[128];
    static const char ok[] = "json-corpus a.json 2\n[]json-corpus b 0\njson-corpus c.json 3\n{}\n";
    CHECK(split(ok, sizeof ok - 1, f, err) == 3);
    CHECK(f[0].name_len == 6 && memcmp(f[0].name, "a.json", 6) == 0 && f[0].len == 2 &&
          memcmp(f[0].data, "[]", 2) == 0);
    CHECK(f[1].name_len == 1 && f[1].len == 0);
    CHECK(f[2].len == 3 && memcmp(f[2].data, "{}\n", 3) == 0);
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"", "the bundle holds no files"},
        {"json-corpus a.json 2", "byte 0: expected a line \"json-corpus NAME BYTES\""},
        {"json corpus a 1\nx", "byte 0: expected a line \"json-corpus NAME BYTES\""},
        {"json-corpus  1\nx", "byte 0: expected a line \"json-corpus NAME BYTES\""},
        {"json-corpus a \nx", "byte 0: no byte count"},
        {"json-corpus a 1x\nx", "byte 0: bad byte count"},
        {"json-corpus a 99999999999999999999\nx", "byte 0: bad byte count"},
        {"json-corpus a 5\nabc", "byte 0: the file is cut short"},
        {"json-corpus a 1\nxjson-corpus b 1\nyjson-corpus c 1\nzjson-corpus d 1\nw", "more than 3 files"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(split(bad[i].text, strlen(bad[i].text), f, err) == -1);
        CHECK_STR(err, bad[i].msg);
    }
}

int main(void)
{
    test_text_stream();
    test_numbers();
    test_split();
    return check_done("test_corpus");
}
