/* Unit tests of the results writers (one per suite, and the common head), the report sections
 * that render their rows, the section table, and the growable strings that paths, commands and
 * environments are built with: a too-long manifest command, path or environment is run whole
 * or refused, never cut. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/bench.h"
#include "core/results.h"
#include "core/strbuf.h"
#include "json/json.h"
#include "report/report.h"
#include "suites/compute/compute_results.h"
#include "suites/http/http_results.h"
#include "suites/http/http_rounds.h"
#include "suites/lifecycle/lifecycle.h"
#include "suites/suites.h"

static char *render(const json_value *root, report_format fmt)
{
    char err[256] = "";
    size_t len;
    char *text = report_render_alloc(root, &suites_report, fmt, &len, err, sizeof err);
    CHECK(text != NULL);
    if (!text)
        fprintf(stderr, "render: %s\n", err);
    return text ? text : strdup("");
}

/* Finishes w into a parsed document that results_check accepts. */
static json_doc *read_back(json_writer *w)
{
    size_t len;
    const char *text = json_writer_data(w, &len);
    CHECK(json_writer_ok(w));
    json_error je;
    json_doc *doc = json_read(text, len, NULL, &je);
    CHECK(doc != NULL);
    char err[256] = "";
    CHECK(doc && results_check(json_doc_root(doc), err, sizeof err) == 0);
    return doc;
}

static const json_value *row0(json_doc *doc)
{
    return json_arr_get(json_obj_get(json_doc_root(doc), "rows"), 0);
}

static rung fake_rung(char *name, char *title)
{
    static char kind[] = "compiled", costs[] = "a <compiler>";
    return (rung){.name = name, .title = title, .kind = kind, .costs = costs, .dir = (char *)"/tmp"};
}

static void test_compute_writer(void)
{
    rung r = fake_rung((char *)"c", (char *)"C (gcc)");
    problem p = {.id = (char *)"nbody", .title = (char *)"n-body", .suite = (char *)"compute"};
    double samples[] = {2e6, 3e6, 1e6};
    bench_row row = {.prob = &p, .r = &r, .size = "quick", .n = 1000, .status = ROW_OK, .verified = true,
                     .threads = 1, .simd = "avx2", .samples = samples, .nsamples = 3, .wall_ns = 9000000, .user_ns = 8000000,
                     .sys_ns = 1000000, .max_rss_kb = 2048, .work_bytes = 5000000};
    CHECK(stats_summarize(samples, 3, &row.kernel) == 0);
    rung_state st = {.r = &r, .build_tried = true, .build_ok = true};
    snprintf(st.version, sizeof st.version, "gcc 12");
    json_writer w;
    json_writer_init(&w, false);
    results_meta meta = {.command = "ladder run nbody", .started_unix = 0, .ladder_version = "test"};
    compute_settings set = {.size = "quick", .warmup = 1, .repeat = 3, .timeout_s = 60};
    compute_results_write(&w, &meta, &set, &row, 1, &st, 1);
    json_doc *doc = read_back(&w);
    const json_value *root = json_doc_root(doc), *r0 = row0(doc);
    CHECK_STR(json_get_str(json_obj_get(root, "started"), NULL), "1970-01-01T00:00:00Z");
    CHECK_STR(json_get_str(json_obj_get(r0, "suite"), NULL), "compute");
    CHECK_STR(json_get_str(json_obj_get(r0, "version"), NULL), "gcc 12");
    CHECK(json_get_type(json_obj_get(r0, "failure")) == JSON_NULL);
    CHECK(json_get_num(json_obj_get(json_obj_get(r0, "kernel_ns"), "median")) == 2e6);
    CHECK_STR(json_get_str(json_obj_get(r0, "simd"), NULL), "avx2");
    CHECK(json_arr_len(json_obj_get(r0, "samples_ns")) == 3);
    CHECK(json_get_num(json_obj_get(r0, "work_bytes")) == 5000000);
    CHECK(json_get_num(json_obj_get(r0, "bytes_per_s")) == 2.5e9); /* 5 MB over the 2 ms median */
    CHECK(json_get_num(json_obj_get(json_obj_get(r0, "process"), "cpu_ns")) == 9000000);
    char *md = render(root, REPORT_MARKDOWN);
    CHECK(strstr(md, "## n-body (N = 1000, size quick)") != NULL);
    CHECK(strstr(md, "| C (gcc)") != NULL && strstr(md, "2.00 ms") != NULL);
    CHECK(strstr(md, "1 avx2") != NULL); /* the SIMD level the rung ran, beside its threads */
    CHECK(strstr(md, "| 2.50 GB/s |") != NULL);
    char *html = render(root, REPORT_HTML);
    CHECK(strstr(html, "a &lt;compiler&gt;") != NULL); /* escaped */
    CHECK(strstr(html, "data-problem=\"nbody\"") != NULL);
    free(md);
    free(html);
    json_doc_free(doc);
    json_writer_free(&w);
}

