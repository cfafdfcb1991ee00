#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char EMPTY[1];

void strbuf_init(strbuf *b)
{
    *b = (strbuf){.s = EMPTY};
}

void strbuf_free(strbuf *b)
{
    if (b->s != EMPTY)
        free(b->s);
    strbuf_init(b);
}

void strbuf_reset(strbuf *b)
{
    b->len = 0;
    if (b->s != EMPTY)
        b->s[0] = '\0';
}

bool strbuf_ok(const strbuf *b)
{
    return !b->failed;
}

static int fail(strbuf *b)
{
    strbuf_free(b);
    b->failed = true;
    return -1;
}

static int reserve(strbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > (size_t)-1 / 2 - b->len)
        return fail(b);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *s = realloc(b->s == EMPTY ? NULL : b->s, cap);
    if (!s)
        return fail(b);
    if (b->s == EMPTY)
        s[0] = '\0';
    b->s = s;
    b->cap = cap;
    return 0;
}

int strbuf_append(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (reserve(b, n))
        return -1;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
    return 0;
}

static int vappendf(strbuf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || reserve(b, (size_t)n))
        return b->failed ? -1 : fail(b);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int strbuf_appendf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *strbuf_take(strbuf *b)
{
    if (b->failed)
        return NULL;
    char *s = b->s == EMPTY ? strdup("") : b->s;
    strbuf_init(b);
    return s;
}

static char *const NO_ITEMS[1];

void strlist_init(strlist *l)
{
    *l = (strlist){.items = (char **)NO_ITEMS};
}

void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    if (l->items != (char **)NO_ITEMS)
        free(l->items);
    strlist_init(l);
}

bool strlist_ok(const strlist *l)
{
    return !l->failed;
}

const char *const *strlist_argv(const strlist *l)
{
    return (const char *const *)l->items;
}

static int push(strlist *l, char *s)
{
    if (!s || l->failed) {
        free(s);
        l->failed = true;
        return -1;
    }
    if (l->n + 1 >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **items = realloc(l->items == (char **)NO_ITEMS ? NULL : l->items, cap * sizeof *items);
        if (!items) {
            free(s);
            l->failed = true;
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    l->items[l->n] = NULL;
    return 0;
}

int strlist_add(strlist *l, const char *s)
{
    return push(l, strdup(s));
}

int strlist_addf(strlist *l, const char *fmt, ...)
{
    strbuf b;
    strbuf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    vappendf(&b, fmt, ap);
    va_end(ap);
    return push(l, strbuf_take(&b));
}

void str_first_line(const char *s, char *out, size_t cap)
{
    while (*s == '\n' || *s == ' ' || *s == '\r')
        s++;
    size_t n = strcspn(s, "\n\r");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

void str_last_line(const char *s, char *out, size_t cap)
{
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    size_t start = len;
    while (start && s[start - 1] != '\n')
        start--;
    size_t n = len - start < cap - 1 ? len - start : cap - 1;
    memcpy(out, s + start, n);
    out[n] = '\0';
}

void str_setf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}
