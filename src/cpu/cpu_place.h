/* Where a new thread of a team starts: on a CPU that the thread creating it is not on.
 *
 * Linux starts a new thread on its creator's CPU and moves it to an idle CPU only when it next
 * balances its load. On the 2-vCPU test VM that took longer than a whole rung process at the
 * quick size: in 5 of 8 processes of the c-mt pipeline (10,000 events) both threads stayed on
 * one CPU for every iteration, each taking 1.1-1.4 ms against 0.5 ms where they were apart, and
 * the quick lab's c-mt rows ran slower than the one-thread c rows. So a worker is created
 * allowed on one other CPU only (cpu_place_attr), and widens itself to the process's CPUs once
 * it runs there (cpu_place_widen), so that it can still be moved off a CPU another process
 * takes.
 *
 * Header-only, as cpu_features.h is, for every build of the kernels and the pipeline. Linux
 * (glibc) only; elsewhere it places nothing. */
#ifndef LADDER_CPU_PLACE_H
#define LADDER_CPU_PLACE_H

#include <pthread.h>
#include <stdbool.h>

#if defined(__linux__)
#include <sched.h>
#include <unistd.h>

/* *one = the k-th (k >= 1) of thread `of`'s CPUs (0: the calling thread) after CPU `from`,
 * counting round; false when there is nothing to choose (one CPU, or the calls fail). */
static inline bool cpu_place_pick(pid_t of, int from, unsigned k, cpu_set_t *one)
{
    cpu_set_t allowed;
    if (k == 0 || from < 0 || from >= CPU_SETSIZE || sched_getaffinity(of, sizeof allowed, &allowed) != 0 ||
        CPU_COUNT(&allowed) < 2)
        return false;
    int cpu = from;
    for (unsigned found = 0; found < k;) {
        cpu = (cpu + 1) % CPU_SETSIZE;
        found += CPU_ISSET(cpu, &allowed) != 0;
    }
    CPU_ZERO(one);
    CPU_SET(cpu, one);
    return true;
}

/* Initializes *attr for the k-th (k >= 1) worker of a team: allowed only on the k-th of the
 * calling thread's CPUs after the one it runs on. False, with *attr untouched, when there is
 * nothing to choose: then create the thread without it. The caller destroys *attr after
 * pthread_create. */
static inline bool cpu_place_attr(pthread_attr_t *attr, unsigned k)
{
    cpu_set_t one;
    if (!cpu_place_pick(0, sched_getcpu(), k, &one) || pthread_attr_init(attr) != 0)
        return false;
    if (pthread_attr_setaffinity_np(attr, sizeof one, &one) != 0) {
        pthread_attr_destroy(attr);
        return false;
    }
    return true;
}

/* In a worker placed by cpu_place_attr, once it runs: allowed again on every CPU the process's
 * main thread may use. */
static inline void cpu_place_widen(void)
{
    cpu_set_t all;
    if (sched_getaffinity(getpid(), sizeof all, &all) == 0)
        sched_setaffinity(0, sizeof all, &all);
}

/* In the k-th worker of a team that lives on (a pool), at the start of a run: when it shares
 * CPU `caller` with the thread that handed out the run, it moves to the k-th CPU after that one
 * and is then allowed everywhere again. A caller moved onto its worker's CPU stayed there in
 * 1 of 10 quick-size processes, as a new thread does. */
static inline void cpu_place_away(int caller, unsigned k)
{
    cpu_set_t one;
    if (caller >= 0 && sched_getcpu() == caller && cpu_place_pick(0, caller, k, &one) &&
        sched_setaffinity(0, sizeof one, &one) == 0)
        cpu_place_widen();
}

/* Moves the thread with kernel id tid (of this process, not the caller) to the k-th CPU after
 * CPU `from` among those the process's main thread may use (what cpu_place_widen gives back);
 * false when nothing was moved. */
static inline bool cpu_place_move(int tid, int from, unsigned k)
{
    cpu_set_t one;
    return tid > 0 && cpu_place_pick(getpid(), from, k, &one) && sched_setaffinity(tid, sizeof one, &one) == 0;
}
#else
static inline bool cpu_place_attr(pthread_attr_t *attr, unsigned k)
{
    (void)attr;
    (void)k;
    return false;
}

static inline void cpu_place_widen(void)
{
}

static inline void cpu_place_away(int caller, unsigned k)
{
    (void)caller;
    (void)k;
}

static inline bool cpu_place_move(int tid, int from, unsigned k)
{
    (void)tid;
    (void)from;
    (void)k;
    return false;
}
#endif

/* pthread_create for the k-th worker of a team, placed by cpu_place_attr where it can be;
 * *placed says whether it was (set before the thread starts, for it to read). When the placement
 * is refused (the CPU may have left the process's set since), the worker starts anywhere. */
static inline int cpu_place_create(pthread_t *tid, unsigned k, void *(*start)(void *), void *arg, bool *placed)
{
    pthread_attr_t attr;
    *placed = cpu_place_attr(&attr, k);
    if (*placed) {
        int rc = pthread_create(tid, &attr, start, arg);
        pthread_attr_destroy(&attr);
        if (rc == 0)
            return 0;
        *placed = false;
    }
    return pthread_create(tid, NULL, start, arg);
}

#endif
