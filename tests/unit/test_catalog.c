/* The catalog loader's rules on SQLite, Server-Timing formatting, and the delay proxy. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "check.h"
#include "suites/lifecycle/delay_proxy.h"
#include "suites/lifecycle/lifecycle.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int64_t scalar(db *d, const char *sql)
{
    db_stmt *st;
    db_rows r;
    char err[256];
    int64_t v = -1;
    if (db_prepare(d, sql, &st, err, sizeof err) || db_query(st, NULL, 0, &r, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", sql, err);
        return -1;
    }
    if (db_next(&r, err, sizeof err) == 1)
        v = db_col_int(&r, 0);
    db_done(&r);
    return v;
}

static void test_loader(void)
{
    char dir[] = "/tmp/ladder-catalog-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256], dbp[256];
    snprintf(csv, sizeof csv, "%s/books.csv", dir);
    snprintf(dbp, sizeof dbp, "%s/catalog.db", dir);
    FILE *f = fopen(csv, "w");
    /* Ann: one book at 978-1-2 and one at 978-0-1 (a tie: the smaller prefix wins), one without a
     * prefix (ignored). Bob: no prefix at all -> Unknown. Quotes and an embedded comma. */
    fputs("isbn13,title,author,publisher_prefix,year,language\n"
          "9781200000001,A1,Ann,978-1-2,2001,eng\n"
          "9780100000001,\"A2, \"\"quoted\"\"\",Ann,978-0-1,-50,\n"
          ",A3,Ann,,,\n"
          "9789999999999,B1,Bob,,1999,fre\n",
          f);
    fclose(f);
    db *d;
    char err[256];
    CHECK(db_open(dbp, &d, err, sizeof err) == 0);
    catalog_load_stats st;
    for (int pass = 0; pass < 2; pass++) {
        CHECK(catalog_load(d, csv, &st, err, sizeof err) == 0);
        CHECK(st.books == 4 && st.authors == 2 && st.publishers == 3);
        CHECK(scalar(d, "SELECT count(*) FROM books") == 4);
        CHECK(scalar(d, "SELECT count(*) FROM publishers") == 3);
    }
    CHECK(scalar(d, "SELECT id FROM publishers WHERE isbn_prefix = '978-0-1'") == 1);
    CHECK(scalar(d, "SELECT id FROM publishers WHERE isbn_prefix IS NULL AND name = 'Unknown'") == 3);
    CHECK(scalar(d, "SELECT publisher_id FROM authors WHERE name = 'Ann'") == 1);
    CHECK(scalar(d, "SELECT publisher_id FROM authors WHERE name = 'Bob'") == 3);
    CHECK(scalar(d, "SELECT year FROM books WHERE id = 2") == -50);
    CHECK(scalar(d, "SELECT count(*) FROM books WHERE title = 'A2, \"quoted\"' AND language IS NULL") == 1);
    /* a list parameter works the same on every backend */
    db_stmt *st_in;
    db_rows r;
    int64_t ids[] = {1, 3};
    CHECK(db_prepare(d, "SELECT id FROM books WHERE id = ANY($1) ORDER BY id", &st_in, err, sizeof err) == 0);
    db_param p = db_p_list(ids, 2);
    CHECK(db_query(st_in, &p, 1, &r, err, sizeof err) == 0);
    int n = 0;
    while (db_next(&r, err, sizeof err) == 1)
        n++;
    db_done(&r);
    CHECK(n == 2);
    db_stats s = db_stats_take(d);
    CHECK(s.queries >= 1 && s.ns > 0);
    db_close(d);

    f = fopen(csv, "w");
    fputs("isbn13,title\n1,x\n", f);
    fclose(f);
    CHECK(db_open(dbp, &d, err, sizeof err) == 0);
    CHECK(catalog_load(d, csv, &st, err, sizeof err) != 0);
    CHECK(scalar(d, "SELECT count(*) FROM books") == 4); /* a failed load leaves the old rows */
    db_close(d);
    unlink(csv);
    unlink(dbp);
    rmdir(dir);
}

