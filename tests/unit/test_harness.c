/* Unit tests of the harness pieces: statistics, verification, the process runner, manifests. */
#include <math.h>
#include <time.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "check.h"
#include "core/bench.h"
#include "core/fsutil.h"
#include "core/manifest.h"
#include "core/proc.h"
#include "core/server.h"
#include "core/stats.h"
#include "core/verify.h"
#include "suites/compute/compute_run.h"
#include "http/http_client.h"

static void test_stats(void)
{
    stats_summary s;
    double one[] = {5};
    CHECK(stats_summarize(one, 1, &s) == 0);
    CHECK(s.median == 5 && s.mad == 0 && s.min == 5 && s.max == 5 && !s.noisy);

    double odd[] = {10, 12, 11, 13, 100};
    CHECK(stats_summarize(odd, 5, &s) == 0);
    CHECK(s.median == 12);
    CHECK(s.mad == 1); /* |10-12|,0,1,1,88 -> median 1 */
    CHECK(s.min == 10 && s.max == 100);
    CHECK(s.outliers == 1 && s.noisy);

    double even[] = {4, 1, 3, 2};
    CHECK(stats_summarize(even, 4, &s) == 0);
    CHECK(s.median == 2.5);
    CHECK(fabs(s.mean - 2.5) < 1e-12);

    double steady[] = {1000, 1001, 999, 1000, 1002};
    CHECK(stats_summarize(steady, 5, &s) == 0);
    CHECK(!s.noisy && s.outliers == 0);

    double spread[] = {100, 150, 200};
    CHECK(stats_summarize(spread, 3, &s) == 0);
    CHECK(s.noisy && fabs(s.rel_spread - 1.0 / 3) < 1e-12);

    CHECK(stats_summarize(NULL, 0, &s) == 0 && s.n == 0 && s.median == 0);
}

