/* Internal to src/report: reading the rows of a parsed results document. Header-only; the
 * strings returned point into the document, which the caller owns. */
#ifndef LADDER_REPORT_ROWS_H
#define LADDER_REPORT_ROWS_H

#include <string.h>

#include "json/json.h"

/* o[k] as a string, "" when absent or not a string. */
static inline const char *rows_str(const json_value *o, const char *k)
{
    const char *s = json_get_str(json_obj_get(o, k), NULL);
    return s ? s : "";
}

/* The next row of the document's rows, from *i on, whose suite is suite (NULL after the last);
 * *i moves past it. for (size_t i = 0; (r = rows_next(root, "http", &i));) walks a suite's rows. */
static inline const json_value *rows_next(const json_value *root, const char *suite, size_t *i)
{
    const json_value *rows = json_obj_get(root, "rows");
    while (*i < json_arr_len(rows)) {
        const json_value *r = json_arr_get(rows, (*i)++);
        if (!strcmp(rows_str(r, "suite"), suite))
            return r;
    }
    return NULL;
}

/* The index of s in list[0..*n), appending it when new; -1 when the list already holds max. */
static inline int rows_index_of(const char **list, int *n, int max, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(list[i], s))
            return i;
    if (*n == max)
        return -1;
    list[*n] = s;
    return (*n)++;
}

#endif
