#include "core/noise.h"

#include <dirent.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/strbuf.h"

const char *noise_level_name(noise_level l)
{
    return l == NOISE_WARN ? "warn" : l == NOISE_INFO ? "info" : "ok";
}

static noise_finding *add(noise_report *r, const char *check, noise_level level)
{
    if (r->n == NOISE_MAX)
        return NULL;
    noise_finding *f = &r->items[r->n++];
    memset(f, 0, sizeof *f);
    f->check = check;
    f->level = level;
    return f;
}

#define FIND(r, check, level, advice_, ...)                                   \
    do {                                                                      \
        noise_finding *f_ = add(r, check, level);                             \
        if (f_) {                                                             \
            str_setf(f_->value, sizeof f_->value, __VA_ARGS__);               \
            str_setf(f_->advice, sizeof f_->advice, "%s", advice_);           \
        }                                                                     \
    } while (0)

/* The first line of a file, trimmed; false when it cannot be read. */
static bool read_line(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return ok;
}

static bool readable(const char *path)
{
    char buf[64];
    return read_line(path, buf, sizeof buf);
}

static void check_governor(noise_report *r, long cpus)
{
    char first[64] = "", cur[64], path[96];
    bool mixed = false, any = false;
    for (long c = 0; c < cpus; c++) {
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%ld/cpufreq/scaling_governor", c);
        if (!read_line(path, cur, sizeof cur))
            continue;
        if (!any)
            snprintf(first, sizeof first, "%s", cur);
        else if (strcmp(first, cur))
            mixed = true;
        any = true;
    }
    if (!any)
        FIND(r, "governor", NOISE_INFO, "the host (or the hypervisor) decides clock speeds: expect more drift than on bare metal",
             "no cpufreq interface (a VM, or no frequency driver)");
    else if (mixed || strcmp(first, "performance"))
        FIND(r, "governor", NOISE_WARN, "sudo cpupower frequency-set -g performance (and back afterwards)",
             "%s%s: the clock follows the load, so early iterations run slower", first, mixed ? " (mixed)" : "");
    else
        FIND(r, "governor", NOISE_OK, "", "performance on every CPU");
}

static void check_boost(noise_report *r)
{
    char v[32];
    if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof v))
        FIND(r, "boost", atoi(v) ? NOISE_OK : NOISE_WARN,
             atoi(v) ? "" : "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo: turbo clocks depend on heat and on the other cores",
             "Intel turbo %s", atoi(v) ? "off" : "on");
    else if (read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof v))
        FIND(r, "boost", atoi(v) ? NOISE_WARN : NOISE_OK,
             atoi(v) ? "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost: boost clocks depend on heat and on the other cores" : "",
             "boost %s", atoi(v) ? "on" : "off");
    else
        FIND(r, "boost", NOISE_INFO, "", "no boost control visible (a VM, or the driver hides it)");
}

static void check_smt(noise_report *r)
{
    char v[64], sib[64];
    bool active = read_line("/sys/devices/system/cpu/smt/active", v, sizeof v) && atoi(v) == 1;
    read_line("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", sib, sizeof sib);
    bool siblings = strchr(sib, ',') || strchr(sib, '-');
    if (active || siblings)
        FIND(r, "smt", NOISE_WARN, "pin timed work to one thread per core (taskset), or turn SMT off: a busy sibling halves a core",
             "SMT on: cpu0 shares its core with CPUs %s", sib);
    else
        FIND(r, "smt", NOISE_OK, "", "no SMT siblings%s%s%s", *sib ? " (cpu0's thread siblings: " : "", sib, *sib ? ")" : "");
}

typedef struct {
    int pid;
    unsigned long long ticks;
    char comm[64];
} proc_ticks;

static size_t sample_procs(proc_ticks *out, size_t cap)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    int self = getpid();
    while ((e = readdir(d)) && n < cap) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == self)
            continue;
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        if (!open || !close)
            continue;
        proc_ticks *p = &out[n];
        size_t cl = (size_t)(close - open - 1);
        if (cl >= sizeof p->comm)
            cl = sizeof p->comm - 1;
        memcpy(p->comm, open + 1, cl);
        p->comm[cl] = '\0';
        /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
        unsigned long long ut = 0, st = 0;
        if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
            continue;
        p->pid = pid;
        p->ticks = ut + st;
        n++;
    }
    closedir(d);
    return n;
}

