/* Is the machine quiet enough to time on? Read-only checks of what makes timings wander: the
 * CPU frequency governor and boost, SMT siblings, the load average and the busiest other
 * processes, a hypervisor, memory pressure, ASLR, and whether perf counters, RAPL energy and
 * the cgroup's CPU quota can be read. Nothing is changed on the machine. `ladder doctor` prints
 * the findings; `ladder run` records them in the results document ("noise") and warns on stderr. */
#ifndef LADDER_NOISE_H
#define LADDER_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json/json.h"

typedef enum { NOISE_OK, NOISE_INFO, NOISE_WARN } noise_level;

typedef struct {
    const char *check;   /* static: "governor", "boost", "smt", ... */
    noise_level level;
    char value[200];     /* what was found */
    char advice[240];    /* what to do about it ("" when nothing) */
} noise_finding;

#define NOISE_MAX 16

typedef struct {
    noise_finding items[NOISE_MAX];
    size_t n;
} noise_report;

/* Runs every check; sample_ms is how long the busiest-process sample watches (0: skip it). */
void noise_check(noise_report *out, int sample_ms);
size_t noise_warnings(const noise_report *r);
const char *noise_level_name(noise_level l);
/* The findings as a JSON array of {check, level, value, advice}. */
void noise_write(json_writer *w, const noise_report *r);
/* One line per finding ("WARN  load  5.97 ... — advice"); only warnings when warnings_only. */
void noise_print(FILE *f, const noise_report *r, bool warnings_only, const char *prefix);

#endif
