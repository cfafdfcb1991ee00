#include "suites/compute/compute_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <math.h>

#include "core/stats.h"
#include "core/strbuf.h"
#include "report/fmt.h"

bool compute_selected(const char *const *names, const char *name)
{
    if (!names || !*names)
        return true;
    for (; *names; names++)
        if (!strcmp(*names, name))
            return true;
    return false;
}

rung_state *compute_reference_state(const problem *p, rung_state *states, size_t n)
{
    for (size_t i = 0; p->reference_rung && i < n; i++)
        if (!strcmp(states[i].r->name, p->reference_rung))
            return &states[i];
    return NULL;
}

bool compute_left_out(const compute_plan *plan, const rung *r, char *why, size_t cap)
{
    if (plan->size_index != SIZE_QUICK || !r->quick_skip || (plan->rungs && *plan->rungs))
        return false;
    str_setf(why, cap, "left out of the quick lab (name it with -r to run it): %s", r->quick_skip);
    return true;
}

static bool wanted(const compute_plan *plan, const problem *p, const rung *r)
{
    return compute_selected(plan->problems, p->id) && compute_selected(plan->rungs, r->name) &&
           rung_implements(r, p->id);
}

size_t compute_count(const manifest_registry *reg, const compute_plan *plan)
{
    size_t total = 0;
    for (size_t p = 0; p < reg->nproblems; p++)
        for (size_t r = 0; r < reg->nrungs; r++)
            total += wanted(plan, &reg->problems[p], &reg->rungs[r]);
    return total;
}

