/* The event data set of docs/specs/events.md, byte for byte what CPython's random.Random(seed)
 * and json.dumps produce, for any seed and sizes.
 *
 * gen_rng is a plain value (no allocation). gen_events streams the file through a caller's sink
 * in chunks of at most GEN_CHUNK bytes from one internal buffer, so memory does not grow with
 * the event count; the chunk pointer is only valid during the sink call. */
#ifndef LADDER_PIPELINE_GEN_H
#define LADDER_PIPELINE_GEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t mt[624];
    int index;
} gen_rng;

/* random.Random(seed) for an integer seed: init_by_array of |seed| in 32-bit words. */
void gen_rng_seed(gen_rng *r, int64_t seed);
void gen_rng_seed_words(gen_rng *r, const uint32_t *key, size_t n);
uint32_t gen_rng_u32(gen_rng *r);
uint32_t gen_getrandbits(gen_rng *r, int k);      /* 1 <= k <= 32 */
uint32_t gen_below(gen_rng *r, uint32_t n);       /* _randbelow, 1 <= n */
int64_t gen_randint(gen_rng *r, int64_t a, int64_t b); /* 1 <= b - a + 1 <= UINT32_MAX */
double gen_random(gen_rng *r);
double gen_uniform(gen_rng *r, double lo, double hi);

#define GEN_DEFAULT_SEED 42
#define GEN_DEFAULT_EVENTS 100000
#define GEN_DEFAULT_USERS 5000
#define GEN_MAX_USERS UINT32_MAX
#define GEN_CHUNK (256u * 1024u)

typedef struct {
    int64_t seed;
    uint64_t events;
    uint64_t users; /* 1..GEN_MAX_USERS */
} gen_params;

/* Receives the next len bytes of the file; returns 0, or non-zero to stop generation. */
typedef int (*gen_sink)(void *ctx, const char *data, size_t len);

/* Returns 0, or -1 with a sentence in err: bad parameters, out of memory, or the sink stopped
 * (then err says "output failed" and the sink keeps its own reason). */
int gen_events(const gen_params *p, gen_sink sink, void *ctx, char *err, size_t cap);

#endif
