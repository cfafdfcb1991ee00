#include "core/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/strbuf.h"

void machine_command_line(const char *cmd, char *out, size_t cap)
{
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    proc_spec spec = {.argv = argv, .timeout_s = 20, .stdout_max = 1 << 16};
    proc_result res;
    char err[128];
    out[0] = '\0';
    if (proc_run(&spec, &res, err, sizeof err))
        return;
    if (res.exited && res.exit_code == 0) {
        str_first_line(res.out_len ? res.out : res.err, out, cap);
    }
    proc_result_free(&res);
}

static void file_field(const char *path, const char *key, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen))
            continue;
        char *v = line + klen;
        while (*v == ' ' || *v == '\t' || *v == ':' || *v == '=' || *v == '"')
            v++;
        str_setf(out, cap, "%.*s", (int)strcspn(v, "\"\n"), v);
        break;
    }
    fclose(f);
}

void machine_write(json_writer *w)
{
    char buf[256];
    file_field("/proc/cpuinfo", "model name", buf, sizeof buf);
    json_kv_str(w, "cpu_model", buf);
    json_kv_int(w, "cores", sysconf(_SC_NPROCESSORS_ONLN));
    file_field("/proc/meminfo", "MemTotal", buf, sizeof buf);
    json_kv_int(w, "memory_kb", atoll(buf));
    struct utsname u;
    if (uname(&u) == 0) {
        json_key(w, "kernel");
        snprintf(buf, sizeof buf, "%s %s", u.sysname, u.release);
        json_str(w, buf);
        json_kv_str(w, "arch", u.machine);
        json_kv_str(w, "hostname", u.nodename);
    }
    file_field("/etc/os-release", "PRETTY_NAME", buf, sizeof buf);
    json_kv_str(w, "os", buf);
    static const char *const tools[][2] = {
        {"gcc", "gcc --version"}, {"clang", "clang --version"}, {"python3", "python3 --version"},
        {"cmake", "cmake --version"}};
    json_key(w, "compilers");
    json_obj_begin(w);
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        machine_command_line(tools[i][1], buf, sizeof buf);
        json_key(w, tools[i][0]);
        if (*buf)
            json_str(w, buf);
        else
            json_null(w);
    }
    json_obj_end(w);
}
