/* What machine a run happened on, written into the results document. */
#ifndef LADDER_MACHINE_H
#define LADDER_MACHINE_H

#include "json/json.h"

/* Writes the "machine" object's members (cpu_model, cores, kernel, os, memory_kb, compilers)
 * into an object the caller has opened. */
void machine_write(json_writer *w);
/* First line printed by a shell command (stdout or stderr), "" when it fails; out is cap bytes. */
void machine_command_line(const char *cmd, char *out, size_t cap);

#endif
