#include "core/proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ERR_KEEP (64 * 1024)

typedef struct {
    char *data;
    size_t len, cap, max;
    size_t dropped;
    bool keep_tail;
} sink;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int sink_add(sink *s, const char *p, size_t n)
{
    if (s->keep_tail && s->len + n > s->max) {
        if (n >= s->max) {
            p += n - s->max / 2;
            n = s->max / 2;
            s->len = 0;
        } else {
            size_t drop = s->len + n - s->max / 2;
            if (drop > s->len)
                drop = s->len;
            memmove(s->data, s->data + drop, s->len - drop);
            s->len -= drop;
        }
    } else if (!s->keep_tail && s->len + n > s->max) {
        size_t room = s->max - s->len;
        s->dropped += n - room;
        n = room;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *d = realloc(s->data, cap);
        if (!d)
            return -1;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
    return 0;
}

static char **build_env(const char *const *add, bool timing)
{
    size_t n = 0, extra = timing ? 1 : 0;
    while (environ[n])
        n++;
    for (const char *const *a = add; a && *a; a++)
        extra++;
    char **env = calloc(n + extra + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        bool replaced = timing && klen == 16 && !strncmp(environ[i], "LADDER_TIMING_FD", 16);
        for (const char *const *a = add; !replaced && a && *a; a++)
            if (!strncmp(*a, environ[i], klen) && (*a)[klen] == '=')
                replaced = true;
        if (!replaced)
            env[k++] = environ[i];
    }
    for (const char *const *a = add; a && *a; a++)
        env[k++] = (char *)*a;
    if (timing)
        env[k++] = "LADDER_TIMING_FD=3";
    env[k] = NULL;
    return env;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void child_exec(const proc_spec *spec, char **env, int out_w, int err_w, int tim_w, int exec_w)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    if (out_w >= 0)
        dup2(out_w, 1);
    dup2(err_w, 2);
    if (tim_w >= 0) {
        if (tim_w == 3)
            fcntl(3, F_SETFD, 0);
        else
            dup2(tim_w, 3);
    }
    if (spec->cwd && chdir(spec->cwd) != 0) {
        int e = errno;
        (void)!write(exec_w, &e, sizeof e);
        _exit(127);
    }
    execvpe(spec->argv[0], (char *const *)spec->argv, env);
    int e = errno;
    (void)!write(exec_w, &e, sizeof e);
    _exit(127);
}

/* A started child, watched until it exits and its pipes are drained. */
typedef struct {
    pid_t pid;
    int pidfd;
    int64_t t0, deadline;
    int *fds[3];
    sink *sinks[3];
    bool reaped, timed_out;
    int status;
    struct rusage ru;
    int64_t wall_ns;
} watch;

/* One round of poll: read what is ready, kill at the deadline, reap. 1 when done. */
static int watch_step(watch *w, int64_t *drain_deadline, char *errbuf, size_t cap)
{
    char buf[65536];
    struct pollfd pfd[4];
    int map[4], np = 0;
    for (int i = 0; i < 3; i++)
        if (*w->fds[i] >= 0) {
            pfd[np] = (struct pollfd){.fd = *w->fds[i], .events = POLLIN};
            map[np++] = i;
        }
    if (!w->reaped && w->pidfd >= 0) {
        pfd[np] = (struct pollfd){.fd = w->pidfd, .events = POLLIN};
        map[np++] = 3;
    }
    if (w->reaped && np == 0)
        return 1;
    int64_t now = mono_ns();
    if (!w->reaped && now >= w->deadline) {
        w->timed_out = true;
        kill(-w->pid, SIGKILL);
        kill(w->pid, SIGKILL);
        w->deadline = INT64_MAX;
    }
    if (w->reaped && now >= *drain_deadline)
        return 1;
    int64_t until = w->reaped ? *drain_deadline : w->deadline;
    int wait_ms = until == INT64_MAX ? -1 : (int)((until - now) / 1000000 + 1);
    if (!w->reaped && w->pidfd < 0 && (wait_ms < 0 || wait_ms > 5))
        wait_ms = 5;
    int n = poll(pfd, (nfds_t)np, wait_ms);
    if (n < 0 && errno != EINTR) {
        snprintf(errbuf, cap, "poll: %s", strerror(errno));
        return -1;
    }
    for (int i = 0; i < np && n > 0; i++) {
        if (!pfd[i].revents || map[i] == 3)
            continue;
        int k = map[i];
        ssize_t r = read(*w->fds[k], buf, sizeof buf);
        if (r > 0) {
            if (sink_add(w->sinks[k], buf, (size_t)r)) {
                snprintf(errbuf, cap, "out of memory capturing output");
                return -1;
            }
        } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
            close_fd(w->fds[k]);
        }
    }
    if (!w->reaped && wait4(w->pid, &w->status, WNOHANG, &w->ru) == w->pid) {
        w->wall_ns = mono_ns() - w->t0;
        w->reaped = true;
        kill(-w->pid, SIGKILL); /* leftovers of the group must not outlive the run */
        *drain_deadline = mono_ns() + 2000000000LL;
    }
    return 0;
}

