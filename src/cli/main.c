/* ladder: runs the same work on many implementations, verifies every output, times every run the
 * same way and reports side by side. This file is the command table; each command lives in its
 * own cmd_*.c and shares cli.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char *const USAGE =
    "usage: ladder COMMAND [OPTIONS]\n"
    "\n"
    "The same problems on every rung, every output verified, every time measured the same way.\n"
    "\n"
    "commands:\n"
    "  list                     problems, rungs and whether each rung is available (and why not)\n"
    "  run [PROBLEM...]         run rungs on problems, verify, time, and write the report\n"
    "  verify [PROBLEM...]      check every rung's output at every size that has a reference\n"
    "  exec RUNG PROBLEM N      run one rung once at any N and pass its output through\n"
    "  build [RUNG...]          build the rungs now, so the first run only times (./setup.sh does)\n"
    "  report FILE.json         render a results document again (terminal, md or html)\n"
    "  compare BASE NEW...      row by row: is NEW faster, slower, or no different? (CI gate)\n"
    "  doctor                   is this machine quiet enough to time on? (read-only checks)\n"
    "  serve                    ladder's HTTP server (the benchmark endpoints)\n"
    "  gen events [OPTIONS]     write the pipeline's JSON event log (CPython-identical)\n"
    "  pipeline FILE            run ladder's C pipeline over an event log, print the summary\n"
    "  http                     the framework benchmark: every contender, every endpoint, under wrk\n"
    "  catalog load [--db URL]  load the book catalog (data/books.csv) into SQLite or PostgreSQL\n"
    "  lifecycle                the API lifecycle: where a catalog request's time goes, network included\n"
    "\n"
    "Run 'ladder COMMAND --help' for a command's options.\n"
    "environment: LADDER_ROOT (source folder), LADDER_BUILD (build folder), LADDER_PYTHON,\n"
    "             LADDER_RUNGS_PATH (extra folders of rungs, ':'-separated)\n";

typedef struct {
    const char *name;
    int (*run)(cli_ctx *c, int argc, char **argv);
    bool needs_context; /* needs the source/build folders (and fails early without them) */
} command;

#define LADDER_COMMAND_ROW(name, function, needs_context) {name, function, needs_context},
static const command COMMANDS[] = {LADDER_COMMANDS(LADDER_COMMAND_ROW)};
#undef LADDER_COMMAND_ROW

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("ladder %s\n", LADDER_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) {
        if (strcmp(name, COMMANDS[i].name))
            continue;
        cli_ctx c;
        int rc = COMMANDS[i].needs_context ? cli_ctx_init(&c) : (cli_ctx_init_bare(&c), 0);
        if (rc == 0)
            rc = COMMANDS[i].run(&c, argc - 1, argv + 1);
        cli_ctx_free(&c);
        return rc;
    }
    fprintf(stderr, "ladder: unknown command '%s'\n\n%s", name, USAGE);
    return CLI_USAGE;
}