static void check_load(noise_report *r, long cpus, int sample_ms)
{
    char v[128];
    double l1 = 0, l5 = 0;
    if (!read_line("/proc/loadavg", v, sizeof v) || sscanf(v, "%lf %lf", &l1, &l5) != 2) {
        FIND(r, "load", NOISE_INFO, "", "/proc/loadavg unreadable");
        return;
    }
    bool busy = l1 > 0.5 * (double)cpus || l1 > 1.0;
    FIND(r, "load", busy ? NOISE_WARN : NOISE_OK,
         busy ? "wait for the other work to finish, or use --rounds so drift falls on every rung alike" : "",
         "load average %.2f (1 min), %.2f (5 min) on %ld CPUs", l1, l5, cpus);
    if (sample_ms <= 0)
        return;
    enum { CAP = 4096 };
    proc_ticks *a = malloc(CAP * sizeof *a), *b = malloc(CAP * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    size_t na = sample_procs(a, CAP);
    struct timespec ts = {sample_ms / 1000, (long)(sample_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    size_t nb = sample_procs(b, CAP);
    double hz = (double)sysconf(_SC_CLK_TCK), secs = sample_ms / 1000.0;
    /* the three busiest by CPU over the sample */
    int top[3] = {-1, -1, -1};
    double pct[3] = {0, 0, 0};
    for (size_t j = 0; j < nb; j++) {
        unsigned long long before = b[j].ticks;
        for (size_t i = 0; i < na; i++)
            if (a[i].pid == b[j].pid) {
                before = a[i].ticks;
                break;
            }
        double p = 100.0 * (double)(b[j].ticks - before) / hz / secs;
        for (int k = 0; k < 3; k++)
            if (p > pct[k]) {
                for (int q = 2; q > k; q--) {
                    pct[q] = pct[q - 1];
                    top[q] = top[q - 1];
                }
                pct[k] = p;
                top[k] = (int)j;
                break;
            }
    }
    char list[200] = "";
    size_t used = 0;
    for (int k = 0; k < 3 && top[k] >= 0 && pct[k] >= 1; k++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s (pid %d) %.0f%%", k ? ", " : "", b[top[k]].comm,
                         b[top[k]].pid, pct[k]);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    bool heavy = pct[0] >= 20;
    if (*list)
        FIND(r, "busiest", heavy ? NOISE_WARN : NOISE_INFO,
             heavy ? "these compete with the rungs for the CPUs: stop them or run later" : "",
             "over %d ms: %s", sample_ms, list);
    else
        FIND(r, "busiest", NOISE_OK, "", "no other process above 1%% CPU over %d ms", sample_ms);
    free(a);
    free(b);
}

static void check_vm(noise_report *r)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    bool hyper = false;
    char line[4096];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor")) {
            hyper = true;
            break;
        }
    if (f)
        fclose(f);
    char vendor[96] = "", product[96] = "";
    read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof vendor);
    read_line("/sys/class/dmi/id/product_name", product, sizeof product);
    char what[200] = "";
    if (*vendor || *product)
        str_setf(what, sizeof what, " (%s%s%s)", vendor, *vendor && *product ? " " : "", product);
    if (hyper)
        FIND(r, "vm", NOISE_WARN, "other guests share the host's cores and caches: compare runs on the same VM, and use --rounds",
             "virtual machine%s", what);
    else
        FIND(r, "vm", NOISE_OK, "", "bare metal (no hypervisor flag)%s", what);
}

static void check_memory(noise_report *r)
{
    char line[256];
    long long total = 0, avail = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "MemTotal: %lld", &total);
        sscanf(line, "MemAvailable: %lld", &avail);
    }
    if (f)
        fclose(f);
    double some10 = -1;
    if (read_line("/proc/pressure/memory", line, sizeof line))
        sscanf(line, "some avg10=%lf", &some10);
    double free_pct = total > 0 ? 100.0 * (double)avail / (double)total : 0;
    bool tight = free_pct < 10 || some10 > 1;
    char psi[64] = "";
    if (some10 >= 0)
        snprintf(psi, sizeof psi, ", pressure %.2f%% (some, 10 s)", some10);
    FIND(r, "memory", tight ? NOISE_WARN : NOISE_OK, tight ? "free memory first: reclaim and swapping stall the rungs" : "",
         "%.0f%% available of %.1f GiB%s", free_pct, (double)total / 1048576, psi);
}

