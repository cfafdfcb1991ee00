/* ladder report: render a saved results document again. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/fsutil.h"
#include "report/report.h"
#include "suites/suites.h"

static const char *const REPORT_USAGE =
    "usage: ladder report FILE.json [--format terminal|md|html] [-o FILE]\n"
    "\n"
    "Renders a results document written by 'ladder run'.\n";

int cmd_report(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {{"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    report_format fmt = REPORT_TERMINAL;
    const char *output = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        if (o == 'f') {
            if (cli_parse_format(optarg, &fmt))
                return CLI_USAGE;
        } else if (o == 'o') {
            output = optarg;
        } else {
            return cli_usage(REPORT_USAGE, o == 'h');
        }
    }
    if (argc - optind != 1)
        return cli_usage(REPORT_USAGE, false);
    json_error je;
    json_doc *doc = json_read_file(argv[optind], NULL, &je);
    char err[512];
    if (!doc) {
        json_error_format(&je, argv[optind], err, sizeof err);
        return cli_error(CLI_FAILED, "%s", err);
    }
    int rc = 0;
    size_t len;
    char *text = report_render_alloc(json_doc_root(doc), &suites_report, fmt, &len, err, sizeof err);
    if (!text) {
        rc = cli_error(CLI_FAILED, "%s: %s", argv[optind], err);
    } else if (output) {
        if (fs_write_atomic(output, text, len, err, sizeof err))
            rc = cli_error(CLI_FAILED, "%s", err);
    } else if (fwrite(text, 1, len, stdout) != len) {
        rc = cli_error(CLI_FAILED, "cannot write to stdout");
    }
    free(text);
    json_doc_free(doc);
    return rc;
}