static void test_verify(void)
{
    char why[256];
    CHECK(verify_output(VERIFY_TEXT, "a\nb\n", 4, "a\nb\n", 4, why, sizeof why));
    CHECK(!verify_output(VERIFY_TEXT, "a\nb\n", 4, "a\nc\n", 4, why, sizeof why));
    CHECK(strstr(why, "line 2") != NULL);
    CHECK(!verify_output(VERIFY_TEXT, "a\nb\n", 4, "a\n", 2, why, sizeof why));
    CHECK(strstr(why, "ends early") != NULL);
    CHECK(!verify_output(VERIFY_TEXT, "a\n", 2, "a\nextra\n", 8, why, sizeof why));
    CHECK(strstr(why, "extra output") != NULL);
    CHECK(!verify_output(VERIFY_TEXT, "x\n", 2, "", 0, why, sizeof why));
    CHECK(strstr(why, "no output") != NULL);
    CHECK(!verify_output(VERIFY_TEXT, "a\tb\n", 4, "a b\n", 4, why, sizeof why));
    CHECK(strstr(why, "\\t") != NULL);

    char hex[33];
    CHECK(verify_md5_hex("", 0, hex) == 0);
    CHECK_STR(hex, "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(verify_md5_hex("abc", 3, hex) == 0);
    CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
    CHECK(verify_output(VERIFY_MD5, "900150983CD24FB0D6963F7D28E17F72\n", 33, "abc", 3, why, sizeof why));
    CHECK(!verify_output(VERIFY_MD5, "900150983cd24fb0d6963f7d28e17f72", 32, "abd", 3, why, sizeof why));
    CHECK(!verify_output(VERIFY_MD5, "not-a-digest", 12, "abc", 3, why, sizeof why));
    CHECK(strstr(why, "not an MD5") != NULL);
}

static void test_proc(void)
{
    char err[256];
    proc_result r;

    const char *echo[] = {"/bin/sh", "-c", "printf 'out'; printf 'err line\\n' >&2; exit 3", NULL};
    proc_spec s1 = {.argv = echo, .timeout_s = 10};
    CHECK(proc_run(&s1, &r, err, sizeof err) == 0);
    CHECK(r.exited && r.exit_code == 3 && !r.timed_out && r.term_signal == 0);
    CHECK_STR(r.out, "out");
    CHECK_STR(r.err, "err line\n");
    char desc[256];
    proc_describe(&r, 10, desc, sizeof desc);
    CHECK_STR(desc, "exit 3: err line");
    proc_result_free(&r);

    const char *timing[] = {"/bin/sh", "-c", "echo \"ns 5\" >&$LADDER_TIMING_FD; echo $FOO", NULL};
    const char *env[] = {"FOO=bar", NULL};
    proc_spec s2 = {.argv = timing, .timeout_s = 10, .timing_fd = true, .env_add = env};
    CHECK(proc_run(&s2, &r, err, sizeof err) == 0);
    CHECK_STR(r.timing, "ns 5\n");
    CHECK_STR(r.out, "bar\n");
    proc_result_free(&r);

    /* The child spins on the CPU: user time must show it, and the timeout must cut it off. */
    const char *spin[] = {"/bin/sh", "-c", "while :; do :; done", NULL};
    /* a second of spinning, so that a loaded machine still gives it well over 50 ms of CPU */
    proc_spec s3 = {.argv = spin, .timeout_s = 1.0};
    CHECK(proc_run(&s3, &r, err, sizeof err) == 0);
    CHECK(r.timed_out && r.term_signal == SIGKILL);
    CHECK(r.wall_ns >= 1000000000 && r.wall_ns < 4000000000LL);
    CHECK(r.user_ns + r.sys_ns > 50000000);
    proc_result_free(&r);

    /* A grandchild holding stdout open must not keep the run alive once the child exits. */
    const char *orphan[] = {"/bin/sh", "-c", "sleep 30 & echo started", NULL};
    proc_spec s4 = {.argv = orphan, .timeout_s = 20};
    CHECK(proc_run(&s4, &r, err, sizeof err) == 0);
    CHECK(r.exited && r.exit_code == 0 && r.wall_ns < 5000000000LL);
    CHECK_STR(r.out, "started\n");
    proc_result_free(&r);

    const char *segv[] = {"/bin/sh", "-c", "kill -SEGV $$", NULL};
    proc_spec s5 = {.argv = segv, .timeout_s = 10};
    CHECK(proc_run(&s5, &r, err, sizeof err) == 0);
    CHECK(!r.exited && r.term_signal == SIGSEGV);
    proc_describe(&r, 10, desc, sizeof desc);
    CHECK(strstr(desc, "SIGSEGV") != NULL);
    proc_result_free(&r);

    const char *missing[] = {"/nonexistent/ladder-no-such-program", NULL};
    proc_spec s6 = {.argv = missing, .timeout_s = 10};
    CHECK(proc_run(&s6, &r, err, sizeof err) == -1);
    CHECK(strstr(err, "No such file") != NULL);

    /* Peak RSS comes from wait4: a child that touches 64 MiB must report at least that. */
    const char *big[] = {"python3", "-c", "b = bytearray(64 << 20); print(len(b))", NULL};
    proc_spec s7 = {.argv = big, .timeout_s = 30};
    CHECK(proc_run(&s7, &r, err, sizeof err) == 0);
    CHECK(r.max_rss_kb >= 64 * 1024);
    proc_result_free(&r);

    const char *cap_out[] = {"/bin/sh", "-c", "head -c 100000 /dev/zero", NULL};
    proc_spec s8 = {.argv = cap_out, .timeout_s = 10, .stdout_max = 1000};
    CHECK(proc_run(&s8, &r, err, sizeof err) == 0);
    CHECK(r.out_len == 1000 && r.out_truncated);
    proc_result_free(&r);
}

static void test_fsutil(void)
{
    char dir[] = "/tmp/ladder-test-XXXXXX", err[256], path[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    CHECK(fs_mkdirs(path, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/a/file.txt", dir);
    CHECK(fs_write_atomic(path, "hello", 5, err, sizeof err) == 0);
    size_t len;
    char *back = fs_read_all(path, &len, err, sizeof err);
    CHECK(back && len == 5 && !strcmp(back, "hello"));
    free(back);
    snprintf(path, sizeof path, "%s/a", dir);
    uint64_t h1 = fs_hash_init(), h2 = fs_hash_init();
    CHECK(fs_hash_tree(&h1, path) == 0);
    snprintf(path, sizeof path, "%s/a/file.txt", dir);
    CHECK(fs_write_atomic(path, "hellO", 5, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/a", dir);
    CHECK(fs_hash_tree(&h2, path) == 0 && h2 != h1);
    CHECK(fs_read_all("/nonexistent/x", &len, err, sizeof err) == NULL);
    CHECK(strstr(err, "cannot open") != NULL);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(fs_write_atomic(path, text, strlen(text), err, sizeof err) == 0);
}

static void test_manifest(void)
{
    manifest_registry reg;
    char err[512];
    CHECK(manifest_load(".", NULL, &reg, err, sizeof err) == 0);
    const problem *p = manifest_problem(&reg, "nbody");
    CHECK(p && p->verify == VERIFY_TEXT && p->sizes[SIZE_BG] == 50000000);
    CHECK(manifest_problem(&reg, "mandelbrot")->verify == VERIFY_MD5);
    const rung *c = manifest_rung(&reg, "c");
    CHECK(c && rung_implements(c, "nbody") && !rung_implements(c, "no-such-problem"));
    CHECK(manifest_rung(&reg, "_protocol") == NULL);
    char *ref = manifest_reference_path(p, 1000);
    CHECK(ref && strstr(ref, "problems/nbody/ref/1000.txt"));
    free(ref);
    CHECK(manifest_reference_path(p, 1234) == NULL);
    manifest_free(&reg);

    long n = 0;
    CHECK(manifest_parse_size("quick", &n) == SIZE_QUICK);
    CHECK(manifest_parse_size("bg", &n) == SIZE_BG);
    CHECK(manifest_parse_size("250", &n) == -1 && n == 250);
    CHECK(manifest_parse_size("0", &n) == -2);
    CHECK(manifest_parse_size("-3", &n) == -2);
    CHECK(manifest_parse_size("12x", &n) == -2);
    CHECK(manifest_parse_size("", &n) == -2);

    /* Broken manifests name the file and the problem. */
    char dir[] = "/tmp/ladder-manifest-XXXXXX", path[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/broken", dir);
    CHECK(fs_mkdirs(path, err, sizeof err) == 0);
    const char *extra[] = {dir, NULL};

    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\",\n \"costs\": \"y\", }");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1);
    CHECK(strstr(err, "broken/rung.json:2:") != NULL);

    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\", \"costs\": \"y\", \"problems\": []}");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1);
    CHECK(strstr(err, "missing field \"run\"") != NULL);

    write_file(path, "rung.json", "{\"name\": \"other\", \"title\": \"x\", \"costs\": \"y\", \"problems\": [], \"run\": \"z\"}");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1);
    CHECK(strstr(err, "does not match its folder") != NULL);

    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\", \"costs\": \"y\", \"problems\": [1], \"run\": \"z\"}");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1);
    CHECK(strstr(err, "array of non-empty strings") != NULL);

    write_file(path, "rung.json", "[]");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1);
    CHECK(strstr(err, "must be a JSON object") != NULL);

    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\", \"costs\": \"y\", \"problems\": [\"nbody\"], \"run\": \"z\", \"env\": {\"A\": \"1\"}}");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == 0);
    const rung *b = manifest_rung(&reg, "broken");
    CHECK(b && b->nenv == 1 && !strcmp(b->env[0], "A=1") && !b->quick_skip);
    manifest_free(&reg);

    /* quick_skip: left out of the quick lab unless named, with its reason; every other size runs it */
    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\", \"costs\": \"y\", \"problems\": [\"nbody\"], \"run\": \"z\", \"quick_skip\": \"slow to start\"}");
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == 0);
    b = manifest_rung(&reg, "broken");
    CHECK(b && b->quick_skip && !strcmp(b->quick_skip, "slow to start"));
    const char *none[] = {NULL}, *named[] = {"broken", NULL};
    compute_plan plan = {.problems = none, .rungs = none, .size_index = SIZE_QUICK};
    char why[256] = "";
    CHECK(compute_left_out(&plan, b, why, sizeof why) && strstr(why, "slow to start") && strstr(why, "-r"));
    plan.rungs = named;
    CHECK(!compute_left_out(&plan, b, why, sizeof why));
    plan.rungs = none;
    plan.size_index = SIZE_BLOG;
    CHECK(!compute_left_out(&plan, b, why, sizeof why));
    plan.size_index = SIZE_QUICK;
    CHECK(!compute_left_out(&plan, manifest_rung(&reg, "c"), why, sizeof why));
    write_file(path, "rung.json", "{\"name\": \"broken\", \"title\": \"x\", \"costs\": \"y\", \"problems\": [], \"run\": \"z\", \"quick_skip\": 3}");
    manifest_free(&reg);
    CHECK(manifest_load(".", extra, &reg, err, sizeof err) == -1 && strstr(err, "quick_skip"));

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static void test_timing(void)
{
    char why[256];
    bench_row row;
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("threads 4\nwarmup_ns 900\nns 100\nns 120\r\n\nns 110\n", &row, why, sizeof why) == 0);
    CHECK(row.threads == 4 && row.nsamples == 3 && row.nwarmup == 1);
    CHECK(row.samples[1] == 120 && row.warmup[0] == 900);
    CHECK(row.simd[0] == '\0');
    bench_row_free(&row);
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("threads 1\nsimd avx512\r\nns 7\n", &row, why, sizeof why) == 0);
    CHECK(strcmp(row.simd, "avx512") == 0 && row.nsamples == 1);
    CHECK(row.work_bytes == 0);
    bench_row_free(&row);
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("threads 1\nbytes 4609769\nns 7\n", &row, why, sizeof why) == 0);
    CHECK(row.work_bytes == 4609769 && row.nsamples == 1);
    bench_row_free(&row);

    static const char *const bad[] = {"ns -5\n", "ns 12x\n", "ns\n", "ns  5\n", "NS 5\n", "ms 5\n",
                                      "ns 1234567890123456789\n", "threads 0\n", " ns 5\n",
                                      "simd\n", "simd \n", "simd AVX2\n", "simd avx2 x\n",
                                      "simd averyveryverylongname\n", "bytes 0\n", "bytes -1\n", "bytes\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&row, 0, sizeof row);
        why[0] = '\0';
        CHECK(bench_parse_timing(bad[i], &row, why, sizeof why) == -1);
        CHECK(why[0] != '\0');
        bench_row_free(&row);
    }
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("ns 5\nbogus 1\n", &row, why, sizeof why) == -1);
    CHECK(strstr(why, "unknown timing key 'bogus' on line 2") != NULL);
    bench_row_free(&row);
}