/* A row's parts in the document (each summarised as the row's kernel time: median, interval,
 * bytes over the median) and in every report format. */
static void test_compute_parts(void)
{
    rung r = fake_rung((char *)"c", (char *)"C (gcc)"), q = fake_rung((char *)"py", (char *)"Python");
    problem p = {.id = (char *)"json-corpus", .title = (char *)"corpus", .suite = (char *)"compute"};
    double samples[] = {6e6, 9e6, 7e6}, a[] = {1e6, 4e6, 2e6}, b[] = {5e6, 5e6, 5e6}, slow[] = {8e7, 9e7, 7e7};
    bench_part parts[] = {{.name = "a.json", .bytes = 1000000, .samples = a, .nsamples = 3},
                          {.name = "b", .bytes = 0, .samples = b, .nsamples = 3}};
    bench_row rows[2] = {
        {.prob = &p, .r = &r, .size = "quick", .n = 1, .status = ROW_OK, .verified = true, .threads = 1,
         .samples = samples, .nsamples = 3, .wall_ns = 9000000, .work_bytes = 3000000, .parts = parts, .nparts = 2},
        {.prob = &p, .r = &q, .size = "quick", .n = 1, .status = ROW_OK, .verified = true, .threads = 1,
         .samples = slow, .nsamples = 3, .wall_ns = 90000000, .work_bytes = 3000000}};
    CHECK(bench_row_summarize(&rows[0]) == 0 && bench_row_summarize(&rows[1]) == 0);
    CHECK(parts[0].summary.median == 2e6 && parts[1].summary.median == 5e6);
    json_writer w;
    json_writer_init(&w, false);
    results_meta meta = {.command = "ladder run json-corpus", .started_unix = 0, .ladder_version = "test"};
    compute_settings set = {.size = "quick", .warmup = 1, .repeat = 3, .timeout_s = 60};
    compute_results_write(&w, &meta, &set, rows, 2, NULL, 0);
    json_doc *doc = read_back(&w);
    const json_value *root = json_doc_root(doc), *r0 = row0(doc);
    const json_value *r1 = json_arr_get(json_obj_get(root, "rows"), 1);
    CHECK(json_get_type(json_obj_get(r1, "parts")) == JSON_NULL);
    const json_value *ps = json_obj_get(r0, "parts");
    CHECK(json_arr_len(ps) == 2);
    const json_value *pa = json_arr_get(ps, 0), *pb = json_arr_get(ps, 1);
    CHECK_STR(json_get_str(json_obj_get(pa, "name"), NULL), "a.json");
    CHECK(json_get_num(json_obj_get(pa, "bytes")) == 1000000);
    CHECK(json_get_num(json_obj_get(pa, "bytes_per_s")) == 5e8); /* 1 MB over the 2 ms median */
    const json_value *ns = json_obj_get(pa, "ns");
    /* three samples: the interval is [min, max] at 75%, as the row's own would be */
    stats_interval ci;
    CHECK(stats_median_ci(a, 3, STATS_CONFIDENCE, &ci) == 0);
    CHECK(json_get_num(json_obj_get(ns, "median")) == 2e6 && json_get_num(json_obj_get(ns, "n")) == 3);
    CHECK(json_get_num(json_obj_get(ns, "ci_lo")) == 1e6 && json_get_num(json_obj_get(ns, "ci_hi")) == 4e6);
    CHECK(json_get_num(json_obj_get(ns, "ci_level")) == ci.level && ci.level == 0.75);
    CHECK(json_arr_len(json_obj_get(pa, "samples_ns")) == 3);
    CHECK_STR(json_get_str(json_obj_get(pb, "name"), NULL), "b");
    CHECK(json_get_type(json_obj_get(pb, "bytes")) == JSON_NULL);
    CHECK(json_get_type(json_obj_get(pb, "bytes_per_s")) == JSON_NULL);
    CHECK(json_get_num(json_obj_get(json_obj_get(pb, "ns"), "median")) == 5e6);

    char *term = render(root, REPORT_TERMINAL), *md = render(root, REPORT_MARKDOWN), *html = render(root, REPORT_HTML);
    CHECK(strstr(term, "Parts, timed inside the same iterations") != NULL);
    CHECK(strstr(term, "a.json (976.6 KiB)") != NULL);
    /* the part's median and interval, and the bytes over them: 500 MB/s, 250 MB/s to 1 GB/s */
    CHECK(strstr(md, "| a.json (976.6 KiB) | C (gcc) | 2.00 ms ! | 1.00 ms–4.00 ms | 500 MB/s | 0.25–1.00 GB/s |") != NULL);
    CHECK(strstr(md, "| b | C (gcc) | 5.00 ms | 5.00 ms–5.00 ms | — | — |") != NULL);
    CHECK(strstr(md, "| Python |") != NULL && strstr(md, "| a.json (976.6 KiB) | Python") == NULL);
    CHECK(strstr(html, "<h3>Parts") != NULL && strstr(html, "<td>a.json (976.6 KiB)</td>") != NULL);
    CHECK(strstr(html, "500 MB/s") != NULL);
    free(term);
    free(md);
    free(html);
    json_doc_free(doc);
    json_writer_free(&w);
}

