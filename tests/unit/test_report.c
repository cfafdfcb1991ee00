/* Unit tests of the reports: number formatting, speedups, and what each format contains. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json/json.h"
#include "report/fmt.h"
#include "report/report.h"
#include "suites/suites.h"

static const char DOC[] =
    "{\"schema\":\"ladder.results/1\",\"started\":\"2026-01-01T00:00:00Z\",\"settings\":{\"size\":\"quick\","
    "\"warmup\":1,\"repeat\":3},\"machine\":{\"cpu_model\":\"Test CPU\",\"cores\":2,\"kernel\":\"Linux\"},"
    "\"rows\":["
    "{\"problem\":\"nbody\",\"problem_title\":\"n-body\",\"rung\":\"cpython\",\"rung_title\":\"CPython\","
    "\"costs\":\"nothing\",\"size\":\"quick\",\"n\":1000,\"status\":\"ok\",\"verified\":true,\"threads\":1,"
    "\"kernel_ns\":{\"median\":2000000000,\"mad\":0,\"n\":3,\"rel_spread\":0},\"process\":{\"wall_ns\":7e9,"
    "\"cpu_ns\":7e9,\"max_rss_kb\":10240}},"
    "{\"problem\":\"nbody\",\"problem_title\":\"n-body\",\"rung\":\"c\",\"rung_title\":\"C <gcc>\","
    "\"costs\":\"a compiler\",\"size\":\"quick\",\"n\":1000,\"status\":\"ok\",\"verified\":true,\"threads\":1,"
    "\"kernel_ns\":{\"median\":20000000,\"mad\":2000000,\"n\":3,\"rel_spread\":0.1,\"noisy\":true,\"outliers\":0},"
    "\"process\":{\"wall_ns\":1e8,\"cpu_ns\":1e8,\"max_rss_kb\":2048}},"
    "{\"problem\":\"nbody\",\"problem_title\":\"n-body\",\"rung\":\"mid\",\"rung_title\":\"Middle\","
    "\"costs\":\"some\",\"size\":\"quick\",\"n\":1000,\"status\":\"ok\",\"verified\":true,\"threads\":1,"
    "\"jit\":true,\"first_call_ns\":5e8,"
    "\"kernel_ns\":{\"median\":200000000,\"mad\":0,\"n\":3,\"rel_spread\":0}},"
    "{\"problem\":\"nbody\",\"problem_title\":\"n-body\",\"rung\":\"broken\",\"rung_title\":\"Broken\","
    "\"costs\":\"x\",\"size\":\"quick\",\"n\":1000,\"status\":\"failed\",\"failure\":\"wrong\","
    "\"reason\":\"wrong answer: line 2 differs\",\"verified\":false,\"threads\":1,\"kernel_ns\":null}"
    "]}";

static char *render(const json_value *root, report_format fmt)
{
    char *buf = NULL, err[256];
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    int rc = report_render(root, &suites_report, fmt, f, err, sizeof err);
    fclose(f);
    CHECK(rc == 0);
    return buf;
}

int main(void)
{
    static const struct {
        void (*fmt)(double, char *, size_t);
        double value;
        const char *want;
    } formats[] = {
        {fmt_ns, 1.5e9, "1.50 s"},
        {fmt_ns, 372e9, "372 s"},
        {fmt_ns, 12.34e6, "12.3 ms"},
        {fmt_ns, 4.2e3, "4.20 µs"},
        {fmt_ns, 512, "512 ns"},
        {fmt_bytes, 812, "812 B"},
        {fmt_bytes, 3100, "3.0 KiB"},
        {fmt_bytes, 2.5 * 1024 * 1024, "2.50 MiB"},
        {fmt_bytes, -1, "—"},
        {fmt_rate, 3.754e9, "3.75 GB/s"},
        {fmt_rate, 812e6, "812 MB/s"},
        {fmt_rate, 45.6e3, "45.6 kB/s"},
        {fmt_rate, 120, "120 B/s"},
        {fmt_rate, 999.6e6, "1000 MB/s"},
        {fmt_rate, 0, "—"},
    };
    char s[32];
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        formats[i].fmt(formats[i].value, s, sizeof s);
        CHECK_STR(s, formats[i].want);
    }

    json_error je;
    json_doc *doc = json_read(DOC, strlen(DOC), NULL, &je);
    CHECK(doc != NULL);
    if (!doc)
        return check_done("test_report");
    const json_value *root = json_doc_root(doc);

    char *term = render(root, REPORT_TERMINAL);
    CHECK(strstr(term, "100x") != NULL);        /* C over CPython: 2 s / 20 ms */
    CHECK(strstr(term, "10.0x") != NULL);       /* Middle over CPython */
    CHECK(strstr(term, "0.01x") != NULL);       /* CPython relative to C */
    CHECK(strstr(term, "20.0 ms !") != NULL);   /* noisy row flagged */
    CHECK(strstr(term, "FAILED (wrong)") != NULL);
    CHECK(strstr(term, "broken failed: wrong answer: line 2 differs") != NULL);
    CHECK(strstr(term, "500 ms") != NULL);      /* first call of the JIT row */
    /* The summary card comes first, fastest first: C (100x) above Middle (10x), without CPython. */
    const char *summary = strstr(term, "Summary: geometric-mean speedup over CPython");
    const char *card = strstr(term, "n-body  N=1000");
    CHECK(summary && card && summary < card);
    CHECK(summary && strstr(summary, "C <gcc>") < strstr(summary, "Middle"));
    /* Slowest first in the card: CPython's row comes before Middle's, which comes before C's. */
    CHECK(card && strstr(card, "CPython ") < strstr(card, "Middle") && strstr(card, "Middle") < strstr(card, "C <gcc>"));
    free(term);

    char *md = render(root, REPORT_MARKDOWN);
    CHECK(strstr(md, "| Approach |") != NULL);
    CHECK(strstr(md, "## n-body (N = 1000, size quick)") != NULL);
    free(md);

    char *html = render(root, REPORT_HTML);
    CHECK(strstr(html, "<svg class=\"chart\"") != NULL);
    CHECK(strstr(html, "C &lt;gcc&gt;") != NULL); /* escaped */
    CHECK(strstr(html, "C <gcc>") == NULL);
    size_t bars = 0;
    for (const char *p = html; (p = strstr(p, "<rect class=\"bar")); p++)
        bars++;
    CHECK(bars == 3 + 2); /* the card's chart, and the summary's (C and Middle) */
    CHECK(strstr(html, "data-bars-drawn") != NULL);
    free(html);

    /* With samples: intervals on the median and the speedups, and "no significant difference". */
    static const char WITH[] =
        "{\"schema\":\"ladder.results/1\",\"settings\":{\"size\":\"quick\",\"warmup\":1,\"repeat\":3,\"rounds\":2},"
        "\"machine\":{},\"rows\":["
        "{\"problem\":\"p\",\"rung\":\"cpython\",\"size\":\"quick\",\"n\":1,\"status\":\"ok\",\"verified\":true,"
        "\"kernel_ns\":{\"median\":1000,\"n\":6},\"samples_ns\":[990,1000,1010,995,1005,1000]},"
        "{\"problem\":\"p\",\"rung\":\"fast\",\"size\":\"quick\",\"n\":1,\"status\":\"ok\",\"verified\":true,"
        "\"kernel_ns\":{\"median\":100,\"n\":6},\"samples_ns\":[99,100,101,98,102,100]},"
        "{\"problem\":\"p\",\"rung\":\"same\",\"size\":\"quick\",\"n\":1,\"status\":\"ok\",\"verified\":true,"
        "\"kernel_ns\":{\"median\":1000,\"n\":6},\"samples_ns\":[1001,999,1002,998,1000,1000]}]}";
    json_doc *d2 = json_read(WITH, strlen(WITH), NULL, &je);
    CHECK(d2 != NULL);
    if (d2) {
        char *t2 = render(json_doc_root(d2), REPORT_TERMINAL);
        CHECK(strstr(t2, "10.0x (9.9–10.2)") != NULL); /* Hodges-Lehmann, 6 vs 6: d(6), d(31) = 9.85, 10.15 */
        CHECK(strstr(t2, "no significant difference") != NULL);
        CHECK(strstr(t2, "990 ns–1.01 µs") != NULL); /* the median's interval: min and max at n = 6 */
        CHECK(strstr(t2, "2 rounds") != NULL);
        free(t2);
        json_doc_free(d2);
    }

    /* Rows that say how many bytes an iteration reads: throughput beside the time in every format
     * (4.6 MB over 2 ms and 20 ms), and its interval from the median's (1.9–2.1 ms: 2.19–2.42 GB/s);
     * a card without such rows has no throughput columns (the n-body card above). */
    static const char BYTES[] =
        "{\"schema\":\"ladder.results/1\",\"settings\":{\"size\":\"quick\",\"warmup\":1,\"repeat\":3},"
        "\"machine\":{},\"rows\":["
        "{\"problem\":\"json-corpus\",\"rung\":\"cpython\",\"size\":\"quick\",\"n\":1,\"status\":\"ok\","
        "\"verified\":true,\"work_bytes\":4600000,\"kernel_ns\":{\"median\":20000000,\"n\":3}},"
        "{\"problem\":\"json-corpus\",\"rung\":\"c\",\"size\":\"quick\",\"n\":1,\"status\":\"ok\","
        "\"verified\":true,\"work_bytes\":4600000,\"kernel_ns\":{\"median\":2000000,\"n\":3,\"ci_lo\":1900000,"
        "\"ci_hi\":2100000,\"ci_level\":0.75}}]}";
    json_doc *d3 = json_read(BYTES, strlen(BYTES), NULL, &je);
    CHECK(d3 != NULL);
    if (d3) {
        char *t3 = render(json_doc_root(d3), REPORT_TERMINAL);
        CHECK(strstr(t3, "Throughput") != NULL);
        CHECK(strstr(t3, "2.30 GB/s") != NULL);
        CHECK(strstr(t3, "230 MB/s") != NULL);
        CHECK(strstr(t3, "2.19–2.42 GB/s") != NULL);
        free(t3);
        char *m3 = render(json_doc_root(d3), REPORT_MARKDOWN);
        CHECK(strstr(m3, "| Throughput |") != NULL && strstr(m3, "2.30 GB/s") != NULL);
        free(m3);
        char *h3 = render(json_doc_root(d3), REPORT_HTML);
        CHECK(strstr(h3, "<th>Throughput</th>") != NULL && strstr(h3, "<td class=\"n\">2.30 GB/s</td>") != NULL);
        free(h3);
        json_doc_free(d3);
    }
    char *t4 = render(root, REPORT_TERMINAL);
    CHECK(strstr(t4, "Throughput") == NULL);
    free(t4);

    static const char *const bad[] = {"[]", "{\"schema\":\"other/1\",\"rows\":[]}",
                                      "{\"schema\":\"ladder.results/1\"}",
                                      "{\"schema\":\"ladder.results/1\",\"rows\":[{\"problem\":1}]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_doc *d = json_read(bad[i], strlen(bad[i]), NULL, &je);
        char err[256] = "";
        FILE *f = fopen("/dev/null", "w");
        CHECK(d && report_render(json_doc_root(d), &suites_report, REPORT_TERMINAL, f, err, sizeof err) == -1 && err[0]);
        fclose(f);
        json_doc_free(d);
    }
    json_doc_free(doc);
    return check_done("test_report");
}