static int watch_run(watch *w, char *errbuf, size_t cap)
{
    int64_t drain_deadline = INT64_MAX;
    int rc;
    while ((rc = watch_step(w, &drain_deadline, errbuf, cap)) == 0)
        ;
    if (rc < 0 && !w->reaped) {
        kill(-w->pid, SIGKILL);
        waitpid(w->pid, NULL, 0);
    }
    return rc < 0 ? -1 : 0;
}

static int take_result(proc_result *res, const watch *w, sink *out, sink *err, sink *tim, char *errbuf, size_t cap)
{
    res->timed_out = w->timed_out;
    res->wall_ns = w->wall_ns;
    res->exited = WIFEXITED(w->status);
    res->exit_code = res->exited ? WEXITSTATUS(w->status) : -1;
    res->term_signal = WIFSIGNALED(w->status) ? WTERMSIG(w->status) : 0;
    res->user_ns = (int64_t)w->ru.ru_utime.tv_sec * 1000000000 + (int64_t)w->ru.ru_utime.tv_usec * 1000;
    res->sys_ns = (int64_t)w->ru.ru_stime.tv_sec * 1000000000 + (int64_t)w->ru.ru_stime.tv_usec * 1000;
    res->max_rss_kb = w->ru.ru_maxrss;
    res->out = out->data ? out->data : calloc(1, 1);
    res->out_len = out->len;
    res->out_truncated = out->dropped > 0;
    res->err = err->data ? err->data : calloc(1, 1);
    res->err_len = err->len;
    res->timing = tim->data ? tim->data : calloc(1, 1);
    res->timing_len = tim->len;
    out->data = err->data = tim->data = NULL;
    if (!res->out || !res->err || !res->timing) {
        proc_result_free(res);
        snprintf(errbuf, cap, "out of memory");
        return -1;
    }
    return 0;
}

