/* ladder serve: ladder's HTTP server with one of its apps. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/commands.h"
#include "http/bench_app.h"
#include "http/http_server.h"

static const char *const SERVE_USAGE =
    "usage: ladder serve [--app bench|catalog] [--db URL] [--host ADDR] [--port N] [--workers N]\n"
    "\n"
    "Serves an app on ladder's HTTP server until SIGTERM or SIGINT, then drains and exits 0.\n"
    "Prints 'listening on HOST:PORT' on stderr once ready.\n"
    "\n"
    "  -a, --app NAME      bench (the four benchmark endpoints; default) or catalog (the book\n"
    "                      catalog API of 'ladder lifecycle', one database connection per worker)\n"
    "  -d, --db URL        catalog: postgres://USER@HOST:PORT/DB, sqlite:///PATH or a file path\n"
    "                      (loaded with 'ladder catalog load')\n"
    "  -H, --host ADDR     IPv4 address to listen on (default 127.0.0.1)\n"
    "  -p, --port N        port (default 8080; 0 picks a free one)\n"
    "  -w, --workers N     worker processes, each with its own event loop (default 1)\n"
    "      --max-body N    largest request body in bytes (default 1048576)\n"
    "      --max-buffered N  per worker, bytes of request buffers beyond 4 KiB a connection;\n"
    "                      requests that need more get 503 (default 67108864)\n"
    "      --idle-timeout MS  close idle keep-alive connections after MS (default 30000)\n"
    "      --request-timeout MS  answer 408 when a request is not whole after MS (default 10000)\n";

static void announce(void *ctx, int port)
{
    fprintf(stderr, "ladder serve: listening on %s:%d\n", (const char *)ctx, port);
}

static int serve_catalog(const char *host, int port, int workers, size_t max_body, size_t max_buffered, int idle,
                         int request, const char *db_url)
{
    catalog_app *app = catalog_app_new(db_url);
    if (!app) {
        fprintf(stderr, "ladder serve: out of memory\n");
        return 1;
    }
    http_server_config cfg = {.host = host, .port = port, .workers = workers, .max_body = max_body ? max_body : 1,
                              .max_buffered = max_buffered, .idle_timeout_ms = idle, .request_timeout_ms = request,
                              .handler = catalog_app_handle, .app = app, .worker_init = catalog_app_worker_init,
                              .worker_done = catalog_app_worker_done, .on_listening = announce, .ctx = (void *)host};
    char err[512];
    int rc = http_serve(&cfg, err, sizeof err);
    catalog_app_free(app);
    if (rc) {
        fprintf(stderr, "ladder serve: %s\n", err);
        return 1;
    }
    return 0;
}

int cmd_serve(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    static const struct option opts[] = {
        {"app", required_argument, 0, 'a'},      {"host", required_argument, 0, 'H'},
        {"port", required_argument, 0, 'p'},     {"workers", required_argument, 0, 'w'},
        {"max-body", required_argument, 0, 'B'}, {"idle-timeout", required_argument, 0, 'I'},
        {"request-timeout", required_argument, 0, 'T'}, {"help", no_argument, 0, 'h'},
        {"db", required_argument, 0, 'd'},       {"max-buffered", required_argument, 0, 'M'},
        {0, 0, 0, 0}};
    const char *app_name = "bench", *host = "127.0.0.1", *db_url = NULL;
    int port = 8080, workers = 1, max_body = 1 << 20, idle = 30000, request = 10000, max_buffered = 64 << 20;
    int o;
    while ((o = getopt_long(argc, argv, "a:d:H:p:w:h", opts, NULL)) != -1) {
        int bad = 0;
        switch (o) {
        case 'a': app_name = optarg; break;
        case 'd': db_url = optarg; break;
        case 'H': host = optarg; break;
        case 'p': bad = cli_parse_int(optarg, "--port", 0, 65535, &port); break;
        case 'w': bad = cli_parse_int(optarg, "--workers", 1, 256, &workers); break;
        case 'B': bad = cli_parse_int(optarg, "--max-body", 0, 1 << 30, &max_body); break;
        case 'M': bad = cli_parse_int(optarg, "--max-buffered", 1, INT_MAX, &max_buffered); break;
        case 'I': bad = cli_parse_int(optarg, "--idle-timeout", 1, 86400000, &idle); break;
        case 'T': bad = cli_parse_int(optarg, "--request-timeout", 1, 86400000, &request); break;
        case 'h': return cli_usage(SERVE_USAGE, true);
        default: return cli_usage(SERVE_USAGE, false);
        }
        if (bad)
            return 2;
    }
    if (optind < argc) {
        fprintf(stderr, "ladder serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    bool catalog = !strcmp(app_name, "catalog");
    if (strcmp(app_name, "bench") != 0 && !catalog) {
        fprintf(stderr, "ladder serve: unknown app '%s' (known: bench, catalog)\n", app_name);
        return 2;
    }
    if (catalog != (db_url != NULL)) {
        fprintf(stderr, "ladder serve: %s\n", catalog ? "--app catalog needs --db URL" : "--db is for --app catalog");
        return 2;
    }
    if (catalog)
        return serve_catalog(host, (int)port, (int)workers, (size_t)max_body, (size_t)max_buffered, (int)idle,
                             (int)request, db_url);
    bench_app app;
    bench_app_init(&app);
    http_server_config cfg = {.host = host, .port = (int)port, .workers = (int)workers,
                              .max_body = max_body ? (size_t)max_body : 1, .max_buffered = (size_t)max_buffered,
                              .idle_timeout_ms = (int)idle,
                              .request_timeout_ms = (int)request, .handler = bench_app_handle, .app = &app,
                              .on_listening = announce, .ctx = (void *)host};
    char err[256];
    int rc = http_serve(&cfg, err, sizeof err);
    bench_app_free(&app);
    if (rc) {
        fprintf(stderr, "ladder serve: %s\n", err);
        return 1;
    }
    return 0;
}
