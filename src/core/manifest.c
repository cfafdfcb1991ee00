#include "core/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/strbuf.h"
#include "json/json.h"

const char *const manifest_size_names[SIZE_COUNT] = {"quick", "blog", "bg"};

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_list(char **v, size_t n);

/* Sorted names of the sub-folders of dir that hold FILE; NULL list when dir is missing. */
static int list_dirs(const char *dir, const char *file, char ***out, size_t *n, char *err, size_t cap)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, cap, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    size_t capn = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_')
            continue;
        char *sub = path_join(dir, e->d_name);
        char *mf = sub ? path_join(sub, file) : NULL;
        struct stat st;
        bool ok = mf && stat(mf, &st) == 0 && S_ISREG(st.st_mode);
        free(mf);
        free(sub);
        if (!ok)
            continue;
        if (*n == capn) {
            capn = capn ? capn * 2 : 16;
            char **grown = realloc(*out, capn * sizeof **out);
            if (!grown)
                break;
            *out = grown;
        }
        if (!((*out)[*n] = strdup(e->d_name)))
            break;
        (*n)++;
    }
    bool short_of_memory = e != NULL;
    closedir(d);
    if (short_of_memory) {
        free_list(*out, *n);
        *out = NULL;
        *n = 0;
        snprintf(err, cap, "%s: out of memory listing the folder", dir);
        return -1;
    }
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_str);
    return 0;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

typedef struct {
    const char *path;
    char *err;
    size_t cap;
} ctx;

static int fail(ctx *c, const char *fmt, const char *what)
{
    char msg[160];
    snprintf(msg, sizeof msg, fmt, what);
    snprintf(c->err, c->cap, "%s: %s", c->path, msg);
    return -1;
}

static int get_str(ctx *c, const json_value *obj, const char *key, bool required, char **out)
{
    const json_value *v = json_obj_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            return fail(c, "missing field \"%s\"", key);
        return 0;
    }
    if (json_get_type(v) != JSON_STRING)
        return fail(c, "field \"%s\" must be a string", key);
    size_t len;
    const char *s = json_get_str(v, &len);
    if (strlen(s) != len || (required && len == 0))
        return fail(c, "field \"%s\" must be a non-empty string without NUL", key);
    *out = strdup(s);
    return *out ? 0 : fail(c, "%s", "out of memory");
}

static int get_str_list(ctx *c, const json_value *obj, const char *key, bool required, char ***out, size_t *n)
{
    const json_value *v = json_obj_get(obj, key);
    *out = NULL;
    *n = 0;
    if (!v)
        return required ? fail(c, "missing field \"%s\"", key) : 0;
    if (json_get_type(v) != JSON_ARRAY)
        return fail(c, "field \"%s\" must be an array of strings", key);
    size_t len = json_arr_len(v);
    *out = calloc(len + 1, sizeof **out);
    if (!*out)
        return fail(c, "%s", "out of memory");
    for (size_t i = 0; i < len; i++) {
        const char *s = json_get_str(json_arr_get(v, i), NULL);
        if (!s || !*s)
            return fail(c, "field \"%s\" must be an array of non-empty strings", key);
        if (!((*out)[i] = strdup(s)))
            return fail(c, "%s", "out of memory");
        (*n)++;
    }
    return 0;
}

static int get_long(ctx *c, const json_value *obj, const char *key, long *out)
{
    const json_value *v = json_obj_get(obj, key);
    int64_t i;
    if (!v)
        return fail(c, "missing field \"%s\"", key);
    if (!json_get_int(v, &i) || i <= 0)
        return fail(c, "field \"%s\" must be a positive integer", key);
    *out = (long)i;
    return 0;
}

static json_doc *read_manifest(ctx *c, const json_value **root)
{
    json_error je;
    json_doc *doc = json_read_file(c->path, NULL, &je);
    if (!doc) {
        json_error_format(&je, c->path, c->err, c->cap);
        return NULL;
    }
    *root = json_doc_root(doc);
    if (json_get_type(*root) != JSON_OBJECT) {
        fail(c, "%s", "the manifest must be a JSON object");
        json_doc_free(doc);
        return NULL;
    }
    return doc;
}