/* "part NAME BYTES NS" lines: each belongs to the ns or warmup_ns line after it. */
static void test_timing_parts(void)
{
    char why[256];
    bench_row row;
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("threads 1\nbytes 30\n"
                             "part a.json 10 40\npart B-2_x 0 50\nwarmup_ns 100\n"
                             "part a.json 10 41\npart B-2_x 0 51\nns 101\n"
                             "part a.json 10 42\r\npart B-2_x 0 52\nns 102\n",
                             &row, why, sizeof why) == 0);
    CHECK(row.nsamples == 2 && row.nwarmup == 1 && row.nparts == 2);
    CHECK(row.nparts == 2 && !strcmp(row.parts[0].name, "a.json") && row.parts[0].bytes == 10);
    CHECK(row.nparts == 2 && !strcmp(row.parts[1].name, "B-2_x") && row.parts[1].bytes == 0);
    /* the warm-up's parts are checked, not kept */
    CHECK(row.nparts == 2 && row.parts[0].nsamples == 2 && row.parts[0].samples[0] == 41 && row.parts[0].samples[1] == 42);
    CHECK(row.nparts == 2 && row.parts[1].nsamples == 2 && row.parts[1].samples[1] == 52);
    /* a part may take its whole iteration */
    bench_row_free(&row);
    CHECK(row.parts == NULL && row.nparts == 0);
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("part x 1 7\nns 7\n", &row, why, sizeof why) == 0 && row.nparts == 1);
    bench_row_free(&row);
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("ns 7\nns 8\n", &row, why, sizeof why) == 0 && row.nparts == 0 && !row.parts);
    bench_row_free(&row);

    static const struct {
        const char *text, *why;
    } bad[] = {
        {"part a 1 50\nns 49\n", "part 'a' on line 1 took 50 ns, more than its iteration's 49 (line 2)"},
        {"part a 1 50\nwarmup_ns 49\nns 60\n", "more than its iteration's 49"},
        {"part a 1 5\n", "part line 1 has no ns or warmup_ns line after it"},
        {"ns 10\npart a 1 5\n", "part line 2 has no ns"},
        {"part a 1 5\nns 10\nns 10\n", "are not the first counted iteration's"},
        {"ns 10\npart a 1 5\nns 10\n", "are not the first counted iteration's"},
        {"part a 1 5\nns 10\npart b 1 5\nns 10\n", "are not the first counted iteration's"},
        {"part a 1 5\nns 10\npart a 2 5\nns 10\n", "are not the first counted iteration's"},
        {"part a 1 5\npart b 1 5\nns 10\npart b 1 5\npart a 1 5\nns 10\n", "are not the first"},
        {"part a 1 5\npart a 1 5\nns 10\n", "part 'a' twice in one iteration (lines 1 and 2)"},
        {"part a 1\nns 10\n", "bad part line 1"},
        {"part a 1 5 6\nns 10\n", "bad part line 1"},
        {"part  a 1 5\nns 10\n", "bad part line 1"},
        {"part a/b 1 5\nns 10\n", "bad part line 1"},
        {"part a b 1 5\nns 10\n", "bad part line 1"},
        {"part a -1 5\nns 10\n", "bad part line 1"},
        {"part a 1 -5\nns 10\n", "bad part line 1"},
        {"part a 1 5x\nns 10\n", "bad part line 1"},
        {"part a 1 1234567890123456789\nns 10\n", "bad part line 1"},
        {"part \nns 10\n", "bad part line 1"},
        {"part\nns 10\n", "bad timing line 1"},
        {"part 0123456789012345678901234567890123456789012345678 1 5\nns 10\n", "bad part line 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&row, 0, sizeof row);
        why[0] = '\0';
        CHECK(bench_parse_timing(bad[i].text, &row, why, sizeof why) == -1);
        if (!strstr(why, bad[i].why))
            fprintf(stderr, "part case %zu: '%s' lacks '%s'\n", i, why, bad[i].why);
        CHECK(strstr(why, bad[i].why) != NULL);
        bench_row_free(&row);
    }
    /* 47 bytes is the longest name; 64 parts the most in one iteration */
    memset(&row, 0, sizeof row);
    CHECK(bench_parse_timing("part 01234567890123456789012345678901234567890123456 1 5\nns 10\n", &row, why,
                             sizeof why) == 0);
    bench_row_free(&row);
    char many[BENCH_MAX_PARTS * 24 + 64] = "";
    for (int i = 0; i <= BENCH_MAX_PARTS; i++) {
        size_t at = strlen(many);
        snprintf(many + at, sizeof many - at, "part p%d 1 1\n", i);
        if (i == BENCH_MAX_PARTS - 1) {
            memset(&row, 0, sizeof row);
            char ok[sizeof many + 8];
            snprintf(ok, sizeof ok, "%sns 9\n", many);
            CHECK(bench_parse_timing(ok, &row, why, sizeof why) == 0 && row.nparts == BENCH_MAX_PARTS);
            bench_row_free(&row);
        }
    }
    memset(&row, 0, sizeof row);
    strcat(many, "ns 9\n");
    CHECK(bench_parse_timing(many, &row, why, sizeof why) == -1 && strstr(why, "more than 64 parts") != NULL);
    bench_row_free(&row);
}

