/* Internal to the kernels: a team of pthreads that run one function together. */
#ifndef LADDER_KERN_THREADS_H
#define LADDER_KERN_THREADS_H

typedef struct kern_team kern_team;
typedef void (*kern_team_fn)(kern_team *team, int tid, void *arg);

/* Runs fn(team, tid, arg) on `threads` threads (tid 0 is the caller) and joins them.
 * All threads start only once every one of them exists, so a failed pthread_create costs
 * nothing but the error: 0, -EINVAL or the negated pthread error. */
int kern_team_run(int threads, kern_team_fn fn, void *arg);
int kern_team_size(const kern_team *team);
void kern_team_barrier(kern_team *team);

#endif
