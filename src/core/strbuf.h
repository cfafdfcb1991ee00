/* Growable strings for paths, commands and environments, where truncation would be a silent
 * wrong answer. A strbuf owns its bytes; after any failed allocation it stays empty and
 * reports the failure from then on (strbuf_ok), so a caller can build in several steps and
 * check once. A strlist owns its strings and keeps a NULL-terminated array for execve-style
 * callers. */
#ifndef LADDER_STRBUF_H
#define LADDER_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s;    /* NUL-terminated; "" (not NULL) after strbuf_init */
    size_t len, cap;
    bool failed;
} strbuf;

void strbuf_init(strbuf *b);
void strbuf_free(strbuf *b);
/* Each returns 0, or -1 (and marks the buffer failed) when memory runs out. */
int strbuf_append(strbuf *b, const char *s);
int strbuf_appendf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *b);
bool strbuf_ok(const strbuf *b);
/* Hands the bytes to the caller (free with free()); the buffer is empty again. NULL if failed. */
char *strbuf_take(strbuf *b);

typedef struct {
    char **items; /* items[n] == NULL */
    size_t n, cap;
    bool failed;
} strlist;

void strlist_init(strlist *l);
void strlist_free(strlist *l);
int strlist_add(strlist *l, const char *s);
int strlist_addf(strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strlist_ok(const strlist *l);
/* The NULL-terminated array (never NULL itself). */
const char *const *strlist_argv(const strlist *l);

/* printf into a fixed message buffer, cut to fit. For human-readable messages only (reasons,
 * errors): paths, commands and environments go through strbuf, where a cut is an error. */
void str_setf(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The first / last non-blank line of text into out (cap bytes, cut to fit: for messages). */
void str_first_line(const char *text, char *out, size_t cap);
void str_last_line(const char *text, char *out, size_t cap);

#endif