/* Rounds pooled: samples, warm-ups and each part's samples appended; parts that differ refused. */
static void test_row_append(void)
{
    char why[256];
    bench_row acc, r;
    memset(&acc, 0, sizeof acc);
    memset(&r, 0, sizeof r);
    CHECK(bench_parse_timing("part a 4 3\npart b 0 1\nns 5\npart a 4 30\npart b 0 10\nns 50\n", &acc, why,
                             sizeof why) == 0);
    CHECK(bench_parse_timing("warmup_ns 7\npart a 4 2\npart b 0 20\nns 40\n", &r, why, sizeof why) == 0);
    CHECK(bench_row_append(&acc, &r, why, sizeof why) == 0);
    CHECK(acc.nsamples == 3 && acc.samples[2] == 40 && acc.nwarmup == 1 && acc.warmup[0] == 7);
    CHECK(acc.parts[0].nsamples == 3 && acc.parts[0].samples[0] == 3 && acc.parts[0].samples[2] == 2);
    CHECK(acc.parts[1].nsamples == 3 && acc.parts[1].samples[2] == 20);
    /* summarised as the row's own samples are: median, min, max of {3, 30, 2} and {1, 10, 20} */
    CHECK(bench_row_summarize(&acc) == 0);
    CHECK(acc.kernel.median == 40 && acc.kernel.n == 3);
    CHECK(acc.parts[0].summary.n == 3 && acc.parts[0].summary.median == 3 && acc.parts[0].summary.min == 2 &&
          acc.parts[0].summary.max == 30);
    CHECK(acc.parts[1].summary.median == 10 && acc.parts[1].summary.max == 20);
    bench_row_free(&r);
    memset(&r, 0, sizeof r);
    CHECK(bench_parse_timing("part a 4 2\nns 40\n", &r, why, sizeof why) == 0);
    why[0] = '\0';
    CHECK(bench_row_append(&acc, &r, why, sizeof why) == -1 && strstr(why, "not the first round's") != NULL);
    CHECK(acc.nsamples == 3);
    bench_row_free(&r);
    memset(&r, 0, sizeof r);
    CHECK(bench_parse_timing("part a 5 2\npart b 0 1\nns 40\n", &r, why, sizeof why) == 0);
    CHECK(bench_row_append(&acc, &r, why, sizeof why) == -1);
    bench_row_free(&r);
    bench_row_free(&acc);
}

