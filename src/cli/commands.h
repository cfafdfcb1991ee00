/* The subcommands, one per src/cli/cmd_*.c. Each takes the shared context and (argc, argv)
 * with argv[0] the subcommand's name, prints its own errors, and returns the exit code
 * (CLI_OK, CLI_FAILED, CLI_USAGE). */
#ifndef LADDER_COMMANDS_H
#define LADDER_COMMANDS_H

#include "cli/cli.h"

int cmd_list(cli_ctx *c, int argc, char **argv);
int cmd_run(cli_ctx *c, int argc, char **argv);
int cmd_verify(cli_ctx *c, int argc, char **argv);
int cmd_exec(cli_ctx *c, int argc, char **argv);
int cmd_report(cli_ctx *c, int argc, char **argv);
int cmd_serve(cli_ctx *c, int argc, char **argv);
int cmd_gen(cli_ctx *c, int argc, char **argv);
int cmd_pipeline(cli_ctx *c, int argc, char **argv);
int cmd_http(cli_ctx *c, int argc, char **argv);
int cmd_catalog(cli_ctx *c, int argc, char **argv);
int cmd_lifecycle(cli_ctx *c, int argc, char **argv);
int cmd_doctor(cli_ctx *c, int argc, char **argv);
int cmd_compare(cli_ctx *c, int argc, char **argv);

#endif
