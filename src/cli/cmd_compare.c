/* ladder compare: is NEW faster, slower, or no different from BASE, row by row? */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/fsutil.h"
#include "core/results.h"
#include "report/html.h"
#include "report/report.h"
#include "suites/compute/compare.h"

static const char *const COMPARE_USAGE =
    "usage: ladder compare BASE.json NEW.json [MORE.json...] [--threshold PCT] [--fail-on slower]\n"
    "                      [--no-drift] [--json] [--format terminal|md|html] [-o FILE]\n"
    "\n"
    "Compares results documents of 'ladder run' row by row (same problem, approach and N): each\n"
    "NEW against BASE. Each process (round) is one measurement of a row, so run with --rounds 2 or\n"
    "more; the rows' variances are pooled toward the one they share, and the ratio's 95% interval\n"
    "and p come from Student's t. On the same machine the ratio is NEW/BASE kernel time, after the\n"
    "problem's drift (the median ratio of its rows: the machine's speed between the runs) is shown\n"
    "and taken out; when the machine records differ, times are not compared but speedups over each\n"
    "document's own CPython are. A row is faster or slower when its interval excludes 1 and the\n"
    "change exceeds the threshold; otherwise no significant difference (or within threshold). Rows\n"
    "in one document only are listed. docs/METHODOLOGY.md says why.\n"
    "\n"
    "      --threshold PCT   smallest change that counts as faster/slower (default 5)\n"
    "      --fail-on slower  exit 1 when any row is significantly slower beyond the threshold\n"
    "      --no-drift        compare times as they are (a change that slows every row of a problem\n"
    "                        alike is otherwise read as drift)\n"
    "      --json            the comparison as JSON (schema ladder.compare/1)\n"
    "  -f, --format F        terminal (default), md or html\n"
    "  -o, --output FILE     write there instead of stdout\n"
    "\n"
    "Exit status: 0, 1 (a file cannot be read, or --fail-on slower and a row is slower), 2 (usage).\n";

typedef struct {
    json_doc *doc;
    const char *path;
} loaded;

static int load(const char *path, loaded *l)
{
    json_error je;
    char err[512];
    l->path = path;
    l->doc = json_read_file(path, NULL, &je);
    if (!l->doc) {
        json_error_format(&je, path, err, sizeof err);
        return cli_error(CLI_FAILED, "%s", err);
    }
    if (results_check(json_doc_root(l->doc), err, sizeof err))
        return cli_error(CLI_FAILED, "%s: %s", path, err);
    return 0;
}

static int render(compare_result *res, size_t n, report_format fmt, bool as_json, const json_value *page_root,
                  FILE *out)
{
    if (as_json) {
        json_writer w;
        json_writer_init(&w, true);
        json_obj_begin(&w);
        json_kv_str(&w, "schema", "ladder.compare/1");
        json_key(&w, "comparisons");
        json_arr_begin(&w);
        for (size_t i = 0; i < n; i++)
            compare_write(&w, &res[i]);
        json_arr_end(&w);
        json_obj_end(&w);
        size_t len;
        const char *text = json_writer_data(&w, &len);
        fwrite(text, 1, len, out);
        fputc('\n', out);
        json_writer_free(&w);
        return 0;
    }
    if (fmt == REPORT_HTML)
        html_page_begin(page_root, out);
    for (size_t i = 0; i < n; i++) {
        compare_render(&res[i], fmt, out);
        if (i + 1 < n)
            fputc('\n', out);
    }
    if (fmt == REPORT_HTML)
        html_page_end(out);
    return 0;
}

int cmd_compare(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {{"threshold", required_argument, 0, 't'}, {"fail-on", required_argument, 0, 'F'},
                                         {"json", no_argument, 0, 'j'},           {"format", required_argument, 0, 'f'},
                                         {"output", required_argument, 0, 'o'},   {"help", no_argument, 0, 'h'},
                                         {"no-drift", no_argument, 0, 'D'},
                                         {0, 0, 0, 0}};
    report_format fmt = REPORT_TERMINAL;
    bool as_json = false, fail_slower = false, no_drift = false;
    const char *output = NULL;
    int pct = 5, o;
    while ((o = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            if (cli_parse_int(optarg, "--threshold", 0, 1000, &pct))
                return CLI_USAGE;
            break;
        case 'F':
            if (strcmp(optarg, "slower"))
                return cli_error(CLI_USAGE, "--fail-on takes 'slower', not '%s'", optarg);
            fail_slower = true;
            break;
        case 'j': as_json = true; break;
        case 'D': no_drift = true; break;
        case 'f':
            if (cli_parse_format(optarg, &fmt))
                return CLI_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'h': return cli_usage(COMPARE_USAGE, true);
        default: return cli_usage(COMPARE_USAGE, false);
        }
    }
    int ndocs = argc - optind;
    if (ndocs < 2) {
        fputs(COMPARE_USAGE, stderr);
        return CLI_USAGE;
    }
    loaded *docs = calloc((size_t)ndocs, sizeof *docs);
    compare_result *res = calloc((size_t)ndocs, sizeof *res);
    int rc = 0;
    size_t nres = 0;
    if (!docs || !res)
        rc = cli_error(CLI_FAILED, "out of memory");
    for (int i = 0; !rc && i < ndocs; i++)
        rc = load(argv[optind + i], &docs[i]);
    for (int i = 1; !rc && i < ndocs; i++) {
        char err[512];
        compare_opts co = {pct / 100.0, !no_drift};
        if (compare_docs(json_doc_root(docs[0].doc), docs[0].path, json_doc_root(docs[i].doc), docs[i].path, &co,
                         &res[nres], err, sizeof err))
            rc = cli_error(CLI_FAILED, "%s", err);
        else
            nres++;
    }
    if (!rc) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem) {
            rc = cli_error(CLI_FAILED, "out of memory");
        } else {
            render(res, nres, fmt, as_json, json_doc_root(docs[ndocs - 1].doc), mem);
            fclose(mem);
            char err[512];
            if (output) {
                if (fs_write_atomic(output, text, len, err, sizeof err))
                    rc = cli_error(CLI_FAILED, "%s", err);
            } else if (fwrite(text, 1, len, stdout) != len) {
                rc = cli_error(CLI_FAILED, "cannot write to stdout");
            }
            free(text);
        }
    }
    for (size_t i = 0; !rc && fail_slower && i < nres; i++)
        if (res[i].counts[COMPARE_SLOWER])
            rc = CLI_FAILED;
    for (size_t i = 0; i < nres; i++)
        compare_free(&res[i]);
    for (int i = 0; docs && i < ndocs; i++)
        json_doc_free(docs[i].doc);
    free(docs);
    free(res);
    return rc;
}
