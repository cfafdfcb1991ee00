/* Deep equality of two parsed JSON values, for the tests and fuzz targets that compare a
 * document with its re-read, reused or re-parsed copy: same types, numbers bit for bit (and the
 * same integer where one was read), same strings, same keys in the same order. */
#ifndef LADDER_JSON_EQUAL_H
#define LADDER_JSON_EQUAL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "json/json.h"

static inline bool json_test_equal(const json_value *a, const json_value *b)
{
    size_t la, lb;
    if (json_get_type(a) != json_get_type(b))
        return false;
    switch (json_get_type(a)) {
    case JSON_NUMBER: {
        double x = json_get_num(a), y = json_get_num(b);
        int64_t ia, ib;
        if (memcmp(&x, &y, sizeof x) != 0)
            return false;
        if (json_get_int(a, &ia) && !signbit(x) && (!json_get_int(b, &ib) || ia != ib))
            return false;
        return true;
    }
    case JSON_STRING: {
        const char *sa = json_get_str(a, &la), *sb = json_get_str(b, &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    }
    case JSON_ARRAY:
        if (json_arr_len(a) != json_arr_len(b))
            return false;
        for (size_t i = 0; i < json_arr_len(a); i++)
            if (!json_test_equal(json_arr_get(a, i), json_arr_get(b, i)))
                return false;
        return true;
    case JSON_OBJECT:
        if (json_obj_len(a) != json_obj_len(b))
            return false;
        for (size_t i = 0; i < json_obj_len(a); i++) {
            const char *ka = json_obj_key_at(a, i, &la), *kb = json_obj_key_at(b, i, &lb);
            if (la != lb || memcmp(ka, kb, la) != 0)
                return false;
            if (!json_test_equal(json_obj_val_at(a, i), json_obj_val_at(b, i)))
                return false;
        }
        return true;
    default:
        return true;
    }
}

#endif
