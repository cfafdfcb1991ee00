/* The subcommands, one per src/cli/cmd_*.c. Each takes the shared context and (argc, argv)
 * with argv[0] the subcommand's name, prints its own errors, and returns the exit code
 * (CLI_OK, CLI_FAILED, CLI_USAGE). LADDER_COMMANDS is the one list: it declares them here and
 * makes main.c's command table, so a new command is a cmd_NAME.c and one line below.
 * X(name, function, needs the source/build folders) */
#ifndef LADDER_COMMANDS_H
#define LADDER_COMMANDS_H

#include "cli/cli.h"

#define LADDER_COMMANDS(X)                                                                          \
    X("list", cmd_list, true) X("run", cmd_run, true) X("verify", cmd_verify, true)                 \
    X("exec", cmd_exec, true) X("build", cmd_build, true) X("report", cmd_report, false) X("compare", cmd_compare, false)       \
    X("doctor", cmd_doctor, false) X("serve", cmd_serve, false) X("gen", cmd_gen, false)            \
    X("pipeline", cmd_pipeline, false) X("http", cmd_http, true) X("catalog", cmd_catalog, true)    \
    X("lifecycle", cmd_lifecycle, true)

#define LADDER_DECLARE_COMMAND(name, function, needs_context) int function(cli_ctx *c, int argc, char **argv);
LADDER_COMMANDS(LADDER_DECLARE_COMMAND)
#undef LADDER_DECLARE_COMMAND

#endif
