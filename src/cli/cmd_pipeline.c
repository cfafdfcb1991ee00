/* ladder gen / ladder pipeline: the event data set and the C pipeline over it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "core/fsutil.h"
#include "pipeline/gen.h"
#include "pipeline/pipeline.h"

static const char *const GEN_USAGE =
    "usage: ladder gen events [--seed N] [--events N] [--users N] [-o FILE]\n"
    "\n"
    "Writes the JSON event log of the pipeline problem: byte for byte what CPython's\n"
    "random.Random(SEED) and json.dumps produce (docs/specs/events.md). The defaults give the\n"
    "experiments' 100,000-event file (14,308,497 bytes).\n"
    "\n"
    "  -s, --seed N        the random seed, any 64-bit integer (default 42)\n"
    "  -e, --events N      how many events (default 100000)\n"
    "  -u, --users N       user ids are drawn from 1..N, N up to 4294967295 (default 5000)\n"
    "  -o, --output FILE   write FILE atomically instead of standard output\n";

static const char *const PIPELINE_USAGE =
    "usage: ladder pipeline FILE [--repeat N] [--threads N]\n"
    "\n"
    "Runs ladder's C pipeline over a JSON event log (filter, transform, aggregate per user) and\n"
    "prints the canonical summary: exactly the text of CPython's json.dumps(summary), with no\n"
    "trailing newline. Bad input is a one-line error naming line, column, byte offset and event.\n"
    "\n"
    "  -r, --repeat N      run N times over the bytes in memory and report the times on stderr\n"
    "  -t, --threads N     split the events over N threads, 1 to 64, 0 = one per online CPU\n"
    "                      (default 1); the summary and errors are the same byte for byte\n";

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max)
        return -1;
    *out = v;
    return 0;
}

typedef struct {
    int fd;
    int err; /* errno of the first failed write */
} fd_sink;

static int write_all(void *ctx, const char *data, size_t len)
{
    fd_sink *s = ctx;
    while (len) {
        ssize_t w = write(s->fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->err = w < 0 ? errno : EIO;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int cmd_gen(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {{"seed", required_argument, 0, 's'},   {"events", required_argument, 0, 'e'},
                                         {"users", required_argument, 0, 'u'},  {"output", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    gen_params p = {.seed = GEN_DEFAULT_SEED, .events = GEN_DEFAULT_EVENTS, .users = GEN_DEFAULT_USERS};
    const char *output = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "s:e:u:o:h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (parse_i64(optarg, &p.seed))
                return cli_error(CLI_USAGE, "--seed must be a 64-bit integer, not '%s'", optarg);
            break;
        case 'e':
            if (parse_u64(optarg, UINT64_MAX, &p.events))
                return cli_error(CLI_USAGE, "--events must be a non-negative integer, not '%s'", optarg);
            break;
        case 'u':
            if (parse_u64(optarg, GEN_MAX_USERS, &p.users) || p.users == 0)
                return cli_error(CLI_USAGE, "--users must be an integer from 1 to 4294967295, not '%s'", optarg);
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            return cli_usage(GEN_USAGE, true);
        default:
            return cli_usage(GEN_USAGE, false);
        }
    }
    if (optind >= argc)
        return cli_usage(GEN_USAGE, false);
    if (strcmp(argv[optind], "events") != 0)
        return cli_error(CLI_USAGE, "unknown data set '%s' (known: events)", argv[optind]);
    if (optind + 1 < argc)
        return cli_error(CLI_USAGE, "unexpected argument '%s'", argv[optind + 1]);

    char tmp[4096] = "";
    fd_sink sink = {.fd = STDOUT_FILENO};
    if (output) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", output, (long)getpid());
        sink.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (sink.fd < 0) {
            fprintf(stderr, "ladder gen: cannot write %s: %s\n", output, strerror(errno));
            return 1;
        }
    }
    char err[256];
    int rc = gen_events(&p, write_all, &sink, err, sizeof err);
    if (rc == 0 && output && (fsync(sink.fd) != 0 || rename(tmp, output) != 0)) {
        sink.err = errno;
        rc = -1;
    }
    if (output) {
        if (close(sink.fd) != 0 && rc == 0) {
            sink.err = errno;
            rc = -1;
        }
        if (rc)
            unlink(tmp);
    }
    if (rc) {
        if (sink.err)
            fprintf(stderr, "ladder gen: cannot write %s: %s\n", output ? output : "standard output",
                    strerror(sink.err));
        else
            fprintf(stderr, "ladder gen: %s\n", err);
        return 1;
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cmd_pipeline(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {{"repeat", required_argument, 0, 'r'},
                                         {"threads", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    uint64_t repeat = 1, threads = 1;
    int o;
    while ((o = getopt_long(argc, argv, "r:t:h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            if (parse_u64(optarg, 64, &threads)) {
                fprintf(stderr, "ladder pipeline: --threads must be an integer from 0 to 64, not '%s'\n", optarg);
                return 2;
            }
            if (threads == 0) {
                long n = sysconf(_SC_NPROCESSORS_ONLN);
                threads = n < 1 ? 1 : n > 64 ? 64 : (uint64_t)n;
            }
            break;
        case 'r':
            if (parse_u64(optarg, 100000, &repeat) || repeat == 0) {
                fprintf(stderr, "ladder pipeline: --repeat must be an integer from 1 to 100000, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'h':
            return cli_usage(PIPELINE_USAGE, true);
        default:
            return cli_usage(PIPELINE_USAGE, false);
        }
    }
    if (argc - optind != 1)
        return cli_usage(PIPELINE_USAGE, false);
    const char *path = argv[optind];
    char err[512];
    size_t len;
    char *buf = fs_read_all(path, &len, err, sizeof err);
    if (!buf) {
        fprintf(stderr, "ladder pipeline: %s\n", err);
        return 1;
    }
    pipeline *pl = pipeline_new();
    double *ms = calloc((size_t)repeat, sizeof *ms);
    if (!pl || !ms) {
        fprintf(stderr, "ladder pipeline: out of memory\n");
        free(ms);
        pipeline_free(pl);
        free(buf);
        return 1;
    }
    pipeline_set_threads(pl, (int)threads);
    int rc = 0;
    for (uint64_t i = 0; i < repeat && rc == 0; i++) {
        pipeline_error pe;
        double t0 = now_ms();
        if (pipeline_run(pl, buf, len, &pe)) {
            pipeline_error_format(&pe, path, err, sizeof err);
            fprintf(stderr, "ladder pipeline: %s\n", err);
            rc = 1;
        }
        ms[i] = now_ms() - t0;
    }
    if (rc == 0) {
        size_t n;
        const char *text = pipeline_summary(pl, &n);
        if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, "ladder pipeline: cannot write to standard output: %s\n", strerror(errno));
            rc = 1;
        }
        if (repeat > 1) {
            qsort(ms, (size_t)repeat, sizeof *ms, cmp_double);
            fprintf(stderr, "ladder pipeline: %" PRIu64 " runs over %zu bytes: best %.3f ms (%.0f MB/s), median %.3f ms\n",
                    repeat, len, ms[0], (double)len / 1e3 / ms[0], ms[repeat / 2]);
        }
    }
    free(ms);
    pipeline_free(pl);
    free(buf);
    return rc;
}
