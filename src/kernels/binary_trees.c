#include "kernels.h"
#include "kern_threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef LADDER_HAVE_APR
#include <apr_general.h>
#include <apr_pools.h>
#endif

#define BT_MIN_DEPTH 4
#define BT_MAX_N 30
#define BT_CHUNK_NODES (1 << 20) /* work item size: big enough that the atomic is noise */

typedef struct node {
    struct node *left, *right;
} node;

/* The Benchmarks Game's rules for binary-trees accept only a library or general-purpose
 * allocator: KERN_BT_APR allocates every node with apr_palloc from an APR pool, cleared after
 * each tree (as its fastest C programs do), KERN_BT_MALLOC every node with malloc and frees
 * them one by one. KERN_BT_ARENA, outside the rules, builds each tree in a buffer of its own. */

/* KERN_BT_ARENA: a bump-pointer buffer, one per tree at a time. */
typedef struct {
    node *mem;
    size_t bytes;
} pool;

static int pool_init(pool *p, int depth)
{
    p->bytes = ((size_t)2 << depth) * sizeof(node);
    size_t huge = (size_t)2 << 20;
    p->bytes = (p->bytes + huge - 1) / huge * huge;
    p->mem = aligned_alloc(huge, p->bytes);
    if (!p->mem)
        return -ENOMEM;
#ifdef MADV_HUGEPAGE
    madvise(p->mem, p->bytes, MADV_HUGEPAGE);
#endif
    return 0;
}

/* KERN_BT_ARENA: allocates a full tree of the given depth from n onwards; returns the next free node. Here and
 * in check the last level is done without a call: gcc half-inlines the recursion by itself,
 * clang does not (binary-trees 20, one thread: clang 0.54 -> 0.41 s, gcc 0.29 -> 0.24 s). */
static node *build(node *n, int depth)
{
    if (depth == 0) {
        n->left = n->right = NULL;
        return n + 1;
    }
    if (depth == 1) {
        n[1].left = n[1].right = n[2].left = n[2].right = NULL;
        n->left = n + 1;
        n->right = n + 2;
        return n + 3;
    }
    n->left = n + 1;
    n->right = build(n + 1, depth - 1);
    return build(n->right, depth - 1);
}

static int64_t check(const node *n)
{
    const node *l = n->left, *r = n->right;
    if (!l)
        return 1;
    return 1 + (l->left ? check(l) : 1) + (r->left ? check(r) : 1);
}