static void test_http_writer(void)
{
    rung r = fake_rung((char *)"ladder", (char *)"ladder (C)");
    rung down = fake_rung((char *)"gin", (char *)"Gin");
    const hb_endpoint *pt = hb_endpoint_find("plaintext");
    hb_row rows[2] = {
        {.contender = &r, .endpoint = pt, .status = ROW_OK, .verified = true, .requests_per_s = 81234,
         .requests = 243702, .duration_s = 3, .p99_us = 2500, .client_cpu_pct = 97, .client_bound = true,
         .workers = 1, .server_measured = true, .server_cpu_s = 2.5, .server_cpu_pct = 83, .requests_per_cpu_s = 97481,
         .peak_rss_kb = 2048, .server_procs = 1, .nrates = 2,
         .rates = {{.offered_rps = 40617, .fraction = 0.5, .ok = true, .achieved_rps = 40600, .requests = 81200,
                    .p50_us = 120, .p90_us = 200, .p99_us = 410, .p999_us = 900, .max_us = 3100, .server_cpu_s = 0.9,
                    .client_cpu_pct = 95, .client_bound = true},
                   {.offered_rps = 2000, .ok = false, .reason = "oha failed"}}},
        {.contender = &down, .endpoint = pt, .status = ROW_SKIPPED, .failure = "unavailable", .workers = 1},
    };
    snprintf(rows[1].reason, sizeof rows[1].reason, "go not found");
    hb_opts o = {.threads = 1, .connections = 128, .duration_s = 3, .workers = 1, .pipeline = 1};
    snprintf(o.server_cpus, sizeof o.server_cpus, "0");
    snprintf(o.client_cpus, sizeof o.client_cpus, "1");
    json_writer w;
    json_writer_init(&w, false);
    results_meta meta = {.command = "ladder http", .ladder_version = "test"};
    const int workers[] = {1};
    http_results_write(&w, &meta, "quick", &o, workers, 1, rows, 2, NULL, 0);
    json_doc *doc = read_back(&w);
    const json_value *root = json_doc_root(doc), *r0 = row0(doc);
    CHECK_STR(json_get_str(json_obj_get(r0, "suite"), NULL), "http");
    CHECK_STR(json_get_str(json_obj_get(r0, "problem_title"), NULL), "GET /plaintext");
    CHECK(json_get_num(json_obj_get(json_obj_get(r0, "http"), "requests_per_s")) == 81234);
    CHECK(json_get_type(json_obj_get(json_arr_get(json_obj_get(root, "rows"), 1), "http")) == JSON_NULL);
    char *text = render(root, REPORT_TERMINAL);
    CHECK(strstr(text, "81234 (client-bound)") != NULL);
    CHECK(strstr(text, "2.50 ms") != NULL);
    CHECK(strstr(text, "gin (1 worker) plaintext: go not found") != NULL);
    CHECK(strstr(text, "ladder (C), 1 worker") != NULL);
    CHECK(strstr(text, "97481") != NULL);     /* requests per server CPU-second */
    CHECK(strstr(text, "83%") != NULL);       /* server busy */
    CHECK(strstr(text, "2.0 MiB") != NULL);   /* peak RSS */
    CHECK(strstr(text, "Latency at a fixed rate: GET /plaintext") != NULL);
    CHECK(strstr(text, "40600 (client-bound)") != NULL);
    CHECK(strstr(text, "0.41 ms") != NULL && strstr(text, "0.90 ms") != NULL && strstr(text, "common") != NULL);
    const json_value *srv = json_obj_get(json_obj_get(r0, "http"), "server");
    CHECK(json_get_num(json_obj_get(srv, "requests_per_cpu_s")) == 97481);
    CHECK(json_get_num(json_obj_get(r0, "workers")) == 1);
    const json_value *sw = json_obj_get(json_obj_get(r0, "http"), "latency_sweep");
    CHECK(json_arr_len(sw) == 2 && json_get_num(json_obj_get(json_obj_get(json_arr_get(sw, 0), "latency_us"),
                                                              "p99_9")) == 900);
    CHECK(json_get_type(json_obj_get(json_arr_get(sw, 1), "of_max")) == JSON_NULL);
    CHECK(strstr(text, "pinned to CPU 0") != NULL);
    CHECK(strstr(text, "N=") == NULL); /* no compute card */
    char *html = render(root, REPORT_HTML);
    CHECK(strstr(html, "<section class=\"http\">") != NULL && strstr(html, "<svg") != NULL);
    CHECK(strstr(html, "<pre") == NULL && strstr(html, "<th>Requests/s</th>") != NULL); /* real tables */
    CHECK(strstr(html, "data-w-cpu=") != NULL && strstr(html, "data-metric=\"cpu\"") != NULL);
    CHECK(strstr(html, "class=\"chart latency\"") != NULL && strstr(html, "<polyline") != NULL);
    free(text);
    free(html);
    json_doc_free(doc);
    json_writer_free(&w);
}