int proc_run(const proc_spec *spec, proc_result *res, char *errbuf, size_t cap)
{
    memset(res, 0, sizeof *res);
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, timp[2] = {-1, -1}, execp[2] = {-1, -1};
    char **env = NULL;
    int rc = -1;
    sink out = {.max = spec->stdout_max ? spec->stdout_max : (size_t)512 << 20};
    sink err = {.max = ERR_KEEP, .keep_tail = true};
    sink tim = {.max = 16 << 20};
    watch w = {.pidfd = -1, .fds = {&outp[0], &errp[0], &timp[0]}, .sinks = {&out, &err, &tim}};

    if ((!spec->pass_stdout && pipe2(outp, O_CLOEXEC)) || pipe2(errp, O_CLOEXEC) ||
        (spec->timing_fd && pipe2(timp, O_CLOEXEC)) || pipe2(execp, O_CLOEXEC)) {
        snprintf(errbuf, cap, "pipe: %s", strerror(errno));
        goto done;
    }
    env = build_env(spec->env_add, spec->timing_fd);
    if (!env) {
        snprintf(errbuf, cap, "out of memory");
        goto done;
    }
    fflush(NULL);
    w.t0 = mono_ns();
    w.pid = fork();
    if (w.pid < 0) {
        snprintf(errbuf, cap, "fork: %s", strerror(errno));
        goto done;
    }
    if (w.pid == 0)
        child_exec(spec, env, outp[1], errp[1], timp[1], execp[1]);
    setpgid(w.pid, w.pid);
    close_fd(&outp[1]);
    close_fd(&errp[1]);
    close_fd(&timp[1]);
    close_fd(&execp[1]);

    int exec_errno = 0;
    ssize_t got;
    do
        got = read(execp[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    if (got == (ssize_t)sizeof exec_errno) {
        waitpid(w.pid, NULL, 0);
        snprintf(errbuf, cap, "cannot run %s: %s", spec->argv[0], strerror(exec_errno));
        goto done;
    }
    w.pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
    w.deadline = spec->timeout_s > 0 ? w.t0 + (int64_t)(spec->timeout_s * 1e9) : INT64_MAX;
    if (watch_run(&w, errbuf, cap) == 0 && take_result(res, &w, &out, &err, &tim, errbuf, cap) == 0)
        rc = 0;
done:
    close_fd(&w.pidfd);
    for (int i = 0; i < 2; i++) {
        close_fd(&outp[i]);
        close_fd(&errp[i]);
        close_fd(&timp[i]);
        close_fd(&execp[i]);
    }
    free(env);
    free(out.data);
    free(err.data);
    free(tim.data);
    return rc;
}

void proc_result_free(proc_result *res)
{
    free(res->out);
    free(res->err);
    free(res->timing);
    res->out = res->err = res->timing = NULL;
}

static void last_line(const char *s, size_t len, char *out, size_t cap)
{
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    size_t start = len;
    while (start && s[start - 1] != '\n')
        start--;
    size_t n = len - start;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s + start, n);
    out[n] = '\0';
}

void proc_describe(const proc_result *res, double timeout_s, char *out, size_t cap)
{
    char line[200];
    last_line(res->err ? res->err : "", res->err_len, line, sizeof line);
    if (res->timed_out)
        snprintf(out, cap, "timed out after %.1f s", timeout_s);
    else if (res->term_signal)
        snprintf(out, cap, "killed by SIG%s%s%s", sigabbrev_np(res->term_signal) ? sigabbrev_np(res->term_signal) : "?",
                 *line ? ": " : "", line);
    else if (res->exit_code != 0)
        snprintf(out, cap, "exit %d%s%s", res->exit_code, *line ? ": " : "", *line ? line : "");
    else
        snprintf(out, cap, "exit 0");
}

int proc_spawn(const proc_spec *spec, const char *log_path, proc_handle *h, char *errbuf, size_t cap)
{
    memset(h, 0, sizeof *h);
    int logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logfd < 0) {
        snprintf(errbuf, cap, "cannot open %s: %s", log_path, strerror(errno));
        return -1;
    }
    int execp[2];
    if (pipe2(execp, O_CLOEXEC)) {
        snprintf(errbuf, cap, "pipe: %s", strerror(errno));
        close(logfd);
        return -1;
    }
    char **env = build_env(spec->env_add, false);
    if (!env) {
        snprintf(errbuf, cap, "out of memory");
        close(logfd);
        close(execp[0]);
        close(execp[1]);
        return -1;
    }
    fflush(NULL);
    h->started_ns = mono_ns();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(spec, env, logfd, logfd, -1, execp[1]);
    free(env);
    close(logfd);
    close(execp[1]);
    if (pid < 0) {
        snprintf(errbuf, cap, "fork: %s", strerror(errno));
        close(execp[0]);
        return -1;
    }
    setpgid(pid, pid);
    int exec_errno = 0;
    ssize_t got;
    do
        got = read(execp[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(execp[0]);
    if (got == (ssize_t)sizeof exec_errno) {
        waitpid(pid, NULL, 0);
        snprintf(errbuf, cap, "cannot run %s: %s", spec->argv[0], strerror(exec_errno));
        return -1;
    }
    h->pid = pid;
    return 0;
}

static void fill_exit(proc_result *res, int status, const struct rusage *ru, int64_t wall)
{
    memset(res, 0, sizeof *res);
    res->exited = WIFEXITED(status);
    res->exit_code = res->exited ? WEXITSTATUS(status) : -1;
    res->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    res->user_ns = (int64_t)ru->ru_utime.tv_sec * 1000000000 + (int64_t)ru->ru_utime.tv_usec * 1000;
    res->sys_ns = (int64_t)ru->ru_stime.tv_sec * 1000000000 + (int64_t)ru->ru_stime.tv_usec * 1000;
    res->max_rss_kb = ru->ru_maxrss;
    res->wall_ns = wall;
}

bool proc_alive(proc_handle *h, proc_result *res)
{
    if (h->pid <= 0)
        return false;
    int status;
    struct rusage ru;
    pid_t w = wait4(h->pid, &status, WNOHANG, &ru);
    if (w == 0)
        return true;
    if (w == h->pid && res)
        fill_exit(res, status, &ru, mono_ns() - h->started_ns);
    kill(-h->pid, SIGKILL);
    h->pid = 0;
    return false;
}

void proc_stop(proc_handle *h, double grace_s, proc_result *res)
{
    memset(res, 0, sizeof *res);
    if (h->pid <= 0)
        return;
    kill(-h->pid, SIGTERM);
    kill(h->pid, SIGTERM);
    int64_t deadline = mono_ns() + (int64_t)(grace_s * 1e9);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t w = wait4(h->pid, &status, WNOHANG, &ru);
        if (w == h->pid || (w < 0 && errno != EINTR))
            break;
        if (mono_ns() > deadline) {
            res->timed_out = true;
            kill(-h->pid, SIGKILL);
            kill(h->pid, SIGKILL);
            while (wait4(h->pid, &status, 0, &ru) < 0 && errno == EINTR)
                ;
            break;
        }
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    bool timed_out = res->timed_out;
    fill_exit(res, status, &ru, mono_ns() - h->started_ns);
    res->timed_out = timed_out;
    kill(-h->pid, SIGKILL); /* whatever the server left in its group */
    h->pid = 0;
}

/* One process as /proc/PID/stat gives it. */
typedef struct {
    int pid, ppid, pgrp;
    int64_t ticks; /* utime + stime + cutime + cstime */
    long rss_pages;
    bool member;
} tree_entry;

/* Fields 4 (ppid), 5 (pgrp), 14-17 (utime, stime, cutime, cstime), 24 (rss) of a stat line; the
 * command name (field 2) is in parentheses and may hold spaces and ')', so fields are counted
 * from the last ')'. */
static bool stat_parse(const char *text, tree_entry *e)
{
    const char *p = strrchr(text, ')');
    if (!p)
        return false;
    p++;
    long long v[24] = {0};
    int field = 2; /* the last field read */
    while (*p && field < 24) {
        while (*p == ' ')
            p++;
        field++;
        if (field == 3) { /* state: one letter */
            while (*p && *p != ' ')
                p++;
            continue;
        }
        char *end;
        v[field - 1] = strtoll(p, &end, 10);
        if (end == p)
            return false;
        p = end;
    }
    if (field < 24)
        return false;
    e->ppid = (int)v[3];
    e->pgrp = (int)v[4];
    e->ticks = v[13] + v[14] + v[15] + v[16];
    e->rss_pages = (long)v[23];
    return true;
}

int proc_tree_sample(int root_pid, proc_tree_usage *out, char *errbuf, size_t cap)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir("/proc");
    if (!d) {
        snprintf(errbuf, cap, "/proc: %s", strerror(errno));
        return -1;
    }
    tree_entry *all = NULL;
    size_t n = 0, room = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        char path[64], text[1024];
        snprintf(path, sizeof path, "/proc/%.20s/stat", de->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue; /* gone since readdir */
        ssize_t k = read(fd, text, sizeof text - 1);
        close(fd);
        tree_entry e = {.pid = atoi(de->d_name)};
        if (k <= 0)
            continue;
        text[k] = '\0';
        if (!stat_parse(text, &e))
            continue;
        if (n == room) {
            size_t r = room ? room * 2 : 256;
            tree_entry *g = realloc(all, r * sizeof *g);
            if (!g) {
                snprintf(errbuf, cap, "out of memory");
                rc = -1;
                break;
            }
            all = g;
            room = r;
        }
        e.member = e.pid == root_pid || e.pgrp == root_pid;
        all[n++] = e;
    }
    closedir(d);
    /* descendants through parent links, until no entry joins */
    for (bool grew = rc == 0; grew;) {
        grew = false;
        for (size_t i = 0; i < n; i++) {
            if (all[i].member)
                continue;
            for (size_t j = 0; j < n; j++)
                if (all[j].member && all[j].pid == all[i].ppid) {
                    all[i].member = grew = true;
                    break;
                }
        }
    }
    long hz = sysconf(_SC_CLK_TCK), page_kb = sysconf(_SC_PAGESIZE) / 1024;
    hz = hz > 0 ? hz : 100;
    page_kb = page_kb > 0 ? page_kb : 4;
    int64_t ticks = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (all[i].member) {
            ticks += all[i].ticks;
            out->rss_kb += all[i].rss_pages * page_kb;
            out->nprocs++;
        }
    out->cpu_ns = ticks * (1000000000 / hz);
    free(all);
    return rc;
}
