/* Worker threads kept between runs, as OpenMP keeps its team between parallel regions: the
 * pipeline's (one pool a pipeline) and the kernels' (one for the process).
 *
 * On the 2-vCPU test VM a new thread ran 3-4 ms after pthread_create, more than a whole run at
 * the quick sizes; a parked worker that still spins takes a run within microseconds. Each worker
 * spins for the pool's spin_ns after its last run, then sleeps on a condition variable, so an
 * idle pool costs no CPU. How long is the owner's choice: a worker spinning while the caller
 * works alone slowed the caller (binary-trees at 12, whose caller builds two trees by itself
 * between runs: 2 ms of spin took c-mt/c from 1.40 to 0.81), and one asleep costs a run the
 * wake-up (the pipeline at 10,000 events: 1.61 with 2 ms, 1.50 with 0.2). Workers start on a
 * CPU their creator is not on (cpu_place.h).
 *
 * Header-only, as cpu_features.h is, for every build of the kernels and the pipeline. The pool
 * belongs to whoever made it (cpu_pool_resize) and is freed with cpu_pool_free; one thread
 * hands out runs, and the next only after every worker has ended the last one (fn's business:
 * the pool does not count them). */
#ifndef LADDER_CPU_POOL_H
#define LADDER_CPU_POOL_H

#include "cpu/cpu_place.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { CPU_POOL_MAX = 256, CPU_POOL_TIGHT_SPINS = 20000 };

/* A run: fn(arg, i) on worker i, 1..the pool's workers. */
typedef void (*cpu_pool_fn)(void *arg, size_t index);

typedef struct cpu_pool cpu_pool;
typedef struct {
    cpu_pool *pool;
    size_t index; /* 1-based */
    size_t seen;  /* the gen before its first run */
    bool placed;  /* started on one CPU (cpu_place_attr), to be widened in its first run */
    atomic_int os_tid; /* the worker's kernel thread id, 0 until it runs */
    atomic_bool moved; /* moved off the caller's CPU by cpu_pool_start: widen at the next run */
    bool asleep;       /* on the pool's cv; under mu */
} cpu_pool_arg;

struct cpu_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t sleepers;    /* workers asleep on cv; under mu */
    atomic_size_t gen;  /* how many runs were handed out; changes under mu */
    atomic_size_t live; /* workers 1..live stay, the others return */
    cpu_pool_fn fn;     /* run number gen, written before gen */
    void *arg;
    int caller_cpu; /* where the run was handed out from (cpu_place_away) */
    size_t nworkers;
    size_t cpus;      /* online */
    int64_t spin_ns;  /* set when the pool is made, before any worker */
    atomic_bool spin; /* a worker and the caller a CPU each: more would spin on a waiting CPU */
    pthread_t tid[CPU_POOL_MAX + 1];
    cpu_pool_arg args[CPU_POOL_MAX + 1];
};