static int probe_connect(int port, void *ctx, char *why, size_t cap)
{
    (void)ctx;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int rc = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : -1;
    if (rc)
        snprintf(why, cap, "connection refused");
    if (fd >= 0)
        close(fd);
    return rc;
}

/* server_start: the canonical environment plus PORT and the caller's extras, ready when the
 * probe answers, and a server that dies before answering retried on a fresh port, then given up
 * with its log's last line. */
static void test_server(void)
{
    char dir[] = "/tmp/ladder-server-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char run[512];
    snprintf(run, sizeof run,
             "test \"$EXTRA\" = yes && test -n \"$LADDER_PYTHON\" && exec python3 -m http.server \"$PORT\" "
             "--bind 127.0.0.1");
    rung r = {.name = (char *)"srv", .title = (char *)"srv", .dir = dir, .run = run, .contender = true};
    bench_opts bo = {.root = dir, .build_root = dir, .python = "python3"};
    rung_state st;
    rung_state_init(&st, &r, &bo);
    const char *extra[] = {"EXTRA=yes", NULL};
    server_spec spec = {.st = &st, .bo = &bo, .workers = 1, .extra_env = extra, .log_name = "server.log",
                        .start_timeout_s = 20, .probe = probe_connect};
    server s;
    char why[256] = "";
    CHECK(server_start(&s, &spec, why, sizeof why) == 0);
    CHECK(s.port > 0 && server_alive(&s));
    server_stop(&s, 5);
    CHECK(!server_alive(&s));
    server_free(&s);

    char tries[600], dying[700];
    snprintf(tries, sizeof tries, "%s/tries", dir);
    snprintf(dying, sizeof dying, "echo x >> '%s'; echo 'bind: address in use' >&2; exit 1", tries);
    r.run = dying;
    CHECK(server_start(&s, &spec, why, sizeof why) == -1);
    CHECK(strstr(why, "exited before answering: bind: address in use") != NULL);
    size_t len = 0;
    char *text = fs_read_all(tries, &len, NULL, 0);
    CHECK(text && len == 2 * SERVER_START_TRIES);
    free(text);
    server_free(&s);
    snprintf(dying, sizeof dying, "rm -rf '%s'", dir);
    CHECK(system(dying) == 0);
}

