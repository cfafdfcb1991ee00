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
