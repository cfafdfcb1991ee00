/* Runs one child process and accounts for it from the outside.
 *
 * The child gets its own process group; on timeout the whole group is killed with SIGKILL, and
 * whatever is left of the group is killed once the child itself has exited. stdout, stderr and
 * an optional timing pipe (the child's fd 3, announced as LADDER_TIMING_FD=3) are captured into
 * buffers owned by the proc_result; free them with proc_result_free(). */
#ifndef LADDER_PROC_H
#define LADDER_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *const *argv;    /* argv[0] is looked up in PATH */
    const char *const *env_add; /* "KEY=VALUE" entries added to (or replacing in) the environment */
    const char *cwd;            /* NULL: inherit */
    double timeout_s;           /* <= 0: no timeout */
    bool timing_fd;             /* give the child a timing pipe as fd 3 */
    bool pass_stdout;           /* child writes straight to our stdout instead of being captured */
    size_t stdout_max;          /* bytes kept of stdout (0: 512 MiB); beyond is counted, dropped */
} proc_spec;

typedef struct {
    bool exited;       /* exited normally: exit_code is valid */
    int exit_code;
    int term_signal;   /* signal that ended it, 0 if none */
    bool timed_out;
    int64_t wall_ns, user_ns, sys_ns;
    long max_rss_kb;
    char *out;         /* NUL-terminated, out_len bytes kept */
    size_t out_len;
    bool out_truncated;
    char *err;         /* last bytes of stderr, NUL-terminated */
    size_t err_len;
    char *timing;      /* everything written to fd 3, NUL-terminated */
    size_t timing_len;
} proc_result;

/* Returns 0 when the child ran (whatever its outcome) or -1 when it could not be started,
 * with a sentence in errbuf. */
int proc_run(const proc_spec *spec, proc_result *res, char *errbuf, size_t cap);
void proc_result_free(proc_result *res);
/* One line describing how the child ended, e.g. "exit 1: <last stderr line>", "killed by SIGSEGV",
 * "timed out after 5.0 s". */
void proc_describe(const proc_result *res, double timeout_s, char *out, size_t cap);

/* A long-running child (a server): started in its own process group with stdin from /dev/null and
 * stdout+stderr appended to log_path, stopped with proc_stop. */
typedef struct {
    int pid;
    int64_t started_ns;
} proc_handle;

int proc_spawn(const proc_spec *spec, const char *log_path, proc_handle *h, char *errbuf, size_t cap);
/* True while the child has not exited (reaps it if it has; *res then describes how). */
bool proc_alive(proc_handle *h, proc_result *res);
/* SIGTERM to the group, SIGKILL after grace_s; fills res (exit status, CPU, RSS; no output). */
void proc_stop(proc_handle *h, double grace_s, proc_result *res);

/* A process tree at one instant, read from /proc: the root, every process in the root's process
 * group (proc_spawn makes the root a group leader) and every descendant of the root through
 * parent links (one that moved to a session or group of its own is still found).
 * cpu_ns sums each member's utime+stime and cutime+cstime: a child that exited and was reaped
 * inside the tree stays counted through its parent, so the difference of two samples is the
 * tree's CPU time between them, workers that came and went included. (A member whose parent
 * left the tree before it exited is reaped by init and its time lost; servers reap their own.)
 * rss_kb sums the members' resident sets; pages shared after fork count once per process, as
 * in ps. Nothing outside the tree is counted: a load generator started by the caller is not a
 * descendant of the server. */
typedef struct {
    int64_t cpu_ns;
    long rss_kb;
    int nprocs;  /* members found; 0 when the root is gone */
} proc_tree_usage;

/* 0, or -1 when /proc cannot be read (errbuf says why). */
int proc_tree_sample(int root_pid, proc_tree_usage *out, char *errbuf, size_t cap);

#endif