static double cpu_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The server's CPU accounting counts every process of a multi-process server and nothing of the
 * client: tests/fixtures/servers/burner.py answers /burn once one child has burnt 0.4 s of CPU
 * and exited (reaped: counted through the server's cutime) and another has burnt 0.3 s with
 * 64 MiB resident and stays alive (its own utime and RSS). Meanwhile the client burns 0.8 s:
 * 0.5 s in a process of its own, as wrk would, and 0.3 s in this process. */
static void test_server_cost(void)
{
    char dir[] = "/tmp/ladder-cost-XXXXXX", cwd[512], run[1024];
    CHECK(mkdtemp(dir) != NULL);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    snprintf(run, sizeof run, "exec python3 '%s/tests/fixtures/servers/burner.py' \"$PORT\"", cwd);
    rung r = {.name = (char *)"burner", .title = (char *)"burner", .dir = dir, .run = run, .contender = true};
    bench_opts bo = {.root = dir, .build_root = dir, .python = "python3"};
    rung_state st;
    rung_state_init(&st, &r, &bo);
    server_spec spec = {.st = &st, .bo = &bo, .workers = 1, .log_name = "server.log", .start_timeout_s = 30,
                        .probe = probe_connect};
    server s;
    char why[256] = "";
    CHECK(server_start(&s, &spec, why, sizeof why) == 0);
    server_meter *m = server_meter_start(&s, 20, why, sizeof why);
    CHECK(m != NULL);
    if (!m) {
        server_free(&s);
        return;
    }
    const char *client[] = {"python3", "-c",
                            "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass",
                            NULL};
    proc_spec cs = {.argv = client, .timeout_s = 60};
    proc_result cr;
    CHECK(proc_run(&cs, &cr, why, sizeof why) == 0 && cr.exited && cr.exit_code == 0);
    proc_result_free(&cr);
    for (double end = cpu_now_s() + 0.3; cpu_now_s() < end;)
        ;
    http_client_response res;
    int rc = http_client_request("127.0.0.1", s.port, "GET", "/burn?a=0.4&b=0.3&mb=64", NULL, NULL, 0, 60, &res,
                                 why, sizeof why);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(res.status == 200 && res.body_len == 5 && !memcmp(res.body, "burnt", 5));
        http_client_free(&res);
    }
    server_usage u;
    server_meter_stop(m, &u);
    double cpu = (double)u.cpu_ns / 1e9;
    if (cpu < 0.68 || cpu > 1.1)
        fprintf(stderr, "server tree CPU %.3f s (expected 0.7 s plus the handler's own)\n", cpu);
    CHECK(cpu >= 0.68);      /* both children: 0.4 s reaped + 0.3 s alive (ticks are 10 ms) */
    CHECK(cpu <= 1.1);       /* and none of the client's 0.8 s */
    CHECK(u.peak_rss_kb >= 64 * 1024);
    CHECK(u.max_procs >= 2);
    CHECK(u.samples >= 2 && u.wall_ns > 0);
    server_stop(&s, 5);
    server_free(&s);
    snprintf(run, sizeof run, "rm -rf '%s'", dir);
    CHECK(system(run) == 0);
}

int main(void)
{
    test_timing();
    test_timing_parts();
    test_row_append();
    test_stats();
    test_verify();
    test_proc();
    test_fsutil();
    test_manifest();
    test_server();
    test_server_cost();
    return check_done("test_harness");
}
