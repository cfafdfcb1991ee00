#include "http/bench_app.h"

#include <string.h>

void bench_app_init(bench_app *app)
{
    json_writer_init(&app->w, false);
}

void bench_app_free(bench_app *app)
{
    json_writer_free(&app->w);
}

static void send_writer(bench_app *app, http_response *res, int status)
{
    http_response_json(res, status, &app->w);
}

static void error_json(bench_app *app, http_response *res, int status, const char *msg)
{
    json_writer_reset(&app->w);
    json_obj_begin(&app->w);
    json_key(&app->w, "error");
    json_str(&app->w, msg);
    json_obj_end(&app->w);
    send_writer(app, res, status);
}

static void validate(bench_app *app, const http_request *req, http_response *res)
{
    json_doc *doc = json_read(req->body, req->body_len, NULL, NULL);
    const json_value *root = doc ? json_doc_root(doc) : NULL;
    if (!doc || json_get_type(root) != JSON_OBJECT) {
        error_json(app, res, 400, doc ? "body must be a JSON object" : "body is not valid JSON");
        json_doc_free(doc);
        return;
    }
    size_t name_len = 0;
    const char *name = json_get_str(json_obj_get(root, "name"), &name_len);
    int64_t age;
    if (!name || name_len == 0) {
        error_json(app, res, 400, "name must be a non-empty string");
    } else if (!json_get_int(json_obj_get(root, "age"), &age) || age < 0 || age > 150) {
        error_json(app, res, 400, "age must be an integer between 0 and 150");
    } else {
        json_writer *w = &app->w;
        json_writer_reset(w);
        json_obj_begin(w);
        json_key(w, "name");
        json_strn(w, name, name_len);
        json_key(w, "age");
        json_int(w, age);
        json_key(w, "valid");
        json_bool(w, true);
        json_obj_end(w);
        send_writer(app, res, 200);
    }
    json_doc_free(doc);
}

/* RFC 9110 15.5.6: a 405 lists the methods the resource has. */
static void not_allowed(bench_app *app, http_response *res, const char *allow)
{
    error_json(app, res, 405, "method not allowed");
    http_response_header(res, "Allow", allow);
}

void bench_app_handle(void *ctx, const http_request *req, http_response *res)
{
    bench_app *app = ctx;
    const http_head *h = req->head;
    bool get = http_str_eq(h->method, "GET") || http_str_eq(h->method, "HEAD");
    bool post = http_str_eq(h->method, "POST");
    http_str path = h->path;
    if (http_str_eq(path, "/plaintext")) {
        if (!get) {
            not_allowed(app, res, "GET, HEAD");
            return;
        }
        http_response_set(res, 200, "text/plain");
        http_response_append(res, "Hello, World!", 13);
    } else if (http_str_eq(path, "/json")) {
        if (!get) {
            not_allowed(app, res, "GET, HEAD");
            return;
        }
        json_writer *w = &app->w;
        json_writer_reset(w);
        json_obj_begin(w);
        json_key(w, "message");
        json_str(w, "Hello, World!");
        json_obj_end(w);
        send_writer(app, res, 200);
    } else if (path.n > 6 && path.n <= 6 + 256 && memcmp(path.p, "/user/", 6) == 0 &&
               !memchr(path.p + 6, '/', path.n - 6)) {
        if (!get) {
            not_allowed(app, res, "GET, HEAD");
            return;
        }
        char name[300];
        size_t idn = path.n - 6;
        memcpy(name, "User ", 5);
        memcpy(name + 5, path.p + 6, idn);
        json_writer *w = &app->w;
        json_writer_reset(w);
        json_obj_begin(w);
        json_key(w, "id");
        json_strn(w, path.p + 6, path.n - 6);
        json_key(w, "name");
        json_strn(w, name, 5 + idn);
        json_obj_end(w);
        send_writer(app, res, 200);
    } else if (http_str_eq(path, "/validate")) {
        if (post)
            validate(app, req, res);
        else
            not_allowed(app, res, "POST");
    } else {
        error_json(app, res, 404, "not found");
    }
}
