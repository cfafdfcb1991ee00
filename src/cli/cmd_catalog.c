/* ladder catalog load: the book catalog into SQLite or PostgreSQL. */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/commands.h"

static const char *const CATALOG_USAGE =
    "usage: ladder catalog load [--db URL] [--csv FILE]\n"
    "\n"
    "Creates the catalog's tables (publishers -> authors -> books) if missing and replaces their\n"
    "contents with the books in FILE, in one transaction: loading twice leaves the same rows.\n"
    "\n"
    "  -d, --db URL     postgres://USER@HOST:PORT/DB, sqlite:///PATH or a file path\n"
    "                   (default: BUILD/catalog.db, an SQLite file)\n"
    "  -c, --csv FILE   the books (default: data/books.csv; CC BY-SA 4.0, see data/BOOKS.md)\n";

static int catalog_with(const char *def_db, const char *def_csv, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(CATALOG_USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "load")) {
        fprintf(stderr, "ladder catalog: unknown action '%s' (known: load)\n", argv[1]);
        return 2;
    }
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"csv", required_argument, 0, 'c'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *url = def_db, *csv = def_csv;
    int o;
    optind = 1;
    while ((o = getopt_long(argc - 1, argv + 1, "d:c:h", opts, NULL)) != -1) {
        switch (o) {
        case 'd': url = optarg; break;
        case 'c': csv = optarg; break;
        case 'h': return cli_usage(CATALOG_USAGE, true);
        default: return cli_usage(CATALOG_USAGE, false);
        }
    }
    if (optind < argc - 1) {
        fprintf(stderr, "ladder catalog load: unexpected argument '%s'\n", argv[optind + 1]);
        return 2;
    }
    char err[512];
    db *d;
    if (db_open(url, &d, err, sizeof err)) {
        fprintf(stderr, "ladder catalog load: %s\n", err);
        return 1;
    }
    catalog_load_stats st;
    int rc = catalog_load(d, csv, &st, err, sizeof err);
    db_close(d);
    if (rc) {
        fprintf(stderr, "ladder catalog load: %s\n", err);
        return 1;
    }
    /* a PostgreSQL URL may hold a password: name only the backend */
    bool pg = db_url_backend(url) == DB_POSTGRES;
    printf("loaded %zu publishers, %zu authors, %zu books into %s%s%s in %.0f ms\n", st.publishers, st.authors,
           st.books, pg ? "PostgreSQL" : "SQLite ", pg ? "" : url, "", st.ms);
    return 0;
}

int cmd_catalog(cli_ctx *c, int argc, char **argv)
{
    strbuf def_db, def_csv;
    strbuf_init(&def_db);
    strbuf_init(&def_csv);
    strbuf_appendf(&def_db, "%s/catalog.db", c->build);
    strbuf_appendf(&def_csv, "%s/data/books.csv", c->root);
    int rc = strbuf_ok(&def_db) && strbuf_ok(&def_csv) ? catalog_with(def_db.s, def_csv.s, argc, argv)
                                                        : cli_error(CLI_FAILED, "out of memory");
    strbuf_free(&def_db);
    strbuf_free(&def_csv);
    return rc;
}