static int load_problem(const char *dir, const char *id, problem *p, char *err, size_t cap)
{
    memset(p, 0, sizeof *p);
    char *pdir = path_join(dir, id);
    char *path = pdir ? path_join(pdir, "problem.json") : NULL;
    ctx c = {path, err, cap};
    const json_value *root;
    json_doc *doc = path ? read_manifest(&c, &root) : NULL;
    int rc = -1;
    if (!doc)
        goto out;
    char *verify = NULL;
    if (get_str(&c, root, "id", true, &p->id) || get_str(&c, root, "title", true, &p->title) ||
        get_str(&c, root, "unit", false, &p->unit) || get_str(&c, root, "suite", false, &p->suite) ||
        get_str(&c, root, "verify", true, &verify) || get_str(&c, root, "prepare", false, &p->prepare) ||
        get_str(&c, root, "reference_rung", false, &p->reference_rung))
        goto out_doc;
    if (strcmp(p->id, id)) {
        fail(&c, "id \"%s\" does not match its folder name", p->id);
        free(verify);
        goto out_doc;
    }
    if (!strcmp(verify, "text"))
        p->verify = VERIFY_TEXT;
    else if (!strcmp(verify, "md5"))
        p->verify = VERIFY_MD5;
    else {
        fail(&c, "verify must be \"text\" or \"md5\", not \"%s\"", verify);
        free(verify);
        goto out_doc;
    }
    free(verify);
    const json_value *sizes = json_obj_get(root, "sizes");
    if (json_get_type(sizes) != JSON_OBJECT) {
        fail(&c, "%s", "missing object \"sizes\"");
        goto out_doc;
    }
    for (int i = 0; i < SIZE_COUNT; i++)
        if (get_long(&c, sizes, manifest_size_names[i], &p->sizes[i]))
            goto out_doc;
    const json_value *range = json_obj_get(root, "n_range");
    int64_t lo = 1, hi = 1000000000;
    if (range && (json_arr_len(range) != 2 || !json_get_int(json_arr_get(range, 0), &lo) ||
                  !json_get_int(json_arr_get(range, 1), &hi) || lo < 1 || hi < lo)) {
        fail(&c, "%s", "n_range must be [min, max] with 1 <= min <= max");
        goto out_doc;
    }
    p->min_n = (long)lo;
    p->max_n = (long)hi;
    if (!p->suite)
        p->suite = strdup("compute");
    p->dir = pdir;
    pdir = NULL;
    rc = 0;
out_doc:
    json_doc_free(doc);
out:
    free(path);
    free(pdir);
    return rc;
}

/* Rungs and HTTP contenders share one manifest shape; a contender names "endpoints" where a rung
 * names "problems". */
static int load_rung(const char *dir, const char *name, const char *file, const char *list_key, rung *r,
                     char *err, size_t cap)
{
    memset(r, 0, sizeof *r);
    char *rdir = path_join(dir, name);
    char *path = rdir ? path_join(rdir, file) : NULL;
    ctx c = {path, err, cap};
    const json_value *root;
    json_doc *doc = path ? read_manifest(&c, &root) : NULL;
    int rc = -1;
    if (!doc)
        goto out;
    if (get_str(&c, root, "name", true, &r->name) || get_str(&c, root, "title", true, &r->title) ||
        get_str(&c, root, "costs", true, &r->costs) || get_str(&c, root, "kind", false, &r->kind) || get_str(&c, root, "notes", false, &r->notes) ||
        get_str(&c, root, "quick_skip", false, &r->quick_skip) ||
        get_str(&c, root, "check", false, &r->check) || get_str(&c, root, "version", false, &r->version) ||
        get_str(&c, root, "build", false, &r->build) || get_str(&c, root, "run", true, &r->run) ||
        get_str(&c, root, "product", false, &r->product) ||
        get_str_list(&c, root, list_key, true, &r->problems, &r->nproblems) ||
        get_str_list(&c, root, "build_inputs", false, &r->build_inputs, &r->nbuild_inputs))
        goto out_doc;
    if (strcmp(r->name, name)) {
        fail(&c, "name \"%s\" does not match its folder name", r->name);
        goto out_doc;
    }
    const json_value *env = json_obj_get(root, "env");
    if (env) {
        if (json_get_type(env) != JSON_OBJECT) {
            fail(&c, "%s", "env must be an object of strings");
            goto out_doc;
        }
        size_t n = json_obj_len(env);
        r->env = calloc(n + 1, sizeof *r->env);
        for (size_t i = 0; r->env && i < n; i++) {
            const char *k = json_obj_key_at(env, i, NULL);
            const char *v = json_get_str(json_obj_val_at(env, i), NULL);
            if (!v || !*k || strchr(k, '=')) {
                fail(&c, "env entry \"%s\" must be a string", k);
                goto out_doc;
            }
            size_t len = strlen(k) + strlen(v) + 2;
            r->env[i] = malloc(len);
            if (!r->env[i]) {
                fail(&c, "%s", "out of memory");
                goto out_doc;
            }
            snprintf(r->env[i], len, "%s=%s", k, v);
            r->nenv++;
        }
        if (!r->env) {
            fail(&c, "%s", "out of memory");
            goto out_doc;
        }
    }
    const json_value *jit = json_obj_get(root, "jit");
    if (jit && !json_is_bool(jit)) {
        fail(&c, "%s", "jit must be true or false");
        goto out_doc;
    }
    r->jit = jit && json_get_bool(jit);
    const json_value *per = json_obj_get(root, "per_interpreter");
    if (per && !json_is_bool(per)) {
        fail(&c, "%s", "per_interpreter must be true or false");
        goto out_doc;
    }
    r->per_interpreter = per && json_get_bool(per);
    if (get_str(&c, root, "interpreters", r->per_interpreter, &r->interpreters) ||
        get_str(&c, root, "instance_prefix", r->per_interpreter, &r->instance_prefix))
        goto out_doc;
    r->contender = !strcmp(list_key, "endpoints");
    if (!r->kind)
        r->kind = strdup("compiled");
    r->dir = rdir;
    rdir = NULL;
    rc = 0;
out_doc:
    json_doc_free(doc);
out:
    free(path);
    free(rdir);
    return rc;
}

