/* ladder doctor: is this machine quiet enough to time on? Read-only (core/noise). */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/noise.h"

static const char *const DOCTOR_USAGE =
    "usage: ladder doctor [--json] [--strict]\n"
    "\n"
    "Checks what makes timings wander and says what to do about each: the CPU frequency governor\n"
    "and boost, SMT siblings, the load average and the busiest other processes (sampled for\n"
    "250 ms), a virtual machine, memory pressure, ASLR, and whether perf counters, RAPL and the\n"
    "cgroup's CPU quota can be read. Changes nothing. 'ladder run' runs the same checks, records\n"
    "them in its results document and warns on stderr.\n"
    "\n"
    "      --json      the findings as a JSON array\n"
    "      --strict    exit 1 when any check warns\n";

int cmd_doctor(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {{"json", no_argument, 0, 'j'}, {"strict", no_argument, 0, 'S'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool as_json = false, strict = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'j') {
            as_json = true;
        } else if (o == 'S') {
            strict = true;
        } else if (o == 'h') {
            fputs(DOCTOR_USAGE, stdout);
            return CLI_OK;
        } else {
            fputs(DOCTOR_USAGE, stderr);
            return CLI_USAGE;
        }
    }
    if (optind < argc) {
        fputs(DOCTOR_USAGE, stderr);
        return CLI_USAGE;
    }
    noise_report r;
    noise_check(&r, 250);
    if (as_json) {
        json_writer w;
        json_writer_init(&w, true);
        noise_write(&w, &r);
        size_t len;
        const char *text = json_writer_data(&w, &len);
        fwrite(text, 1, len, stdout);
        fputc('\n', stdout);
        json_writer_free(&w);
    } else {
        noise_print(stdout, &r, false, "");
        size_t warn = noise_warnings(&r);
        printf("%zu warning%s%s\n", warn, warn == 1 ? "" : "s",
               warn ? ": timings on this machine will be noisier; ladder's intervals will show how much" : "");
    }
    return strict && noise_warnings(&r) ? CLI_FAILED : CLI_OK;
}