void compute_shuffle(size_t *order, size_t n, uint64_t *state)
{
    stats_shuffle(order, n, state);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the progress line needs: how many processes done, and per row how long its first process
 * took (the estimate for its later rounds; rows not started yet get the mean), how many of its
 * rounds ran and whether it stopped (failed or skipped rows are not run again). */
typedef struct {
    double s;
    int runs;
    bool stopped;
} progress_slot;

typedef struct {
    size_t done, nrows;
    progress_slot *row;
    double sum_s;
    size_t measured;
    int rounds, max_rounds;
    double min_time_s;
} progress;

/* The rounds a row that takes s a process is expected to get. */
static int rounds_expected(const progress *pg, double s)
{
    if (pg->min_time_s <= 0 || s <= 0)
        return pg->rounds;
    double want = ceil(pg->min_time_s / s);
    return want > pg->max_rounds ? pg->max_rounds : want < pg->rounds ? pg->rounds : (int)want;
}

static double time_left(const progress *pg)
{
    if (!pg->measured)
        return -1;
    double mean = pg->sum_s / (double)pg->measured, left = 0;
    for (size_t i = 0; i < pg->nrows; i++)
        if (!pg->row[i].stopped) {
            double s = pg->row[i].s > 0 ? pg->row[i].s : mean;
            int more = rounds_expected(pg, s) - pg->row[i].runs;
            left += more > 0 ? more * s : 0;
        }
    return left;
}

/* The processes done and expected in all, for the [done/total] counter. */
static size_t total_expected(const progress *pg)
{
    double mean = pg->measured ? pg->sum_s / (double)pg->measured : 0;
    size_t total = 0;
    for (size_t i = 0; i < pg->nrows; i++) {
        const progress_slot *ps = &pg->row[i];
        int want = ps->stopped ? ps->runs : rounds_expected(pg, ps->s > 0 ? ps->s : mean);
        total += (size_t)(want > ps->runs ? want : ps->runs > 0 ? ps->runs : 1);
    }
    return total;
}

static void fmt_left(double s, char *out, size_t cap)
{
    if (s < 0)
        snprintf(out, cap, "estimating time left");
    else if (s < 60)
        snprintf(out, cap, "about %.0f s left", s);
    else
        snprintf(out, cap, "about %.0f min %02.0f s left", floor(s / 60), fmod(s, 60));
}

static void progress_row(const progress *pg, int round, const bench_row *row, const char *left)
{
    char t[32] = "";
    if (row->status == ROW_OK)
        fmt_ns(row->kernel.median, t, sizeof t);
    fprintf(stderr, "\r\033[K[%zu/%zu] round %d/%d %-15s %-14s %-8s %s%s%s · %s\n", pg->done, total_expected(pg),
            round + 1, round < pg->rounds ? pg->rounds : pg->max_rounds, row->prob->id, row->r->name, bench_status_name(row->status), t,
            row->status == ROW_OK ? "" : " ", row->status == ROW_OK ? "" : row->reason, left);
}

/* Adds a later round's run of the same (problem, rung) to acc: samples, warm-ups and parts appended, the
 * process figures summed (averaged at the end); a failure in any round fails the row. */
static void merge_round(bench_row *acc, bench_row *r, int round)
{
    if (r->status != ROW_OK) {
        acc->status = r->status;
        acc->failure = r->failure;
        str_setf(acc->reason, sizeof acc->reason, "round %d: %s", round + 1, r->reason);
        acc->verified = false;
        acc->rounds++;
        bench_row_free(r);
        return;
    }
    acc->verified = acc->verified && r->verified;
    char why[200];
    if (bench_row_append(acc, r, why, sizeof why)) {
        acc->status = ROW_FAILED;
        acc->failure = "protocol";
        str_setf(acc->reason, sizeof acc->reason, "round %d: %s", round + 1, why);
        bench_row_free(r);
        return;
    }
    acc->rounds++;
    acc->wall_ns += r->wall_ns;
    acc->user_ns += r->user_ns;
    acc->sys_ns += r->sys_ns;
    if (r->max_rss_kb > acc->max_rss_kb)
        acc->max_rss_kb = r->max_rss_kb;
    bench_row_free(r);
}

static long size_of(const compute_plan *plan, const problem *p)
{
    return plan->size_index >= 0 ? p->sizes[plan->size_index] : plan->n;
}

static int check_sizes(const manifest_registry *reg, const compute_plan *plan, char *err, size_t cap)
{
    for (size_t p = 0; p < reg->nproblems; p++) {
        const problem *prob = &reg->problems[p];
        long n = size_of(plan, prob);
        if (compute_selected(plan->problems, prob->id) && (n < prob->min_n || n > prob->max_n)) {
            snprintf(err, cap, "N=%ld is outside %s's range [%ld, %ld]", n, prob->id, prob->min_n, prob->max_n);
            return -1;
        }
    }
    return 0;
}

/* What one run of the plan carries from problem to problem. */
typedef struct {
    const manifest_registry *reg;
    const compute_plan *plan;
    const bench_opts *bo;
    compute_run *out;
    progress pg;
    size_t *order; /* the wanted rungs of the current problem, shuffled per round */
    uint64_t rng;
    bool tty;
} runner;

/* One start of rung r (row ri) in a round, with the progress line. */
static void run_one(runner *x, const bench_case *bc, size_t r, size_t ri, int round)
{
    bench_row *row = &x->out->rows[ri];
    progress *pg = &x->pg;
    if (round > 0 && row->status != ROW_OK) {
        pg->done++;
        return;
    }
    char left[64];
    fmt_left(time_left(pg), left, sizeof left);
    if (x->tty)
        fprintf(stderr, "\r\033[K[%zu/%zu] round %d/%d %-15s %-14s running N=%ld · %s", pg->done + 1,
                total_expected(pg), round + 1, round < pg->rounds ? pg->rounds : pg->max_rounds, bc->prob->id, x->reg->rungs[r].name, bc->n, left);
    double t0 = now_s();
    bench_row run;
    bench_run(&x->out->states[r], bc, x->plan->size_label, x->bo, round ? &run : row);
    double took = now_s() - t0;
    if (round)
        merge_round(row, &run, round);
    progress_slot *ps = &pg->row[ri];
    if (!ps->runs++) {
        /* the first run may include the rung's build: the process's own wall time is the better
         * guess for its later rounds */
        ps->s = row->wall_ns > 0 ? (double)row->wall_ns / 1e9 : took;
        pg->sum_s += ps->s;
        pg->measured++;
    }
    ps->stopped = row->status != ROW_OK;
    pg->done++;
    if (x->tty) {
        fmt_left(time_left(pg), left, sizeof left);
        progress_row(pg, round, row, left);
    }
}

/* Pooled rounds: the process figures become means over the row's rounds, the summary covers all
 * samples. */
static void average_rounds(compute_run *out, size_t first)
{
    for (size_t i = first; i < out->nrows; i++) {
        bench_row *row = &out->rows[i];
        if (row->status != ROW_OK || row->rounds < 2)
            continue;
        row->wall_ns /= row->rounds;
        row->user_ns /= row->rounds;
        row->sys_ns /= row->rounds;
        if (bench_row_summarize(row)) {
            row->status = ROW_FAILED;
            row->failure = "protocol";
            str_setf(row->reason, sizeof row->reason, "out of memory summarising the samples");
        }
    }
}

/* Whether row (ok, with its processes' wall times summed so far) gets another round beyond the
 * plan's fixed ones. */
static bool wants_round(const compute_plan *plan, const bench_row *row)
{
    return plan->min_time_s > 0 && row->status == ROW_OK && row->rounds < plan->max_rounds &&
           (double)row->wall_ns / 1e9 < plan->min_time_s;
}

static int run_problem(runner *x, const problem *prob, char *err, size_t cap)
{
    const manifest_registry *reg = x->reg;
    compute_run *out = x->out;
    long n = size_of(x->plan, prob);
    size_t first = out->nrows, count = 0;
    for (size_t r = 0; r < reg->nrungs; r++)
        if (wanted(x->plan, prob, &reg->rungs[r]))
            x->order[count++] = r;
    /* row first + i belongs to the i-th wanted rung in manifest order */
    size_t *slot = calloc(reg->nrungs ? reg->nrungs : 1, sizeof *slot);
    if (!slot) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    out->nrows += count;
    for (size_t i = 0; i < count; i++)
        slot[x->order[i]] = first + i;
    bench_case bc;
    bench_case_prepare(&bc, prob, n, compute_reference_state(prob, out->states, reg->nrungs), x->bo);
    int rounds = x->pg.rounds, round = 0;
    for (; round < rounds; round++) {
        if (rounds > 1)
            compute_shuffle(x->order, count, &x->rng);
        for (size_t i = 0; i < count; i++)
            run_one(x, &bc, x->order[i], slot[x->order[i]], round);
    }
    /* the rows still short of min_time, each round among just those; a row drops out for good */
    for (size_t more = count; more > 0; round++) {
        more = 0;
        for (size_t i = 0; i < count; i++) {
            const bench_row *row = &out->rows[first + i];
            if (wants_round(x->plan, row) && row->rounds == round)
                x->order[more++] = (size_t)(row->r - reg->rungs);
        }
        if (more > 1)
            compute_shuffle(x->order, more, &x->rng);
        for (size_t i = 0; i < more; i++)
            run_one(x, &bc, x->order[i], slot[x->order[i]], round);
    }
    free(slot);
    average_rounds(out, first);
    bench_case_free(&bc);
    return 0;
}

int compute_run_plan(const manifest_registry *reg, const compute_plan *plan, const bench_opts *bo, compute_run *out,
                     char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (check_sizes(reg, plan, err, cap))
        return -1;
    size_t total = compute_count(reg, plan);
    int rounds = plan->rounds > 1 ? plan->rounds : 1;
    runner x = {.reg = reg, .plan = plan, .bo = bo, .out = out, .rng = plan->seed,
                .tty = plan->progress && isatty(2),
                .pg = {.nrows = total, .rounds = rounds, .min_time_s = plan->min_time_s,
                       .max_rounds = plan->max_rounds > rounds ? plan->max_rounds : rounds,
                       .row = calloc(total ? total : 1, sizeof *x.pg.row)}};
    out->states = calloc(reg->nrungs ? reg->nrungs : 1, sizeof *out->states);
    out->rows = calloc(total ? total : 1, sizeof *out->rows);
    x.order = calloc(reg->nrungs ? reg->nrungs : 1, sizeof *x.order);
    int rc = 0;
    if (!out->states || !out->rows || !x.order || !x.pg.row) {
        snprintf(err, cap, "out of memory");
        rc = -1;
    }
    for (size_t i = 0; !rc && i < reg->nrungs; i++) {
        rung_state *st = &out->states[i];
        rung_state_init(st, &reg->rungs[i], bo);
        if (!st->checked && compute_left_out(plan, st->r, st->reason, sizeof st->reason))
            st->checked = true; /* unavailable to this run, with the reason */
    }
    for (size_t p = 0; !rc && p < reg->nproblems; p++)
        if (compute_selected(plan->problems, reg->problems[p].id))
            rc = run_problem(&x, &reg->problems[p], err, cap);
    free(x.order);
    free(x.pg.row);
    if (rc)
        compute_run_free(out);
    return rc;
}

void compute_run_free(compute_run *run)
{
    for (size_t i = 0; run->rows && i < run->nrows; i++)
        bench_row_free(&run->rows[i]);
    free(run->rows);
    free(run->states);
    memset(run, 0, sizeof *run);
}