static void problem_free(problem *p)
{
    free(p->id);
    free(p->title);
    free(p->dir);
    free(p->unit);
    free(p->suite);
    free(p->prepare);
    free(p->reference_rung);
}

static void rung_free(rung *r)
{
    free(r->name);
    free(r->title);
    free(r->dir);
    free(r->costs);
    free(r->kind);
    free(r->notes);
    free(r->quick_skip);
    free_list(r->problems, r->nproblems);
    free(r->check);
    free(r->version);
    free(r->build);
    free(r->run);
    free(r->product);
    free(r->interpreters);
    free(r->instance_prefix);
    free(r->interpreter);
    free_list(r->build_inputs, r->nbuild_inputs);
    free_list(r->env, r->nenv);
}

void manifest_free(manifest_registry *reg)
{
    for (size_t i = 0; i < reg->nproblems; i++)
        problem_free(&reg->problems[i]);
    for (size_t i = 0; i < reg->nrungs; i++)
        rung_free(&reg->rungs[i]);
    for (size_t i = 0; i < reg->ncontenders; i++)
        rung_free(&reg->contenders[i]);
    free(reg->problems);
    free(reg->rungs);
    free(reg->contenders);
    free(reg->root);
    memset(reg, 0, sizeof *reg);
}

static const rung *find(const rung *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].name, name))
            return &list[i];
    return NULL;
}