/* The interleaved sweep: the document carries the medians, the min-max and every round's
 * figures with its place in the round's order; the reports show the min-max. */
static void test_http_rounds_writer(void)
{
    rung r = fake_rung((char *)"ladder", (char *)"ladder (C)");
    const hb_endpoint *js = hb_endpoint_find("json");
    static hb_row row;
    memset(&row, 0, sizeof row);
    row = (hb_row){.contender = &r, .endpoint = js, .status = ROW_OK, .verified = true, .requests_per_s = 10000,
                   .requests = 30000, .duration_s = 3, .p99_us = 900, .workers = 2, .nrates = 1, .nrounds = 3};
    const double p99s[3] = {3000, 1000, 2000};
    for (int k = 0; k < 3; k++)
        row.round_rates[0][k] = (hb_rate){.offered_rps = 5000, .fraction = 0.5, .ok = true, .achieved_rps = 5000,
                                          .requests = 10000, .p50_us = 100, .p90_us = 200, .p99_us = p99s[k],
                                          .p999_us = 2 * p99s[k], .max_us = 3 * p99s[k], .round = k,
                                          .position = 2 - k, .load1 = 1.5 + k};
    http_rounds_aggregate(row.round_rates[0], 3, &row.rates[0]);
    hb_opts o = {.threads = 1, .connections = 128, .duration_s = 3, .pipeline = 1, .oha = "oha",
                 .rate_duration_s = 2, .fractions = {0.5}, .nfractions = 1, .rate_connections = 64, .rounds = 3,
                 .seed = 123456789};
    json_writer w;
    json_writer_init(&w, false);
    results_meta meta = {.command = "ladder http --latency", .ladder_version = "test"};
    const int workers[] = {2};
    http_results_write(&w, &meta, "quick", &o, workers, 1, &row, 1, NULL, 0);
    json_doc *doc = read_back(&w);
    const json_value *root = json_doc_root(doc), *r0 = row0(doc);
    const json_value *lat = json_obj_get(json_obj_get(root, "settings"), "latency");
    CHECK(json_get_num(json_obj_get(lat, "rounds")) == 3 && json_get_num(json_obj_get(lat, "seed")) == 123456789);
    const json_value *x = json_arr_get(json_obj_get(json_obj_get(r0, "http"), "latency_sweep"), 0);
    CHECK(json_get_num(json_obj_get(json_obj_get(x, "latency_us"), "p99")) == 2000);
    const json_value *rg = json_obj_get(json_obj_get(x, "range_us"), "p99");
    CHECK(json_get_num(json_arr_get(rg, 0)) == 1000 && json_get_num(json_arr_get(rg, 1)) == 3000);
    CHECK(json_get_num(json_obj_get(x, "rounds")) == 3 && json_get_num(json_obj_get(x, "rounds_ok")) == 3);
    const json_value *per = json_obj_get(x, "per_round");
    CHECK(json_arr_len(per) == 3);
    for (size_t k = 0; k < 3; k++) {
        const json_value *m = json_arr_get(per, k);
        CHECK(json_get_num(json_obj_get(m, "round")) == (double)k + 1);
        CHECK(json_get_num(json_obj_get(m, "position")) == 2 - (double)k);
        CHECK(json_get_num(json_obj_get(json_obj_get(m, "latency_us"), "p99")) == p99s[k]);
        CHECK(json_get_bool(json_obj_get(m, "ok")));
        CHECK(json_get_num(json_obj_get(m, "load1")) == 1.5 + (double)k);
    }
    char *text = render(root, REPORT_TERMINAL);
    CHECK(strstr(text, "2.00 ms (1.00-3.00)") != NULL);
    CHECK(strstr(text, "3 rounds") != NULL && strstr(text, "seed 123456789") != NULL);
    CHECK(strstr(text, "3/3") != NULL);
    CHECK(strstr(text, "3 sweep measurements began: median 2.50, min-max 1.50-3.50") != NULL);
    char *md = render(root, REPORT_MARKDOWN);
    CHECK(strstr(md, "2.00 ms (1.00-3.00)") != NULL);
    char *html = render(root, REPORT_HTML);
    CHECK(strstr(html, "class=\"latency-range\"") != NULL);
    CHECK(strstr(html, "p99 2.00 ms (median of 3 rounds, 1.00-3.00)") != NULL);
    free(text);
    free(md);
    free(html);
    json_doc_free(doc);
    json_writer_free(&w);
}