static inline int64_t cpu_pool_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A thread of a run waiting for another (a barrier, a phase, the end):
 *     for (cpu_waiter w = cpu_waiter_make(spin); !ready;) cpu_waiter_pause(&w);
 * With `spin` (the run's threads have a CPU each) it spins, the other threads being microseconds
 * away where a sleeping one can take milliseconds to wake on a virtual machine's idle CPU, for
 * up to CPU_WAIT_SPIN_NS, and then yields its CPU between checks, as it does from the start
 * without `spin` (the thread it waits for may be on its CPU). Yielding after a short spin handed
 * a worker's CPU to another process's busy loop until that loop's next tick, 4 ms: the
 * pipeline's c-mt/c fell to 0.17x at the quick size (1.56x spinning). */
enum { CPU_WAIT_TIGHT = 1 << 14 };
#define CPU_WAIT_SPIN_NS 1000000
typedef struct {
    bool spin;
    unsigned checks;
    int64_t until;
} cpu_waiter;

static inline cpu_waiter cpu_waiter_make(bool spin)
{
    return (cpu_waiter){.spin = spin};
}

static inline void cpu_waiter_pause(cpu_waiter *w)
{
    if (!w->spin) {
        sched_yield();
        return;
    }
    if (w->checks++ < CPU_WAIT_TIGHT)
        return;
#if defined(__SSE2__)
    _mm_pause();
#endif
    if ((w->checks & 1023) != 0)
        return;
    int64_t now = cpu_pool_now_ns();
    if (!w->until)
        w->until = now + CPU_WAIT_SPIN_NS;
    w->spin = now < w->until;
}

/* Waits for the run after `seen`: spinning, then yielding the CPU, then asleep. False when the
 * worker is to return. */
static inline bool cpu_pool_wait(cpu_pool *pool, cpu_pool_arg *a, size_t seen)
{
    size_t index = a->index;
    int64_t t0 = cpu_pool_now_ns();
    for (unsigned spins = 0; atomic_load_explicit(&pool->spin, memory_order_relaxed); spins++) {
        if (atomic_load_explicit(&pool->live, memory_order_acquire) < index)
            return false;
        if (atomic_load_explicit(&pool->gen, memory_order_acquire) != seen)
            return true;
        if (spins < CPU_POOL_TIGHT_SPINS) {
#if defined(__SSE2__)
            _mm_pause();
#endif
            continue;
        }
        sched_yield();
        if (cpu_pool_now_ns() - t0 > pool->spin_ns)
            break;
    }
    pthread_mutex_lock(&pool->mu);
    pool->sleepers++;
    a->asleep = true;
    while (atomic_load(&pool->live) >= index && atomic_load(&pool->gen) == seen)
        pthread_cond_wait(&pool->cv, &pool->mu);
    a->asleep = false;
    pool->sleepers--;
    bool go = atomic_load(&pool->live) >= index;
    pthread_mutex_unlock(&pool->mu);
    return go;
}

static inline void *cpu_pool_worker(void *p)
{
    cpu_pool_arg *a = p;
    cpu_pool *pool = a->pool;
    atomic_store_explicit(&a->os_tid, (int)gettid(), memory_order_release);
    /* the next run is handed out only after every worker is done with this one, so gen moves
     * by one between two waits */
    for (size_t seen = a->seen; cpu_pool_wait(pool, a, seen);) {
        seen = atomic_load_explicit(&pool->gen, memory_order_acquire);
        if (a->placed || (atomic_load_explicit(&a->moved, memory_order_relaxed) &&
                          atomic_exchange_explicit(&a->moved, false, memory_order_acquire))) {
            cpu_place_widen();
            a->placed = false;
        }
        cpu_place_away(pool->caller_cpu, (unsigned)a->index);
        pool->fn(pool->arg, a->index);
    }
    return NULL;
}

/* Workers keep+1..nworkers return; no run is out. */
static inline void cpu_pool_stop(cpu_pool *pool, size_t keep)
{
    pthread_mutex_lock(&pool->mu);
    atomic_store(&pool->live, keep);
    pthread_cond_broadcast(&pool->cv);
    pthread_mutex_unlock(&pool->mu);
    for (size_t i = keep + 1; i <= pool->nworkers; i++)
        pthread_join(pool->tid[i], NULL);
    pool->nworkers = keep;
}

static inline void cpu_pool_free(cpu_pool *pool)
{
    if (!pool)
        return;
    cpu_pool_stop(pool, 0);
    pthread_cond_destroy(&pool->cv);
    pthread_mutex_destroy(&pool->mu);
    free(pool);
}

/* Makes *poolp (made here on first use, its workers then spinning spin_ns after each run) have
 * `want` workers (at most CPU_POOL_MAX), or as many as could be started; returns how many it
 * has. No run may be out. */
static inline size_t cpu_pool_resize(cpu_pool **poolp, size_t want, int64_t spin_ns)
{
    cpu_pool *pool = *poolp;
    if (!pool) {
        if (!(pool = calloc(1, sizeof *pool)))
            return 0;
        if (pthread_mutex_init(&pool->mu, NULL) != 0) {
            free(pool);
            return 0;
        }
        if (pthread_cond_init(&pool->cv, NULL) != 0) {
            pthread_mutex_destroy(&pool->mu);
            free(pool);
            return 0;
        }
        atomic_init(&pool->gen, 0);
        atomic_init(&pool->live, 0);
        atomic_init(&pool->spin, false);
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        pool->cpus = cpus > 0 ? (size_t)cpus : 1;
        pool->spin_ns = spin_ns;
        *poolp = pool;
    }
    if (want > CPU_POOL_MAX)
        want = CPU_POOL_MAX;
    if (pool->nworkers > want)
        cpu_pool_stop(pool, want);
    atomic_store(&pool->live, want);
    while (pool->nworkers < want) {
        size_t i = pool->nworkers + 1;
        cpu_pool_arg *a = &pool->args[i];
        *a = (cpu_pool_arg){.pool = pool, .index = i, .seen = atomic_load(&pool->gen)};
        atomic_init(&a->os_tid, 0);
        atomic_init(&a->moved, false);
        if (cpu_place_create(&pool->tid[i], (unsigned)i, cpu_pool_worker, &pool->args[i], &pool->args[i].placed) != 0)
            break;
        pool->nworkers = i;
    }
    atomic_store(&pool->live, pool->nworkers);
    atomic_store(&pool->spin, pool->nworkers < pool->cpus);
    return pool->nworkers;
}

/* Sleeping worker i moved to the i-th CPU after `caller` (where cpu_place_away would put it);
 * it widens again when it takes the run. Under mu. */
static inline void cpu_pool_move(cpu_pool *pool, size_t i, int caller)
{
    cpu_pool_arg *a = &pool->args[i];
    if (cpu_place_move(atomic_load_explicit(&a->os_tid, memory_order_acquire), caller, (unsigned)i))
        atomic_store_explicit(&a->moved, true, memory_order_release);
}

/* Hands fn(arg, i) to every worker i and returns: the caller does its own part meanwhile.
 *
 * Linux may wake a sleeping worker onto the CPU of the thread that wakes it (seen in a trace of
 * sched_wakeup on the 2-vCPU VM, with the other CPU idle). There the worker runs only when the
 * caller's time slice ends, after the caller has done the whole run alone: binary-trees at 12
 * took 1.9 ms against 1.4 in 11 of 20 processes. So each sleeper is first moved off the caller's
 * CPU (0.3 us: it is not running). A spinning worker that the scheduler put on the caller's CPU
 * between runs stays there; moving it once it was late cost more than it saved (the move of a
 * worker whose CPU was not running waited 20-100 us). */
static inline void cpu_pool_start(cpu_pool *pool, cpu_pool_fn fn, void *arg)
{
    int caller = sched_getcpu();
    pool->fn = fn;
    pool->arg = arg;
    pool->caller_cpu = caller;
    pthread_mutex_lock(&pool->mu);
    atomic_fetch_add_explicit(&pool->gen, 1, memory_order_release);
    if (pool->sleepers) {
        for (size_t i = 1; i <= pool->nworkers; i++)
            if (pool->args[i].asleep)
                cpu_pool_move(pool, i, caller);
        pthread_cond_broadcast(&pool->cv);
    }
    pthread_mutex_unlock(&pool->mu);
}

#endif