static void test_timing(void)
{
    catalog_timing t = {.db = 1.5, .hydrate = 0.25, .serialize = 0.125, .encode = 0.001, .framework = 0.2, .total = 2.076};
    char buf[256];
    catalog_timing_format(&t, buf, sizeof buf);
    CHECK_STR(buf, "db;dur=1.500, hydrate;dur=0.250, serialize;dur=0.125, encode;dur=0.001, framework;dur=0.200, "
                   "total;dur=2.076");
    catalog_timing back;
    CHECK(catalog_timing_parse(buf, &back) == 6);
    CHECK(back.db == 1.5 && back.total == 2.076 && back.encode == 0.001);
    CHECK(catalog_timing_parse("total;desc=\"x\";dur=3, other;dur=1", &back) == 1 && back.total == 3);
    CHECK(catalog_timing_parse("", &back) == 0);
    double ms;
    const char *label;
    CHECK(lifecycle_parse_rtt("building", &ms, &label) == 0 && ms == 5 && label);
    CHECK(lifecycle_parse_rtt("12.5", &ms, &label) == 0 && ms == 12.5 && !label);
    CHECK(lifecycle_parse_rtt("fast", &ms, &label) != 0);
    CHECK(lifecycle_parse_rtt("-1", &ms, &label) != 0);
}

/* An echo server on a free port: each connection echoes until EOF. */
typedef struct {
    int lfd, port;
} echo_server;

static void *echo_main(void *arg)
{
    echo_server *e = arg;
    int c = accept(e->lfd, NULL, NULL);
    char buf[65536];
    ssize_t n;
    while (c >= 0 && (n = read(c, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w <= 0)
                break;
            off += w;
        }
    if (c >= 0)
        close(c);
    return NULL;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool read_exact(int fd, char *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

static void test_proxy(void)
{
    echo_server e = {.lfd = socket(AF_INET, SOCK_STREAM, 0)};
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    CHECK(bind(e.lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(e.lfd, 4) == 0);
    getsockname(e.lfd, (struct sockaddr *)&a, &len);
    e.port = ntohs(a.sin_port);
    pthread_t th;
    pthread_create(&th, NULL, echo_main, &e);

    const double rtt = 40;
    proxy_config pc = {.upstream_port = e.port, .rtt_ms = rtt};
    proxy *p;
    char err[256];
    CHECK(proxy_start(&pc, &p, err, sizeof err) == 0);
    int fd = connect_to(proxy_port(p));
    CHECK(fd >= 0);
    /* each round trip through the proxy takes at least one RTT */
    char small[16] = "ping", back[16];
    for (int i = 0; i < 3; i++) {
        double t0 = now_ms();
        CHECK(write(fd, small, 4) == 4);
        CHECK(read_exact(fd, back, 4));
        double took = now_ms() - t0;
        CHECK(took >= rtt * 0.95);
        if (took < rtt * 0.95)
            fprintf(stderr, "round trip took %.2f ms, RTT is %.0f\n", took, rtt);
    }
    /* 3 MB, every byte intact and in order */
    size_t big = 3 << 20;
    char *out = malloc(big), *in = malloc(big);
    for (size_t i = 0; i < big; i++)
        out[i] = (char)(i * 2654435761u >> 13);
    size_t sent = 0, got = 0;
    while (got < big) {
        if (sent < big) {
            ssize_t w = write(fd, out + sent, big - sent < 65536 ? big - sent : 65536);
            if (w > 0)
                sent += (size_t)w;
        }
        ssize_t r = read(fd, in + got, big - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    CHECK(got == big && memcmp(in, out, big) == 0);
    free(out);
    free(in);
    shutdown(fd, SHUT_WR);
    CHECK(read(fd, back, 1) == 0); /* the FIN comes back through the proxy */
    close(fd);
    proxy_counters pcount = proxy_counts(p);
    CHECK(pcount.connections == 1 && pcount.bytes_up == (int64_t)big + 12 && pcount.bytes_down == (int64_t)big + 12);
    proxy_stop(p);
    pthread_join(th, NULL);
    close(e.lfd);

    proxy_config bad = {.upstream_port = 0, .rtt_ms = 1};
    CHECK(proxy_start(&bad, &p, err, sizeof err) != 0);
}

int main(void)
{
    test_timing();
    test_loader();
    test_proxy();
    return check_done("test_catalog");
}