static void test_lifecycle_writer(void)
{
    double v[LC_NSERIES][3];
    lifecycle_row rows[LIFECYCLE_NENDPOINTS];
    memset(rows, 0, sizeof rows);
    for (int e = 0; e < LIFECYCLE_NENDPOINTS; e++) {
        lifecycle_row *r = &rows[e];
        *r = (lifecycle_row){.contender = "catalog-c", .contender_title = "ladder (C)", .kind = "compiled",
                             .costs = "C", .version = "1", .db = "sqlite", .rtt_ms = 5, .rtt_label = "building",
                             .endpoint = &lifecycle_endpoints[e], .status = ROW_OK, .verified = true};
        r->s.n = 3;
        r->s.queries = 5;
        for (int k = 0; k < LC_NSERIES; k++) {
            v[k][0] = v[k][1] = v[k][2] = k == LC_TOTAL ? 1.5 : k == LC_CLIENT ? 7.0 : 0.25;
            r->s.v[k] = v[k];
        }
    }
    double rtts[] = {5};
    const char *labels[] = {"building"};
    lifecycle_run run = {.command = "ladder lifecycle", .ladder_version = "test", .requests = 3, .warmup = 0,
                         .workers = 1, .network_mode = "loopback", .rtts = rtts, .rtt_labels = labels, .nrtts = 1,
                         .rows = rows, .nrows = LIFECYCLE_NENDPOINTS};
    json_writer w;
    json_writer_init(&w, false);
    lifecycle_results_write(&w, &run);
    json_doc *doc = read_back(&w);
    const json_value *root = json_doc_root(doc), *r0 = row0(doc);
    CHECK_STR(json_get_str(json_obj_get(r0, "suite"), NULL), "lifecycle");
    CHECK_STR(json_get_str(json_obj_get(r0, "size"), NULL), "sqlite");
    const json_value *lc = json_obj_get(r0, "lifecycle");
    CHECK(json_get_num(json_obj_get(json_obj_get(lc, "median_ms"), "total")) == 1.5);
    CHECK(json_get_num(json_obj_get(lc, "what_if_ms")) == 6.5);
    char *md = render(root, REPORT_MARKDOWN);
    CHECK(strstr(md, "## The API lifecycle") != NULL);
    CHECK(strstr(md, "SQLite") != NULL && strstr(md, "RTT 5 ms (building)") != NULL);
    free(md);
    char *html = render(root, REPORT_HTML);
    CHECK(strstr(html, "<section class=\"lifecycle\">") != NULL);
    CHECK(strstr(html, "<pre") == NULL); /* real tables, not preformatted text cut off at the edge */
    CHECK(strstr(html, "<th class=\"n\">DB driver</th>") != NULL);
    CHECK(strstr(html, "<input type=\"range\" class=\"rtt\"") != NULL);
    CHECK(strstr(html, "data-phase=\"db\" data-ms=\"0.250000\"") != NULL); /* measured phases drive the what-if */
    FILE *out = fopen(getenv("LADDER_TEST_LIFECYCLE_HTML") ? getenv("LADDER_TEST_LIFECYCLE_HTML") : "/dev/null", "w");
    if (out) {
        fputs(html, out);
        fclose(out);
    }
    free(html);
    json_doc_free(doc);
    json_writer_free(&w);
}

