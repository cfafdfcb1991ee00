#include "cli/commands.h"
int cmd_compare(cli_ctx *c, int argc, char **argv){(void)c;(void)argc;(void)argv;return 2;}
