#include "core/fsutil.h"

#include "core/strbuf.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fs_read_all(const char *path, size_t *len, char *err, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err)
            snprintf(err, cap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, c = 4096;
    char *buf = malloc(c);
    for (;;) {
        if (!buf)
            break;
        if (n + 1 >= c) {
            char *g = realloc(buf, c * 2);
            if (!g) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = g;
            c *= 2;
        }
        ssize_t r = read(fd, buf + n, c - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            if (err)
                snprintf(err, cap, "cannot read %s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (!buf) {
        if (err)
            snprintf(err, cap, "%s: out of memory", path);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int fs_write_atomic(const char *path, const void *data, size_t len, char *err, size_t cap)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    const char *p = data;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, p + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int fs_mkdirs(const char *path, char *err, size_t cap)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        snprintf(err, cap, "bad folder name '%s'", path);
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            snprintf(err, cap, "cannot create %s: %s", buf, strerror(errno));
            return -1;
        }
        buf[i] = c;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, cap, "%s is not a folder", path);
        return -1;
    }
    return 0;
}

uint64_t fs_hash_init(void)
{
    return 1469598103934665603ULL;
}

uint64_t fs_hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in the folder, without '.'-names and __pycache__; -1 when out of memory. */
static int sorted_names(DIR *d, char ***out, size_t *n)
{
    size_t c = 0;
    struct dirent *e;
    *out = NULL;
    *n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "__pycache__"))
            continue;
        if (*n == c) {
            c = c ? c * 2 : 16;
            char **g = realloc(*out, c * sizeof *g);
            if (!g)
                break;
            *out = g;
        }
        if (!((*out)[*n] = strdup(e->d_name)))
            break;
        (*n)++;
    }
    if (e)
        return -1;
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_name);
    return 0;
}

int fs_hash_tree(uint64_t *h, const char *path)
{
    struct stat st;
    *h = fs_hash_bytes(*h, path, strlen(path) + 1);
    if (stat(path, &st) != 0) {
        *h = fs_hash_bytes(*h, "missing", 7);
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        size_t len;
        char *data = fs_read_all(path, &len, NULL, 0);
        if (data)
            *h = fs_hash_bytes(*h, data, len);
        free(data);
        return data ? 0 : -1;
    }
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    char **names;
    size_t n;
    int rc = sorted_names(d, &names, &n);
    closedir(d);
    strbuf sub;
    strbuf_init(&sub);
    for (size_t i = 0; i < n; i++) {
        strbuf_reset(&sub);
        strbuf_appendf(&sub, "%s/%s", path, names[i]);
        if (!strbuf_ok(&sub) || fs_hash_tree(h, sub.s))
            rc = -1;
        free(names[i]);
    }
    strbuf_free(&sub);
    free(names);
    return rc;
}

long long fs_tree_bytes(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (S_ISREG(st.st_mode))
        return (long long)st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0; /* links and the like: not counted (a link to the product is not a second copy) */
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long total = 0;
    struct dirent *e;
    strbuf sub;
    strbuf_init(&sub);
    while (total >= 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        strbuf_reset(&sub);
        strbuf_appendf(&sub, "%s/%s", path, e->d_name);
        long long b = strbuf_ok(&sub) ? fs_tree_bytes(sub.s) : -1;
        total = b < 0 ? -1 : total + b;
    }
    strbuf_free(&sub);
    closedir(d);
    return total;
}

static _Thread_local const char *fs_clear_keep; /* nftw's callback takes no context */

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    if (ftw->level == 0)
        return 0; /* the folder itself stays */
    const char *keep = fs_clear_keep;
    const char *base = path + ftw->base;
    if (ftw->level == 1 && keep && !strcmp(base, keep))
        return 0;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}


int fs_clear_dir(const char *path, const char *keep)
{
    fs_clear_keep = keep;
    int rc = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    fs_clear_keep = NULL;
    return rc == 0 || errno == ENOENT ? 0 : -1;
}
