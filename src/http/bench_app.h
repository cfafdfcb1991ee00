/* The four benchmark endpoints every HTTP contender serves, on ladder's server:
 *   GET /plaintext, GET /json, GET /user/{id}, POST /validate.
 * bench_app_handle is an http_handler_fn; the app keeps one reusable JSON writer per process. */
#ifndef LADDER_BENCH_APP_H
#define LADDER_BENCH_APP_H

#include "http/http_server.h"
#include "json/json.h"

typedef struct {
    json_writer w;
} bench_app;

void bench_app_init(bench_app *app);
void bench_app_free(bench_app *app);
void bench_app_handle(void *app, const http_request *req, http_response *res);

#endif
