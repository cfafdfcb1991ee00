#include "kernels.h"
#include "kern_threads.h"

#include "cpu/cpu_pool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define KERN_MAX_THREADS 1024


struct kern_team {
    int size;
    kern_team_fn fn;
    void *arg;
    /* a run on threads of its own (the kept workers taken): 0 waiting, 1 go, -1 cancelled */
    int state;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* kern_team_barrier: threads arrived, and how many times all have */
    atomic_int arrived;
    atomic_uint passed;
    bool spin; /* a CPU a thread: waits spin (cpu_waiter) */
    atomic_int done; /* the kept workers that have ended this run */
};

typedef struct {
    kern_team *team;
    int tid;
    bool placed; /* started on one CPU (cpu_place_attr), widened before it runs fn */
    pthread_t thread;
} kern_worker;

int kern_threads_resolve(int threads)
{
    if (threads < 0 || threads > KERN_MAX_THREADS)
        return -EINVAL;
    if (threads > 0)
        return threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > KERN_MAX_THREADS ? KERN_MAX_THREADS : (int)n;
}

int kern_team_size(const kern_team *team)
{
    return team->size;
}

/* Spinning (cpu_waiter), not a pthread barrier: that put each waiter to sleep and woke it
 * through the other CPU, which at spectral-norm's quick size (4 barriers a step, 10 steps) made
 * two threads slower than one. */
void kern_team_barrier(kern_team *team)
{
    if (team->size < 2)
        return;
    unsigned passed = atomic_load_explicit(&team->passed, memory_order_acquire);
    if (atomic_fetch_add_explicit(&team->arrived, 1, memory_order_acq_rel) == team->size - 1) {
        /* the last to arrive: no one arrives again before passed moves */
        atomic_store_explicit(&team->arrived, 0, memory_order_relaxed);
        atomic_fetch_add_explicit(&team->passed, 1, memory_order_release);
        return;
    }
    for (cpu_waiter w = cpu_waiter_make(team->spin); atomic_load_explicit(&team->passed, memory_order_acquire) == passed;)
        cpu_waiter_pause(&w);
}

static void *worker_main(void *p)
{
    kern_worker *w = p;
    kern_team *t = w->team;
    pthread_mutex_lock(&t->mu);
    while (t->state == 0)
        pthread_cond_wait(&t->cv, &t->mu);
    int go = t->state > 0;
    pthread_mutex_unlock(&t->mu);
    if (w->placed)
        cpu_place_widen();
    if (go)
        t->fn(t, w->tid, t->arg);
    return NULL;
}

/* The process's kept workers (cpu_pool.h). One run at a time takes them; a run that finds them
 * taken, or that needs more than CPU_POOL_MAX, makes its own threads and joins them. Made on
 * the first run that splits (the warm-up, in the rungs), kept until the process ends. */
enum { TEAM_SPIN_NS = 200000 }; /* see cpu_pool.h: binary-trees' caller works alone between runs */
static pthread_mutex_t team_pool_mu = PTHREAD_MUTEX_INITIALIZER;
static cpu_pool *team_pool;

static void team_pool_fn(void *p, size_t index)
{
    kern_team *t = p;
    t->fn(t, (int)index, t->arg);
    atomic_fetch_add_explicit(&t->done, 1, memory_order_release);
}

/* The run on the kept workers; false, having run nothing, when they are taken or too few. */
static bool team_pool_run(kern_team *t)
{
    size_t want = (size_t)t->size - 1;
    if (want > CPU_POOL_MAX || pthread_mutex_trylock(&team_pool_mu) != 0)
        return false;
    bool ran = cpu_pool_resize(&team_pool, want, TEAM_SPIN_NS) == want;
    if (ran) {
        atomic_init(&t->done, 0);
        cpu_pool_start(team_pool, team_pool_fn, t);
        t->fn(t, 0, t->arg);
        for (cpu_waiter w = cpu_waiter_make(t->spin); atomic_load_explicit(&t->done, memory_order_acquire) < t->size - 1;)
            cpu_waiter_pause(&w);
    }
    pthread_mutex_unlock(&team_pool_mu);
    return ran;
}

static void release(kern_team *t, int state)
{
    pthread_mutex_lock(&t->mu);
    t->state = state;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

int kern_team_run(int threads, kern_team_fn fn, void *arg)
{
    if (threads < 1 || threads > KERN_MAX_THREADS || !fn)
        return -EINVAL;
    kern_team t = {.size = threads, .fn = fn, .arg = arg};
    if (threads == 1) {
        fn(&t, 0, arg);
        return 0;
    }
    atomic_init(&t.arrived, 0);
    atomic_init(&t.passed, 0);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    t.spin = cpus >= threads;
    if (team_pool_run(&t))
        return 0;
    kern_worker *w = calloc((size_t)threads, sizeof *w);
    if (!w)
        return -ENOMEM;
    int rc = 0;
    pthread_mutex_init(&t.mu, NULL);
    pthread_cond_init(&t.cv, NULL);
    int started = 1;
    for (; started < threads; started++) {
        w[started].team = &t;
        w[started].tid = started;
        rc = cpu_place_create(&w[started].thread, (unsigned)started, worker_main, &w[started], &w[started].placed);
        if (rc)
            break;
    }
    release(&t, rc ? -1 : 1);
    if (!rc)
        fn(&t, 0, arg);
    for (int i = 1; i < started; i++)
        pthread_join(w[i].thread, NULL);
    pthread_cond_destroy(&t.cv);
    pthread_mutex_destroy(&t.mu);
    free(w);
    return -rc;
}
