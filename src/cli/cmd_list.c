/* ladder list: problems with their sizes and references, rungs with availability. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/bench.h"

static const char *const LIST_USAGE =
    "usage: ladder list [--json] [--rungs-dir DIR]...\n"
    "\n"
    "Lists problems (with sizes and reference outputs) and rungs (with availability, the reason\n"
    "when unavailable, and the tool version).\n";

static void problem_json(json_writer *w, const problem *p, const long *ns, size_t nn)
{
    json_obj_begin(w);
    json_kv_str(w, "id", p->id);
    json_kv_str(w, "title", p->title);
    json_key(w, "sizes");
    json_obj_begin(w);
    for (int s = 0; s < SIZE_COUNT; s++)
        json_kv_int(w, manifest_size_names[s], p->sizes[s]);
    json_obj_end(w);
    json_key(w, "references");
    json_arr_begin(w);
    for (size_t k = 0; k < nn; k++)
        json_int(w, ns[k]);
    json_arr_end(w);
    json_obj_end(w);
}

static void problem_text(const problem *p, const long *ns, size_t nn)
{
    printf("  %-16s %-16s quick %-9ld blog %-9ld bg %-10ld references:", p->id, p->title, p->sizes[0], p->sizes[1],
           p->sizes[2]);
    for (size_t k = 0; k < nn; k++)
        printf(" %ld", ns[k]);
    printf("\n");
}

static void rung_json(json_writer *w, const rung_state *st)
{
    const rung *r = st->r;
    json_obj_begin(w);
    json_kv_str(w, "name", r->name);
    json_kv_str(w, "title", r->title);
    json_kv_bool(w, "available", st->available);
    json_kv_str(w, "reason", st->available ? NULL : st->reason);
    json_kv_str(w, "version", st->version);
    json_kv_str(w, "costs", r->costs);
    json_kv_str(w, "notes", r->notes);
    json_key(w, "problems");
    json_arr_begin(w);
    for (size_t k = 0; k < r->nproblems; k++)
        json_str(w, r->problems[k]);
    json_arr_end(w);
    json_obj_end(w);
}

static void rung_text(const rung_state *st)
{
    const rung *r = st->r;
    printf("  %-14s %-34s %s\n", r->name, r->title,
           st->available ? (*st->version ? st->version : "available") : "unavailable");
    if (!st->available)
        printf("  %-14s   why: %s\n", "", st->reason);
    printf("  %-14s   problems:", "");
    for (size_t k = 0; k < r->nproblems; k++)
        printf(" %s", r->problems[k]);
    printf("\n  %-14s   costs: %s\n", "", r->costs);
    if (r->notes)
        printf("  %-14s   notes: %s\n", "", r->notes);
}

static int list_problems(const manifest_registry *reg, json_writer *w, bool as_json)
{
    json_key(w, "problems");
    json_arr_begin(w);
    if (!as_json)
        printf("problems:\n");
    for (size_t i = 0; i < reg->nproblems; i++) {
        long *ns;
        size_t nn;
        if (manifest_reference_sizes(&reg->problems[i], &ns, &nn))
            return cli_error(CLI_FAILED, "out of memory");
        if (as_json)
            problem_json(w, &reg->problems[i], ns, nn);
        else
            problem_text(&reg->problems[i], ns, nn);
        free(ns);
    }
    json_arr_end(w);
    return 0;
}

static void list_rungs(const manifest_registry *reg, const bench_opts *bo, json_writer *w, bool as_json)
{
    json_key(w, "rungs");
    json_arr_begin(w);
    if (!as_json)
        printf("\nrungs:\n");
    for (size_t i = 0; i < reg->nrungs; i++) {
        rung_state st;
        rung_state_init(&st, &reg->rungs[i], bo);
        if (!as_json && isatty(2))
            fprintf(stderr, "checking %s...\r", reg->rungs[i].name);
        st.build_tried = true; /* listing never builds */
        bench_prepare(&st, bo);
        if (as_json)
            rung_json(w, &st);
        else
            rung_text(&st);
    }
    json_arr_end(w);
}

int cmd_list(cli_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, 'j'}, {"rungs-dir", required_argument, 0, 'R'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    bool as_json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'j') {
            as_json = true;
        } else if (o == 'R') {
            if (cli_add_rungs_dir(c, optarg))
                return CLI_USAGE;
        } else {
            return cli_usage(LIST_USAGE, o == 'h');
        }
    }
    if (optind < argc)
        return cli_error(CLI_USAGE, "list takes no arguments (got '%s')", argv[optind]);
    manifest_registry reg;
    if (cli_load(c, &reg))
        return CLI_FAILED;
    bench_opts bo = {.root = c->root, .build_root = c->build, .ladder_bin = c->exe, .python = c->python};
    json_writer w;
    json_writer_init(&w, true);
    json_obj_begin(&w);
    int rc = list_problems(&reg, &w, as_json);
    if (!rc)
        list_rungs(&reg, &bo, &w, as_json);
    json_obj_end(&w);
    if (!rc && as_json) {
        size_t len;
        const char *text = json_writer_data(&w, &len);
        if (!json_writer_ok(&w))
            rc = cli_error(CLI_FAILED, "out of memory");
        else
            printf("%.*s\n", (int)len, text);
    }
    json_writer_free(&w);
    manifest_free(&reg);
    return rc;
}