#ifdef LADDER_HAVE_APR
/* KERN_BT_APR: one apr_palloc per node. */
static node *build_apr(apr_pool_t *pl, int depth)
{
    node *n = apr_palloc(pl, sizeof *n);
    if (depth > 0) {
        n->left = build_apr(pl, depth - 1);
        n->right = build_apr(pl, depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static pthread_once_t apr_once = PTHREAD_ONCE_INIT;
static int apr_status;

static void apr_init_once(void)
{
    apr_status = apr_initialize() == APR_SUCCESS ? 0 : -ENOMEM;
}

/* An unmanaged pool (its own allocator, no parent, no mutex): one per thread. */
static apr_pool_t *pool_new(void)
{
    pthread_once(&apr_once, apr_init_once);
    apr_pool_t *p = NULL;
    if (apr_status || apr_pool_create_unmanaged(&p) != APR_SUCCESS)
        return NULL;
    return p;
}
#endif

/* KERN_BT_MALLOC: one malloc per node, NULL when one fails (after freeing what it had). */
static void free_tree(node *n)
{
    if (n->left) {
        free_tree(n->left);
        free_tree(n->right);
    }
    free(n);
}

static node *build_malloc(int depth)
{
    node *n = malloc(sizeof *n);
    if (!n)
        return NULL;
    n->left = n->right = NULL;
    if (depth > 0) {
        node *l = build_malloc(depth - 1), *r = l ? build_malloc(depth - 1) : NULL;
        if (!r) {
            if (l)
                free_tree(l);
            free(n);
            return NULL;
        }
        n->left = l;
        n->right = r;
    }
    return n;
}

typedef struct {
    kern_bt_alloc alloc;
    int max_depth, ndepths;
    int64_t chunks[KERN_BT_MAX_DEPTHS]; /* work items per depth */
    int64_t per_chunk[KERN_BT_MAX_DEPTHS];
    int64_t nitems;
    atomic_llong next;
    atomic_llong check[KERN_BT_MAX_DEPTHS];
    atomic_int err;
} bt_ctx;

/* Trees of one depth, built, checked and released: 0, or -ENOMEM. */
static int trees(const bt_ctx *c, void *where, int depth, int64_t count, int64_t *sum)
{
    switch (c->alloc) {
#ifdef LADDER_HAVE_APR
    case KERN_BT_APR:
        for (int64_t i = 0; i < count; i++) {
            *sum += check(build_apr(where, depth));
            apr_pool_clear(where);
        }
        return 0;
#endif
    case KERN_BT_MALLOC:
        for (int64_t i = 0; i < count; i++) {
            node *t = build_malloc(depth);
            if (!t)
                return -ENOMEM;
            *sum += check(t);
            free_tree(t);
        }
        return 0;
    default: {
        pool *p = where;
        for (int64_t i = 0; i < count; i++) {
            build(p->mem, depth);
            *sum += check(p->mem);
        }
        return 0;
    }
    }
}

static void worker(kern_team *team, int tid, void *arg)
{
    (void)team;
    (void)tid;
    bt_ctx *c = arg;
    pool p = {0};
    void *where = NULL; /* the arena's pool, or the thread's APR pool */
    int64_t sums[KERN_BT_MAX_DEPTHS] = {0};
    for (;;) {
        int64_t item = atomic_fetch_add(&c->next, 1);
        if (item >= c->nitems)
            break;
        int d = 0;
        while (item >= c->chunks[d])
            item -= c->chunks[d++];
        int depth = BT_MIN_DEPTH + 2 * d;
        if (!where && c->alloc == KERN_BT_ARENA) {
            if (pool_init(&p, BT_MIN_DEPTH + 2 * (c->ndepths - 1))) {
                atomic_store(&c->err, -ENOMEM);
                break;
            }
            where = &p;
        }
#ifdef LADDER_HAVE_APR
        if (!where && c->alloc == KERN_BT_APR && !(where = pool_new())) {
            atomic_store(&c->err, -ENOMEM);
            break;
        }
#endif
        int rc = trees(c, where, depth, c->per_chunk[d], &sums[d]);
        if (rc) {
            atomic_store(&c->err, rc);
            break;
        }
    }
    for (int d = 0; d < c->ndepths; d++)
        atomic_fetch_add(&c->check[d], sums[d]);
#ifdef LADDER_HAVE_APR
    if (where && c->alloc == KERN_BT_APR)
        apr_pool_destroy(where);
#endif
    free(p.mem);
}

kern_bt_alloc kern_binary_trees_default_alloc(void)
{
#ifdef LADDER_HAVE_APR
    return KERN_BT_APR;
#else
    return KERN_BT_MALLOC;
#endif
}

const char *kern_bt_alloc_name(kern_bt_alloc a)
{
    switch (a) {
    case KERN_BT_APR: return "apr";
    case KERN_BT_MALLOC: return "malloc";
    case KERN_BT_ARENA: return "arena";
    default: return "unknown";
    }
}

int kern_bt_alloc_parse(const char *name, kern_bt_alloc *out)
{
    for (int a = 0; name && a <= KERN_BT_ARENA; a++)
        if (strcmp(name, kern_bt_alloc_name((kern_bt_alloc)a)) == 0) {
            *out = (kern_bt_alloc)a;
            return 0;
        }
    return -EINVAL;
}

int kern_binary_trees(int n, int threads, kern_bt_result *out)
{
    return kern_binary_trees_with(n, threads, kern_binary_trees_default_alloc(), out);
}

/* The stretch tree, then the long-lived tree, in a pool (or buffer) of their own; the long-lived
 * one stays in *keep until the end. Returns its root, or NULL. */
static node *big_trees(kern_bt_alloc alloc, int max_depth, kern_bt_result *out, void **keep)
{
    switch (alloc) {
#ifdef LADDER_HAVE_APR
    case KERN_BT_APR: {
        apr_pool_t *pl = pool_new();
        if (!pl)
            return NULL;
        out->stretch_check = check(build_apr(pl, max_depth + 1));
        apr_pool_clear(pl);
        *keep = pl;
        return build_apr(pl, max_depth);
    }
#endif
    case KERN_BT_MALLOC: {
        node *t = build_malloc(max_depth + 1);
        if (!t)
            return NULL;
        out->stretch_check = check(t);
        free_tree(t);
        return build_malloc(max_depth);
    }
    default: {
        pool *big = malloc(sizeof *big);
        if (!big || pool_init(big, max_depth + 1)) {
            free(big);
            return NULL;
        }
        build(big->mem, max_depth + 1);
        out->stretch_check = check(big->mem);
        build(big->mem, max_depth);
        *keep = big;
        return big->mem;
    }
    }
}

static void big_free(kern_bt_alloc alloc, node *root, void *keep)
{
    switch (alloc) {
#ifdef LADDER_HAVE_APR
    case KERN_BT_APR: apr_pool_destroy(keep); break;
#endif
    case KERN_BT_MALLOC: free_tree(root); break;
    default: {
        pool *big = keep;
        free(big->mem);
        free(big);
    }
    }
}

int kern_binary_trees_with(int n, int threads, kern_bt_alloc alloc, kern_bt_result *out)
{
    int nt = kern_threads_resolve(threads);
    if (n < 1 || n > BT_MAX_N || nt < 0 || !out || (unsigned)alloc > KERN_BT_ARENA)
        return -EINVAL;
#ifndef LADDER_HAVE_APR
    if (alloc == KERN_BT_APR)
        return -ENOTSUP;
#endif
    memset(out, 0, sizeof *out);
    out->n = n;
    int max_depth = n < BT_MIN_DEPTH + 2 ? BT_MIN_DEPTH + 2 : n;
    out->max_depth = max_depth;

    void *keep = NULL;
    node *long_lived = big_trees(alloc, max_depth, out, &keep);
    if (!long_lived)
        return -ENOMEM;

    bt_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        big_free(alloc, long_lived, keep);
        return -ENOMEM;
    }
    c->alloc = alloc;
    c->max_depth = max_depth;
    for (int depth = BT_MIN_DEPTH; depth <= max_depth; depth += 2) {
        int d = c->ndepths++;
        int64_t iterations = (int64_t)1 << (max_depth - depth + BT_MIN_DEPTH);
        int64_t tree_nodes = ((int64_t)2 << depth) - 1;
        int64_t per = 1; /* a power of two, so it divides iterations */
        while (per * 2 <= iterations && per * 2 * tree_nodes <= BT_CHUNK_NODES)
            per *= 2;
        c->per_chunk[d] = per;
        c->chunks[d] = iterations / per;
        c->nitems += c->chunks[d];
        out->rows[d].depth = depth;
        out->rows[d].iterations = iterations;
    }
    out->ndepths = c->ndepths;
    if (nt > c->nitems)
        nt = (int)c->nitems;
    int rc = kern_team_run(nt, worker, c);
    if (!rc)
        rc = atomic_load(&c->err);
    for (int d = 0; d < c->ndepths; d++)
        out->rows[d].check = atomic_load(&c->check[d]);
    out->long_lived_check = check(long_lived);
    free(c);
    big_free(alloc, long_lived, keep);
    return rc;
}

int kern_binary_trees_format(const kern_bt_result *r, FILE *f)
{
    if (!r || !f)
        return -EINVAL;
    int bad = fprintf(f, "stretch tree of depth %d\t check: %lld\n", r->max_depth + 1,
                      (long long)r->stretch_check) < 0;
    for (int d = 0; d < r->ndepths; d++)
        bad |= fprintf(f, "%lld\t trees of depth %d\t check: %lld\n", (long long)r->rows[d].iterations,
                       r->rows[d].depth, (long long)r->rows[d].check) < 0;
    bad |= fprintf(f, "long lived tree of depth %d\t check: %lld\n", r->max_depth,
                   (long long)r->long_lived_check) < 0;
    return bad ? -EIO : 0;
}