static int add_manifests(rung **list, size_t *count, const char *dir, const char *file, const char *list_key,
                         char *err, size_t cap)
{
    char **names;
    size_t n;
    if (list_dirs(dir, file, &names, &n, err, cap))
        return -1;
    rung *grown = n ? realloc(*list, (*count + n) * sizeof *grown) : *list;
    if (n && !grown) {
        free_list(names, n);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    *list = grown;
    for (size_t i = 0; i < n; i++) {
        if (find(*list, *count, names[i])) {
            snprintf(err, cap, "%s/%s: \"%s\" is already loaded from another folder", dir, names[i], names[i]);
            free_list(names, n);
            return -1;
        }
        if (load_rung(dir, names[i], file, list_key, &(*list)[*count], err, cap)) {
            rung_free(&(*list)[*count]);
            free_list(names, n);
            return -1;
        }
        (*count)++;
    }
    free_list(names, n);
    return 0;
}

static int add_rungs(manifest_registry *reg, const char *dir, char *err, size_t cap)
{
    return add_manifests(&reg->rungs, &reg->nrungs, dir, "rung.json", "problems", err, cap);
}

int manifest_load(const char *root, const char *const *extra_rung_dirs, manifest_registry *reg,
                  char *err, size_t cap)
{
    memset(reg, 0, sizeof *reg);
    reg->root = strdup(root);
    char *pdir = path_join(root, "problems");
    char *rdir = path_join(root, "rungs");
    char **names = NULL;
    size_t n = 0;
    int rc = -1;
    if (!reg->root || !pdir || !rdir || list_dirs(pdir, "problem.json", &names, &n, err, cap))
        goto out;
    if (n == 0) {
        snprintf(err, cap, "%s: no problems found (is %s ladder's source folder?)", pdir, root);
        goto out;
    }
    reg->problems = calloc(n, sizeof *reg->problems);
    for (size_t i = 0; reg->problems && i < n; i++) {
        if (load_problem(pdir, names[i], &reg->problems[i], err, cap)) {
            problem_free(&reg->problems[i]);
            goto out;
        }
        reg->nproblems++;
    }
    if (add_rungs(reg, rdir, err, cap))
        goto out;
    for (const char *const *d = extra_rung_dirs; d && *d; d++)
        if (add_rungs(reg, *d, err, cap))
            goto out;
    char *cdir = path_join(root, "contenders");
    int crc = cdir ? add_manifests(&reg->contenders, &reg->ncontenders, cdir, "contender.json", "endpoints", err, cap)
                   : -1;
    free(cdir);
    if (crc)
        goto out;
    rc = 0;
out:
    free_list(names, n);
    free(pdir);
    free(rdir);
    if (rc)
        manifest_free(reg);
    return rc;
}

const problem *manifest_problem(const manifest_registry *reg, const char *id)
{
    for (size_t i = 0; i < reg->nproblems; i++)
        if (!strcmp(reg->problems[i].id, id))
            return &reg->problems[i];
    return NULL;
}

const rung *manifest_rung(const manifest_registry *reg, const char *name)
{
    return find(reg->rungs, reg->nrungs, name);
}

const rung *manifest_contender(const manifest_registry *reg, const char *name)
{
    return find(reg->contenders, reg->ncontenders, name);
}

bool rung_implements(const rung *r, const char *problem_id)
{
    for (size_t i = 0; i < r->nproblems; i++)
        if (!strcmp(r->problems[i], problem_id))
            return true;
    return false;
}

char *manifest_reference_path(const problem *p, long n)
{
    char rel[64];
    snprintf(rel, sizeof rel, "ref/%ld.%s", n, p->verify == VERIFY_MD5 ? "md5" : "txt");
    char *path = path_join(p->dir, rel);
    if (path && access(path, R_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

int manifest_parse_size(const char *s, long *n)
{
    for (int i = 0; i < SIZE_COUNT; i++)
        if (!strcmp(s, manifest_size_names[i]))
            return i;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v <= 0)
        return -2;
    *n = v;
    return -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int manifest_reference_sizes(const problem *p, long **ns, size_t *n)
{
    *ns = NULL;
    *n = 0;
    char *dir = path_join(p->dir, "ref");
    DIR *d = dir ? opendir(dir) : NULL;
    free(dir);
    if (!d)
        return 0;
    const char *ext = p->verify == VERIFY_MD5 ? ".md5" : ".txt";
    size_t capn = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        errno = 0;
        long v = strtol(e->d_name, &end, 10);
        if (errno || v <= 0 || end == e->d_name || strcmp(end, ext))
            continue;
        if (*n == capn) {
            capn = capn ? capn * 2 : 8;
            long *g = realloc(*ns, capn * sizeof *g);
            if (!g) {
                closedir(d);
                return -1;
            }
            *ns = g;
        }
        (*ns)[(*n)++] = v;
    }
    closedir(d);
    if (*n)
        qsort(*ns, *n, sizeof **ns, cmp_long);
    return 0;
}

static char *dup_or_null(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *ok &= d != NULL;
    return d;
}

static char **dup_list(char *const *v, size_t n, size_t extra, bool *ok)
{
    char **d = calloc(n + extra + 1, sizeof *d);
    if (!d) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = dup_or_null(v[i], ok);
    return d;
}

/* An instance of template t for one discovered interpreter. */
static int make_instance(const rung *t, const char *id, const char *path, const char *title, rung *r)
{
    memset(r, 0, sizeof *r);
    bool ok = true;
    size_t nl = strlen(t->instance_prefix) + strlen(id) + 1;
    r->name = malloc(nl);
    if (r->name)
        snprintf(r->name, nl, "%s%s", t->instance_prefix, id);
    ok &= r->name != NULL;
    r->title = dup_or_null(title, &ok);
    r->dir = dup_or_null(t->dir, &ok);
    r->costs = dup_or_null(t->costs, &ok);
    r->kind = dup_or_null(t->kind, &ok);
    r->notes = dup_or_null(t->notes, &ok);
    r->quick_skip = dup_or_null(t->quick_skip, &ok);
    r->problems = dup_list(t->problems, t->nproblems, 0, &ok);
    r->nproblems = t->nproblems;
    r->check = dup_or_null(t->check, &ok);
    r->version = dup_or_null(t->version, &ok);
    r->build = dup_or_null(t->build, &ok);
    r->run = dup_or_null(t->run, &ok);
    r->product = dup_or_null(t->product, &ok);
    r->build_inputs = dup_list(t->build_inputs, t->nbuild_inputs, 0, &ok);
    r->nbuild_inputs = t->nbuild_inputs;
    r->env = dup_list(t->env, t->nenv, 1, &ok);
    r->nenv = t->nenv;
    r->interpreter = dup_or_null(path, &ok);
    if (ok && r->env) {
        size_t el = strlen(path) + sizeof "LADDER_INTERPRETER=";
        char *e = malloc(el);
        if (e) {
            snprintf(e, el, "LADDER_INTERPRETER=%s", path);
            r->env[r->nenv++] = e;
        }
        ok &= e != NULL;
    }
    r->jit = t->jit;
    if (!ok) {
        rung_free(r);
        return -1;
    }
    return 0;
}

static bool valid_id(const char *id)
{
    if (!*id)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

/* Runs template t's discovery and appends its instances to out (n of them). */
static int discover(const manifest_registry *reg, const rung *t, const char *const *env_add, rung **out,
                    size_t *n, size_t *cap_n, char *err, size_t cap)
{
    strlist env;
    strlist_init(&env);
    for (const char *const *e = env_add; e && *e; e++)
        strlist_add(&env, *e);
    strlist_addf(&env, "LADDER_ROOT=%s", reg->root);
    strlist_addf(&env, "LADDER_RUNG_DIR=%s", t->dir);
    if (!strlist_ok(&env)) {
        strlist_free(&env);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    const char *argv[] = {"/bin/sh", "-c", t->interpreters, NULL};
    proc_spec spec = {.argv = argv, .env_add = strlist_argv(&env), .cwd = t->dir, .timeout_s = 60,
                      .stdout_max = 1 << 16};
    proc_result res;
    char perr[200];
    int rc = 0;
    if (proc_run(&spec, &res, perr, sizeof perr) == 0) {
        if (res.exited && res.exit_code == 0) {
            for (char *line = res.out; rc == 0 && line && *line;) {
                char *next = strchr(line, '\n');
                if (next)
                    *next++ = '\0';
                char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
                if (tab2) {
                    *tab1 = *tab2 = '\0';
                    const char *id = line, *path = tab1 + 1, *title = tab2 + 1;
                    size_t pl = strlen(t->instance_prefix);
                    bool taken = false;
                    for (size_t i = 0; i < reg->nrungs && !taken; i++)
                        taken = !strncmp(reg->rungs[i].name, t->instance_prefix, pl) &&
                                !strcmp(reg->rungs[i].name + pl, id);
                    for (size_t i = 0; i < *n && !taken; i++)
                        taken = !strcmp((*out)[i].name + pl, id);
                    if (valid_id(id) && *path && *title && !taken) {
                        if (*n == *cap_n) {
                            size_t c2 = *cap_n ? *cap_n * 2 : 8;
                            rung *g = realloc(*out, c2 * sizeof *g);
                            if (!g) {
                                rc = -1;
                                break;
                            }
                            *out = g;
                            *cap_n = c2;
                        }
                        if (make_instance(t, id, path, title, &(*out)[*n]))
                            rc = -1;
                        else
                            (*n)++;
                    }
                }
                line = next;
            }
        }
        proc_result_free(&res);
    }
    strlist_free(&env);
    if (rc)
        snprintf(err, cap, "out of memory");
    return rc;
}

int manifest_expand(manifest_registry *reg, const char *const *env_add, char *err, size_t cap)
{
    for (size_t i = 0; i < reg->nrungs; i++) {
        if (!reg->rungs[i].per_interpreter)
            continue;
        rung *found = NULL;
        size_t n = 0, capn = 0;
        if (discover(reg, &reg->rungs[i], env_add, &found, &n, &capn, err, cap)) {
            for (size_t k = 0; k < n; k++)
                rung_free(&found[k]);
            free(found);
            return -1;
        }
        if (n == 0) {
            free(found);
            continue; /* the template stays: its check says why */
        }
        rung *grown = realloc(reg->rungs, (reg->nrungs + n - 1) * sizeof *grown);
        if (!grown && reg->nrungs + n - 1 > 0) {
            for (size_t k = 0; k < n; k++)
                rung_free(&found[k]);
            free(found);
            snprintf(err, cap, "out of memory");
            return -1;
        }
        reg->rungs = grown;
        rung_free(&reg->rungs[i]);
        /* the instances take the template's place, in the order discovery printed them */
        memmove(&reg->rungs[i + n], &reg->rungs[i + 1], (reg->nrungs - i - 1) * sizeof *reg->rungs);
        memcpy(&reg->rungs[i], found, n * sizeof *found);
        reg->nrungs += n - 1;
        i += n - 1;
        free(found);
    }
    return 0;
}
