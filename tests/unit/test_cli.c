/* Unit tests of what every command shares: option values (counts, seconds, CPU lists) and the
 * usage printer. Each must refuse what is not one, with exit code 2 for the caller. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli/cli.h"

int main(void)
{
    int n = 0;
    CHECK(cli_parse_cpus("0", "--cpus", &n) == 0 && n == 1);
    CHECK(cli_parse_cpus("0-1", "--cpus", &n) == 0 && n == 2);
    CHECK(cli_parse_cpus("0-1,4-5", "--cpus", &n) == 0 && n == 4); /* was counted as 2 */
    CHECK(cli_parse_cpus("0,2,7", "--cpus", &n) == 0 && n == 3);
    CHECK(cli_parse_cpus("3-3", "--cpus", &n) == 0 && n == 1);
    static const char *const bad_cpus[] = {"", "a", "1-", "-1", "2-1", "0,,1", "0-1,", ",0", "0 1", "1-2-3",
                                           "99999999999"};
    for (size_t i = 0; i < sizeof bad_cpus / sizeof bad_cpus[0]; i++)
        CHECK(cli_parse_cpus(bad_cpus[i], "--cpus", &n) == -1);

    int v = 0;
    CHECK(cli_parse_int("12", "--runs", 1, 100, &v) == 0 && v == 12);
    CHECK(cli_parse_int("0", "--runs", 1, 100, &v) == -1);
    CHECK(cli_parse_int("101", "--runs", 1, 100, &v) == -1);
    CHECK(cli_parse_int("1x", "--runs", 1, 100, &v) == -1);
    CHECK(cli_parse_int("", "--runs", 1, 100, &v) == -1);
    CHECK(cli_parse_int("99999999999999999999", "--runs", 1, 100, &v) == -1);

    double d = 0;
    CHECK(cli_parse_seconds("10", "--duration", 1, 3600, &d) == 0 && d == 10);
    CHECK(cli_parse_seconds("2.5s", "--duration", 1, 3600, &d) == 0 && d == 2.5);
    CHECK(cli_parse_seconds("0.5", "--duration", 1, 3600, &d) == -1);
    CHECK(cli_parse_seconds("10m", "--duration", 1, 3600, &d) == -1);
    CHECK(cli_parse_seconds("s", "--duration", 1, 3600, &d) == -1);
    CHECK(cli_parse_seconds("nan", "--duration", 1, 3600, &d) == -1);

    report_format fmt = REPORT_HTML;
    CHECK(cli_parse_format("md", &fmt) == 0 && fmt == REPORT_MARKDOWN);
    CHECK(cli_parse_format("text", &fmt) == 0 && fmt == REPORT_TERMINAL);
    CHECK(cli_parse_format("pdf", &fmt) == -1 && fmt == REPORT_TERMINAL);

    FILE *devnull = freopen("/dev/null", "w", stdout);
    CHECK(devnull != NULL);
    CHECK(cli_usage("usage: x\n", true) == CLI_OK);
    CHECK(cli_usage("usage: x\n", false) == CLI_USAGE);
    return check_done("test_cli");
}