static void test_check_and_unclaimed(void)
{
    static const char *const bad[] = {
        "{\"schema\":\"ladder.results/1\",\"rows\":[{\"problem\":\"p\",\"rung\":\"r\",\"size\":\"q\",\"status\":\"fine\"}]}",
        ("{\"schema\":\"ladder.results/1\",\"rows\":[{\"problem\":\"p\",\"rung\":\"r\",\"size\":\"q\",\"status\":\"ok\","
         "\"verified\":\"yes\"}]}"),
        "{\"schema\":\"ladder.results/1\",\"rows\":[7]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_error je;
        json_doc *d = json_read(bad[i], strlen(bad[i]), NULL, &je);
        char err[256] = "";
        CHECK(d && results_check(json_doc_root(d), err, sizeof err) == -1 && err[0]);
        json_doc_free(d);
    }
    static const char doc[] = "{\"schema\":\"ladder.results/1\",\"rows\":[{\"suite\":\"latency\",\"problem\":\"p\","
                              "\"rung\":\"r\",\"size\":\"q\",\"status\":\"ok\",\"verified\":true}]}";
    json_error je;
    json_doc *d = json_read(doc, strlen(doc), NULL, &je);
    char *text = render(json_doc_root(d), REPORT_TERMINAL);
    CHECK(strstr(text, "1 row of suite \"latency\" not shown") != NULL);
    free(text);
    json_doc_free(d);
}

