#include "suites/compute/compute_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void progress_row(size_t i, size_t total, const bench_row *row)
{
    char t[32] = "";
    if (row->status == ROW_OK)
        fmt_ns(row->kernel.median, t, sizeof t);
    fprintf(stderr, "[%zu/%zu] %-15s %-14s %-8s %s%s%s\n", i, total, row->prob->id, row->r->name,
            bench_status_name(row->status), t, row->status == ROW_OK ? "" : " ",
            row->status == ROW_OK ? "" : row->reason);
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

int compute_run_plan(const manifest_registry *reg, const compute_plan *plan, const bench_opts *bo, compute_run *out,
                     char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (check_sizes(reg, plan, err, cap))
        return -1;
    size_t total = compute_count(reg, plan);
    out->states = calloc(reg->nrungs ? reg->nrungs : 1, sizeof *out->states);
    out->rows = calloc(total ? total : 1, sizeof *out->rows);
    if (!out->states || !out->rows) {
        compute_run_free(out);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < reg->nrungs; i++)
        rung_state_init(&out->states[i], &reg->rungs[i], bo);
    bool tty = plan->progress && isatty(2);
    for (size_t p = 0; p < reg->nproblems; p++) {
        const problem *prob = &reg->problems[p];
        if (!compute_selected(plan->problems, prob->id))
            continue;
        long n = size_of(plan, prob);
        bench_case bc;
        bench_case_prepare(&bc, prob, n, compute_reference_state(prob, out->states, reg->nrungs), bo);
        for (size_t r = 0; r < reg->nrungs; r++) {
            if (!wanted(plan, prob, &reg->rungs[r]))
                continue;
            bench_row *row = &out->rows[out->nrows++];
            if (tty)
                fprintf(stderr, "[%zu/%zu] %-15s %-14s running N=%ld...\r", out->nrows, total, prob->id,
                        reg->rungs[r].name, n);
            bench_run(&out->states[r], &bc, plan->size_label, bo, row);
            if (tty)
                progress_row(out->nrows, total, row);
        }
        bench_case_free(&bc);
    }
    return 0;
}

void compute_run_free(compute_run *run)
{
    for (size_t i = 0; run->rows && i < run->nrows; i++)
        bench_row_free(&run->rows[i]);
    free(run->rows);
    free(run->states);
    memset(run, 0, sizeof *run);
}
