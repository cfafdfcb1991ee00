/* How long a thread blocked in epoll_wait on CPU 0 takes to run after CPU 1 wakes it, at a fixed
 * rate of wake-ups; what spinning before sleeping (epoll_wait with timeout 0 for SPIN_US) costs in
 * CPU per wake-up; and what a short scheduler slice (SLICE_US, sched_setattr's runtime: EEVDF,
 * Linux 6.12+; 0 keeps the kernel's) changes: the mechanisms under a server's p99 at low offered
 * rates (docs/METHODOLOGY.md, "HTTP: the kernel's share of a request").
 *
 *   cc -std=c17 -O2 -Wall -Wextra -pthread -o /tmp/wake_latency docs/explain/wake_latency.c
 *   /tmp/wake_latency 2000 4 0 0; /tmp/wake_latency 2000 4 50 0; /tmp/wake_latency 2000 4 0 100
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pipe_fd[2];
static double rate, seconds;

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* Writes its send time every 1/rate s (sleeping until just before, then spinning to the due
 * time, so the sender's own wake-up is not in the measurement); a negative time ends. */
static void *sender(void *arg) {
    (void)arg;
    pin(1);
    long n = (long)(rate * seconds);
    double t0 = now_us(), gap = 1e6 / rate;
    for (long i = 0; i < n; i++) {
        double due = t0 + (double)i * gap, t;
        while ((t = now_us()) < due)
            if (due - t > 200)
                usleep((useconds_t)(due - t - 100));
        double sent = now_us();
        if (write(pipe_fd[1], &sent, sizeof sent) != (ssize_t)sizeof sent)
            break;
    }
    double stop = -1;
    if (write(pipe_fd[1], &stop, sizeof stop) != (ssize_t)sizeof stop)
        perror("wake_latency: write");
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double cpu_us(void) {
    struct rusage r;
    getrusage(RUSAGE_THREAD, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 + (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

int main(int argc, char **argv) {
    if (argc != 5 || (rate = atof(argv[1])) <= 0 || (seconds = atof(argv[2])) <= 0 || atof(argv[3]) < 0 ||
        atof(argv[4]) < 0) {
        fprintf(stderr, "usage: wake_latency RATE SECONDS SPIN_US SLICE_US\n");
        return 2;
    }
    double spin_us = atof(argv[3]), slice_us = atof(argv[4]);
    size_t cap = (size_t)(rate * seconds) + 1;
    double *lat = malloc(cap * sizeof *lat);
    int ep = epoll_create1(0);
    if (!lat || pipe(pipe_fd) != 0 || ep < 0) {
        perror("wake_latency");
        return 1;
    }
    pin(0);
    if (slice_us > 0) {
        /* the kernel's struct sched_attr, first version (glibc has no wrapper) */
        struct {
            uint32_t size, policy;
            uint64_t flags;
            int32_t nice;
            uint32_t priority;
            uint64_t runtime, deadline, period;
        } attr = {.size = 48, .policy = SCHED_OTHER, .runtime = (uint64_t)(slice_us * 1000)};
        if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0)
            perror("wake_latency: sched_setattr");
    }
    struct epoll_event ev = {.events = EPOLLIN}, out[8];
    epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fd[0], &ev);
    double cpu0 = cpu_us();
    pthread_t th;
    pthread_create(&th, NULL, sender, NULL);
    size_t n = 0;
    for (;;) {
        int ready = 0;
        if (spin_us > 0) {
            double until = now_us() + spin_us;
            do
                ready = epoll_wait(ep, out, 8, 0);
            while (ready == 0 && now_us() < until);
        }
        if (ready == 0)
            epoll_wait(ep, out, 8, -1);
        double sent;
        if (read(pipe_fd[0], &sent, sizeof sent) != (ssize_t)sizeof sent || sent < 0)
            break;
        if (n < cap)
            lat[n++] = now_us() - sent;
    }
    double cpu = cpu_us() - cpu0;
    pthread_join(th, NULL);
    if (n == 0) {
        free(lat);
        return 1;
    }
    qsort(lat, n, sizeof *lat, cmp_double);
    printf("spin %g us, slice %g us: %zu wake-ups, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us, receiver CPU %.1f us per wake-up\n",
           spin_us, slice_us, n, lat[n / 2], lat[n * 99 / 100], lat[n * 999 / 1000], lat[n - 1], cpu / (double)n);
    free(lat);
    return 0;
}