static void test_strbuf(void)
{
    strbuf b;
    strbuf_init(&b);
    CHECK_STR(b.s, "");
    for (int i = 0; i < 1000; i++)
        strbuf_appendf(&b, "%04d", i);
    CHECK(b.len == 4000 && strbuf_ok(&b) && !strncmp(b.s + 3996, "0999", 4));
    char *s = strbuf_take(&b);
    CHECK(s && strlen(s) == 4000);
    free(s);
    strlist l;
    strlist_init(&l);
    CHECK(strlist_argv(&l)[0] == NULL);
    for (int i = 0; i < 100; i++)
        strlist_addf(&l, "K%d=%d", i, i);
    CHECK(l.n == 100 && strlist_argv(&l)[100] == NULL && !strcmp(strlist_argv(&l)[99], "K99=99"));
    strlist_free(&l);
    char *cmd = results_command_line("ladder", 2, (char *[]){"run", "nbody"});
    CHECK_STR(cmd, "ladder run nbody");
    free(cmd);
    char line[8];
    str_last_line("first\nsecond line\n\n", line, sizeof line);
    CHECK_STR(line, "second ");
}

/* A manifest command, folder or environment longer than any fixed buffer runs whole or is
 * refused with a reason; it is never cut and run. */
static void test_long_commands(void)
{
    char dir[] = "/tmp/ladder-long-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    strbuf deep;
    strbuf_init(&deep);
    strbuf_append(&deep, dir);
    for (int i = 0; i < 8; i++) /* a rung folder of over 800 bytes */
        strbuf_appendf(&deep, "/%0100d", i);
    char mk[2048];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", deep.s);
    CHECK(system(mk) == 0);
    strbuf run;
    strbuf_init(&run);
    strbuf_append(&run, ": '");
    for (int i = 0; i < 3000; i++)
        strbuf_append(&run, "x");
    /* exits 7 only if the tail of the 3 KB command and the whole environment arrived */
    strbuf_append(&run, "'; test \"$LADDER_RUNG_DIR\" = \"$(pwd)\" && test ${#BIG} -eq 10000 && exit 7; exit 3");
    strbuf big;
    strbuf_init(&big);
    strbuf_append(&big, "BIG=");
    for (int i = 0; i < 10000; i++)
        strbuf_append(&big, "y");
    char *env[] = {big.s, NULL};
    rung r = fake_rung((char *)"long", (char *)"Long");
    r.dir = deep.s;
    r.run = run.s;
    r.env = env;
    r.nenv = 1;
    problem p = {.id = (char *)"nbody", .title = (char *)"n-body"};
    bench_opts bo = {.root = dir, .build_root = dir, .timeout_s = 30, .repeat = 1};
    rung_state st;
    rung_state_init(&st, &r, &bo);
    bench_case bc = {.prob = &p, .n = 1};
    char err[256] = "";
    CHECK(bench_exec(&st, &bc, &bo, err, sizeof err) == 7);

    strbuf root;
    strbuf_init(&root);
    for (int i = 0; i < 50; i++)
        strbuf_appendf(&root, "/%0100d", i); /* past PATH_MAX */
    bench_opts far = {.root = dir, .build_root = root.s, .timeout_s = 30, .repeat = 1};
    rung_state st2;
    rung_state_init(&st2, &r, &far);
    CHECK(!bench_prepare(&st2, &far));
    CHECK(strstr(st2.reason, "longer than") != NULL);
    snprintf(mk, sizeof mk, "rm -rf '%s'", dir);
    CHECK(system(mk) == 0);
    strbuf_free(&deep);
    strbuf_free(&run);
    strbuf_free(&big);
    strbuf_free(&root);
}

int main(void)
{
    test_compute_writer();
    test_compute_parts();
    test_http_writer();
    test_http_rounds_writer();
    test_lifecycle_writer();
    test_check_and_unclaimed();
    test_strbuf();
    test_long_commands();
    return check_done("test_results");
}
