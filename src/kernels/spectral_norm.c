#include "kernels.h"
#include "kern_simd.h"
#include "kern_threads.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

typedef kern_v4d v4d;

typedef struct {
    int n, npad;
    double *u, *v, *tmp;
} sn_ctx;

/* y[i] = sum_j A(i,j) x[j] for rows [r0, r1), A(i,j) = 1 / ((i+j)(i+j+1)/2 + i + 1); with
 * transpose, A(j,i). x is zero past n, so the padding lanes add nothing. */
static void mul_rows(const double *x, double *y, int npad, int r0, int r1, int transpose)
{
    const v4d iota = {0, 1, 2, 3};
    for (int i = r0; i < r1; i++) {
        v4d acc0 = {0, 0, 0, 0}, acc1 = acc0;
        v4d s = iota + (double)i;
        v4d add = transpose ? iota + 1.0 : (v4d){0, 0, 0, 0} + (double)(i + 1);
        const v4d step = transpose ? (v4d){4, 4, 4, 4} : (v4d){0, 0, 0, 0};
        for (int j = 0; j < npad; j += 8) {
            v4d s1 = s + 4.0;
            acc0 += *(const v4d *)&x[j] / (s * (s + 1.0) * 0.5 + add);
            add += step;
            acc1 += *(const v4d *)&x[j + 4] / (s1 * (s1 + 1.0) * 0.5 + add);
            add += step;
            s = s1 + 4.0;
        }
        v4d acc = acc0 + acc1;
        y[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }
}

static void worker(kern_team *team, int tid, void *arg)
{
    sn_ctx *c = arg;
    int nt = kern_team_size(team);
    int r0 = (int)((long)c->n * tid / nt), r1 = (int)((long)c->n * (tid + 1) / nt);
    for (int it = 0; it < 10; it++) {
        mul_rows(c->u, c->tmp, c->npad, r0, r1, 0);
        kern_team_barrier(team);
        mul_rows(c->tmp, c->v, c->npad, r0, r1, 1);
        kern_team_barrier(team);
        mul_rows(c->v, c->tmp, c->npad, r0, r1, 0);
        kern_team_barrier(team);
        mul_rows(c->tmp, c->u, c->npad, r0, r1, 1);
        kern_team_barrier(team);
    }
}

int kern_spectral_norm(int n, int threads, double *out)
{
    int nt = kern_threads_resolve(threads);
    if (n < 1 || n > (1 << 24) || nt < 0 || !out)
        return -EINVAL;
    if (nt > n)
        nt = n;
    sn_ctx c = {.n = n, .npad = (n + 7) & ~7};
    double *mem = aligned_alloc(32, 3 * (size_t)c.npad * sizeof(double));
    if (!mem)
        return -ENOMEM;
    c.u = mem;
    c.v = mem + c.npad;
    c.tmp = mem + 2 * (size_t)c.npad;
    for (int i = 0; i < 3 * c.npad; i++)
        mem[i] = 0;
    for (int i = 0; i < n; i++)
        c.u[i] = 1;
    int rc = kern_team_run(nt, worker, &c);
    if (rc == 0) {
        double vbv = 0, vv = 0;
        for (int i = 0; i < n; i++) {
            vbv += c.u[i] * c.v[i];
            vv += c.v[i] * c.v[i];
        }
        *out = sqrt(vbv / vv);
    }
    free(mem);
    return rc;
}

int kern_spectral_norm_format(double norm, FILE *f)
{
    if (!f)
        return -EINVAL;
    return fprintf(f, "%.9f\n", norm) < 0 ? -EIO : 0;
}
