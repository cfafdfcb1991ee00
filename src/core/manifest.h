/* Problems and rungs as data: problems/<id>/problem.json and rungs/<name>/rung.json, read with
 * ladder's JSON reader. A registry owns everything it loads; free it with manifest_free(). */
#ifndef LADDER_MANIFEST_H
#define LADDER_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/verify.h"

enum { SIZE_QUICK, SIZE_BLOG, SIZE_BG, SIZE_COUNT };
extern const char *const manifest_size_names[SIZE_COUNT];

typedef struct {
    char *id, *title, *dir, *unit, *suite;
    verify_kind verify;
    long sizes[SIZE_COUNT];
    long min_n, max_n;
    char *prepare;        /* shell command that writes the input for N to $LADDER_INPUT, or NULL */
    char *reference_rung; /* rung whose output is the reference where no ref/ file exists, or NULL */
} problem;

typedef struct {
    char *name, *title, *dir, *costs, *kind;
    char *notes;         /* e.g. why a problem is not implemented; may be NULL */
    char *quick_skip;    /* why the quick lab leaves it out unless named (e.g. a JVM's minute of
                            warm-up a process); NULL: it runs at every size */
    char **problems;
    size_t nproblems;
    char *check, *version, *build, *run;
    char *product;       /* the build's product: whitespace-separated paths or globs, with
                            $LADDER_BUILD_DIR, $LADDER_RUNG_DIR and $LADDER_ROOT; may be NULL */
    char **build_inputs; /* relative to dir */
    size_t nbuild_inputs;
    char **env;          /* "KEY=VALUE" */
    size_t nenv;
    bool jit;            /* first call compiles: report it separately */
    bool per_interpreter; /* a template: manifest_expand makes one rung per interpreter found */
    char *interpreters;  /* the template's discovery command: lines "ID<TAB>PATH<TAB>TITLE" */
    char *instance_prefix; /* an instance's name is this prefix and the ID ("cpython-" -> cpython-3.12) */
    char *interpreter;   /* an instance's interpreter (also LADDER_INTERPRETER in its env); else NULL */
    bool contender;      /* an HTTP contender (contenders/), not a rung */
} rung;

typedef struct {
    char *root;
    problem *problems;
    size_t nproblems;
    rung *rungs;
    size_t nrungs;
    rung *contenders;    /* HTTP contenders: contenders/<name>/contender.json, "endpoints" for "problems" */
    size_t ncontenders;
} manifest_registry;

/* Loads ROOT/problems/, ROOT/rungs/ and ROOT/contenders/ plus every folder of rungs in extra_rung_dirs (a
 * NULL-terminated list; may be NULL). Folders whose names start with '_' or '.' are skipped.
 * Returns 0, or -1 with "PATH: reason" in err. */
int manifest_load(const char *root, const char *const *extra_rung_dirs, manifest_registry *reg,
                  char *err, size_t cap);
void manifest_free(manifest_registry *reg);
/* Expands every per-interpreter template among reg's rungs: runs its `interpreters` command in its
 * folder (environment: env_add, LADDER_ROOT, LADDER_RUNG_DIR) and, in the template's place, adds
 * one rung per line it prints, "ID<TAB>PATH<TAB>TITLE": named instance_prefix + ID, titled TITLE,
 * with LADDER_INTERPRETER=PATH in its env, otherwise the template's copy. A template whose command
 * finds nothing (or fails) stays, as a rung: its `check` must then say why. Lines with a bad ID
 * (not [A-Za-z0-9._-]) or a name already taken are dropped. 0, or -1 with a reason (memory). */
int manifest_expand(manifest_registry *reg, const char *const *env_add, char *err, size_t cap);
const problem *manifest_problem(const manifest_registry *reg, const char *id);
const rung *manifest_rung(const manifest_registry *reg, const char *name);
const rung *manifest_contender(const manifest_registry *reg, const char *name);
bool rung_implements(const rung *r, const char *problem_id);
/* Path of the reference output for n, or NULL (caller frees). */
char *manifest_reference_path(const problem *p, long n);
/* Sorted N values that have a reference file; *ns is malloc'd (caller frees). */
int manifest_reference_sizes(const problem *p, long **ns, size_t *n);
/* Parses "quick" | "blog" | "bg" | a positive integer. Returns the size index or -1 for an
 * explicit N (stored in *n), or -2 when s is not a size. */
int manifest_parse_size(const char *s, long *n);

#endif