static void check_aslr(noise_report *r)
{
    char v[16];
    if (!read_line("/proc/sys/kernel/randomize_va_space", v, sizeof v))
        FIND(r, "aslr", NOISE_INFO, "", "unknown");
    else
        FIND(r, "aslr", NOISE_INFO,
             atoi(v) ? "layouts differ per process: one reason each rung runs in several processes (--rounds)" : "",
             "randomize_va_space = %s (%s)", v, atoi(v) == 2 ? "full" : atoi(v) == 1 ? "partial" : "off");
}

static void check_counters(noise_report *r)
{
    char v[16] = "?";
    read_line("/proc/sys/kernel/perf_event_paranoid", v, sizeof v);
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_HARDWARE;
    attr.size = sizeof attr;
    attr.config = PERF_COUNT_HW_CPU_CYCLES;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    if (fd >= 0)
        close((int)fd);
    FIND(r, "perf", fd >= 0 ? NOISE_OK : NOISE_INFO,
         fd >= 0 ? "" : "cycle counts would need perf_event_paranoid <= 2 and a PMU the VM exposes",
         "hardware cycle counter %s (perf_event_paranoid %s)", fd >= 0 ? "readable" : "not available", v);
    bool rapl = readable("/sys/class/powercap/intel-rapl:0/energy_uj") ||
                readable("/sys/class/powercap/intel-rapl/intel-rapl:0/energy_uj");
    FIND(r, "rapl", rapl ? NOISE_OK : NOISE_INFO, "", "RAPL energy %s",
         rapl ? "readable" : "not readable (no powercap, a VM, or root only)");
}

static void check_cgroup(noise_report *r)
{
    char line[512] = "", quota[64] = "";
    if (!read_line("/proc/self/cgroup", line, sizeof line)) {
        FIND(r, "cgroup", NOISE_INFO, "", "no /proc/self/cgroup");
        return;
    }
    const char *path = strstr(line, "::") ? strstr(line, "::") + 2 : "";
    strbuf p;
    strbuf_init(&p);
    strbuf_appendf(&p, "/sys/fs/cgroup%s/cpu.max", path);
    bool have = strbuf_ok(&p) && read_line(p.s, quota, sizeof quota);
    strbuf_free(&p);
    if (!have)
        have = read_line("/sys/fs/cgroup/cpu.max", quota, sizeof quota);
    bool limited = have && strncmp(quota, "max", 3);
    FIND(r, "cgroup", limited ? NOISE_WARN : have ? NOISE_OK : NOISE_INFO,
         limited ? "a CPU quota throttles in bursts: time outside it, or compare only runs under the same quota" : "",
         "cgroup %s: cpu.max %s", *path ? path : "/", have ? quota : "not readable");
}

void noise_check(noise_report *out, int sample_ms)
{
    memset(out, 0, sizeof *out);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    check_governor(out, cpus);
    check_boost(out);
    check_smt(out);
    check_load(out, cpus, sample_ms);
    check_vm(out);
    check_memory(out);
    check_aslr(out);
    check_counters(out);
    check_cgroup(out);
}

size_t noise_warnings(const noise_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->items[i].level == NOISE_WARN;
    return n;
}

void noise_write(json_writer *w, const noise_report *r)
{
    json_arr_begin(w);
    for (size_t i = 0; i < r->n; i++) {
        json_obj_begin(w);
        json_kv_str(w, "check", r->items[i].check);
        json_kv_str(w, "level", noise_level_name(r->items[i].level));
        json_kv_str(w, "value", r->items[i].value);
        json_kv_str(w, "advice", r->items[i].advice);
        json_obj_end(w);
    }
    json_arr_end(w);
}

void noise_print(FILE *f, const noise_report *r, bool warnings_only, const char *prefix)
{
    for (size_t i = 0; i < r->n; i++) {
        const noise_finding *x = &r->items[i];
        if (warnings_only && x->level != NOISE_WARN)
            continue;
        fprintf(f, "%s%-4s  %-9s %s\n", prefix, x->level == NOISE_WARN ? "WARN" : x->level == NOISE_INFO ? "info" : "ok",
                x->check, x->value);
        if (*x->advice)
            fprintf(f, "%s      %-9s → %s\n", prefix, "", x->advice);
    }
}
