/* Subcommands that live outside src/ladder.c. Each takes (argc, argv) with argv[0] the
 * subcommand's name, prints its own errors, and returns the process exit code
 * (0 ok, 1 failure, 2 usage). */
#ifndef LADDER_COMMANDS_H
#define LADDER_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_pipeline(int argc, char **argv);

/* Needs the source folder, build folder and this executable's path that ladder.c found. */
int cmd_catalog_with(const char *root, const char *build, int argc, char **argv);
int cmd_lifecycle_with(const char *root, const char *build, const char *exe, int argc, char **argv);
int cmd_http_with(const char *root, const char *build, const char *exe, const char *const *extra_dirs, int argc,
                  char **argv);

#endif
