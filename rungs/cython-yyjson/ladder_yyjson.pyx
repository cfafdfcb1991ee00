# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The JSON event pipeline from the bytes, in Cython over yyjson (the experiments' "Cython owns the
bytes" rung): yyjson parses the input into its own tree and typed loops walk it, so no event ever
becomes a Python dict. Only what the summary keeps becomes a Python object: each kept event's
user_id and page, and the per-user counters' keys.

Same semantics as rungs/cpython (docs/specs/pipeline.md). A value of an unexpected type (a
timestamp that is not 25 characters, an amount that is not a number, ...) is converted to the
Python object json.loads would have made and goes through the reference's own expression, so
such input behaves as in CPython. Differences left: a duplicate key resolves to its first
occurrence (json.loads keeps the last), and only UTF-8 input is read (json.loads also detects
UTF-16/32 and a BOM).
"""
from libc.stdint cimport int64_t, uint64_t, uint32_t
from libc.string cimport memcmp
from cpython.unicode cimport PyUnicode_DecodeUTF8
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE

import json
from datetime import datetime, timezone

cdef extern from "yyjson.h" nogil:
    ctypedef struct yyjson_doc:
        pass
    ctypedef struct yyjson_val:
        pass
    ctypedef struct yyjson_arr_iter:
        pass
    ctypedef struct yyjson_obj_iter:
        pass
    ctypedef uint32_t yyjson_read_flag
    ctypedef struct yyjson_read_err:
        uint32_t code
        const char *msg
        size_t pos
    yyjson_read_flag YYJSON_READ_ALLOW_INF_AND_NAN
    yyjson_read_flag YYJSON_READ_BIGNUM_AS_RAW
    yyjson_doc *yyjson_read_opts(char *dat, size_t len, yyjson_read_flag flg, const void *alc,
                                 yyjson_read_err *err)
    void yyjson_doc_free(yyjson_doc *doc)
    yyjson_val *yyjson_doc_get_root(yyjson_doc *doc)
    bint yyjson_is_null(yyjson_val *val)
    bint yyjson_is_bool(yyjson_val *val)
    bint yyjson_is_uint(yyjson_val *val)
    bint yyjson_is_sint(yyjson_val *val)
    bint yyjson_is_real(yyjson_val *val)
    bint yyjson_is_str(yyjson_val *val)
    bint yyjson_is_raw(yyjson_val *val)
    bint yyjson_is_arr(yyjson_val *val)
    bint yyjson_is_obj(yyjson_val *val)
    bint yyjson_get_bool(yyjson_val *val)
    uint64_t yyjson_get_uint(yyjson_val *val)
    int64_t yyjson_get_sint(yyjson_val *val)
    double yyjson_get_real(yyjson_val *val)
    const char *yyjson_get_str(yyjson_val *val)
    const char *yyjson_get_raw(yyjson_val *val)
    size_t yyjson_get_len(yyjson_val *val)
    bint yyjson_arr_iter_init(yyjson_val *arr, yyjson_arr_iter *iter)
    yyjson_val *yyjson_arr_iter_next(yyjson_arr_iter *iter)
    yyjson_val *yyjson_obj_getn(yyjson_val *obj, const char *key, size_t key_len)
    bint yyjson_obj_iter_init(yyjson_val *obj, yyjson_obj_iter *iter)
    yyjson_val *yyjson_obj_iter_next(yyjson_obj_iter *iter)
    yyjson_val *yyjson_obj_iter_get_val(yyjson_val *key)

# the kept event types (the reference's KEPT_TYPES) and their upper-cased names
cdef tuple KEPT = ("page_view", "purchase", "click", "search", "add_to_cart")
cdef tuple KEPT_BYTES = tuple(t.encode() for t in KEPT)
cdef tuple KEPT_UPPER = tuple(t.upper() for t in KEPT)
cdef frozenset KEPT_SET = frozenset(KEPT)
cdef double WINDOW_START = datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp()
cdef double WINDOW_END = datetime(2025, 9, 30, 23, 59, 59, tzinfo=timezone.utc).timestamp()


cdef object to_py(yyjson_val *v):
    """The Python object json.loads makes of the JSON value v."""
    cdef yyjson_arr_iter ai
    cdef yyjson_obj_iter oi
    cdef yyjson_val *k
    if yyjson_is_str(v):
        return PyUnicode_DecodeUTF8(yyjson_get_str(v), yyjson_get_len(v), NULL)
    if yyjson_is_real(v):
        return yyjson_get_real(v)
    if yyjson_is_uint(v):
        return yyjson_get_uint(v)
    if yyjson_is_sint(v):
        return yyjson_get_sint(v)
    if yyjson_is_raw(v):  # a number too large for 64 bits, as written
        raw = PyUnicode_DecodeUTF8(yyjson_get_raw(v), yyjson_get_len(v), NULL)
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    if yyjson_is_null(v):
        return None
    if yyjson_is_bool(v):
        return bool(yyjson_get_bool(v))
    if yyjson_is_arr(v):
        out = []
        yyjson_arr_iter_init(v, &ai)
        k = yyjson_arr_iter_next(&ai)
        while k != NULL:
            out.append(to_py(k))
            k = yyjson_arr_iter_next(&ai)
        return out
    d = {}
    yyjson_obj_iter_init(v, &oi)
    k = yyjson_obj_iter_next(&oi)
    while k != NULL:
        d[to_py(k)] = to_py(yyjson_obj_iter_get_val(k))
        k = yyjson_obj_iter_next(&oi)
    return d


cdef class UserStats:
    cdef long event_count, high_value_count
    cdef double total_amount, first_seen, last_seen
    cdef dict types, pages

    def __cinit__(self, double ts):
        self.first_seen = ts
        self.last_seen = ts
        self.types = {}
        self.pages = {}


cdef inline int two_digits(const char *s) noexcept nogil:
    """The number written by s[0:2] in ASCII digits, or -1."""
    cdef int a = s[0] - 48, b = s[1] - 48
    if a < 0 or a > 9 or b < 0 or b > 9:
        return -1
    return a * 10 + b


cdef inline long days_from_civil(long y, long m, long d) noexcept nogil:
    """Days since 1970-01-01 of a proleptic Gregorian date (y >= 1)."""
    if m <= 2:
        y -= 1
    cdef long era = (y if y >= 0 else y - 399) // 400
    cdef long yoe = y - era * 400
    cdef long doy = (153 * (m + (9 if m <= 2 else -3)) + 2) // 5 + d - 1
    cdef long doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


cdef int[13] MONTH_DAYS
MONTH_DAYS[:] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


cdef double timestamp(yyjson_val *v) except? -1.0:
    """Epoch seconds of an ISO 8601 time: datetime.fromisoformat(value).timestamp(), exactly. The
    usual shape, YYYY-MM-DDTHH:MM:SS+HH:MM, is read from yyjson's bytes; anything else by datetime."""
    cdef const char *s
    cdef int hi, lo, year, month, day, hour, minute, second, oh, om, last
    if yyjson_is_str(v) and yyjson_get_len(v) == 25:
        s = yyjson_get_str(v)
        hi = two_digits(s)
        lo = two_digits(s + 2)
        month = two_digits(s + 5)
        day = two_digits(s + 8)
        hour = two_digits(s + 11)
        minute = two_digits(s + 14)
        second = two_digits(s + 17)
        oh = two_digits(s + 20)
        om = two_digits(s + 23)
        if (hi >= 0 and lo >= 0 and s[4] == b'-' and s[7] == b'-' and s[10] == b'T'
                and s[13] == b':' and s[16] == b':' and (s[19] == b'+' or s[19] == b'-')
                and s[22] == b':' and 1 <= month <= 12 and 0 <= hour <= 23 and 0 <= minute <= 59
                and 0 <= second <= 59 and 0 <= oh <= 23 and 0 <= om <= 59):
            year = hi * 100 + lo
            last = MONTH_DAYS[month]
            if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                last = 29
            if year >= 1 and 1 <= day <= last:
                oh = oh * 3600 + om * 60
                if s[19] == b'-':
                    oh = -oh
                return <double>(days_from_civil(year, month, day) * 86400
                                + hour * 3600 + minute * 60 + second - oh)
    return datetime.fromisoformat(to_py(v)).timestamp()


cdef int kept_index(yyjson_val *v) except -2:
    """The index of the event type v in KEPT, or -1 when the reference would not keep it."""
    cdef size_t n
    cdef const char *s
    cdef bytes name
    cdef int i
    if not yyjson_is_str(v):
        to_py(v) in KEPT_SET  # an unhashable value fails here as it does in the reference
        return -1
    s = yyjson_get_str(v)
    n = yyjson_get_len(v)
    for i in range(5):
        name = <bytes>KEPT_BYTES[i]
        if <size_t>PyBytes_GET_SIZE(name) == n and memcmp(s, PyBytes_AS_STRING(name), n) == 0:
            return i
    return -1


cdef yyjson_val *field(yyjson_val *obj, const char *key, size_t len, Py_ssize_t index) except NULL:
    cdef yyjson_val *v = yyjson_obj_getn(obj, key, len)
    if v == NULL:
        raise ValueError(f"event {index}: no {key[:len].decode()!r} field")
    return v


cdef object top_key(dict counts):
    """The key with the highest count, the first one reached on a tie (Counter.most_common(1))."""
    cdef object best = None
    cdef long best_count = -1, count
    for key, value in counts.items():
        count = value
        if count > best_count:
            best = key
            best_count = count
    return best


def pipeline(bytes data):
    """The summary's canonical JSON text from the input's bytes."""
    cdef yyjson_read_err err
    cdef yyjson_doc *doc = yyjson_read_opts(<char *>PyBytes_AS_STRING(data), <size_t>PyBytes_GET_SIZE(data),
                                            YYJSON_READ_ALLOW_INF_AND_NAN | YYJSON_READ_BIGNUM_AS_RAW, NULL, &err)
    if doc == NULL:
        pos = err.pos
        line = data.count(b"\n", 0, pos) + 1
        column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        raise ValueError(f"invalid JSON at byte {pos} (line {line}, column {column}): {err.msg.decode()}")
    try:
        return summarize(yyjson_doc_get_root(doc))
    finally:
        yyjson_doc_free(doc)


cdef str summarize(yyjson_val *root):
    cdef dict users = {}  # user_id -> UserStats, in order of first appearance
    cdef yyjson_arr_iter it
    cdef yyjson_val *event
    cdef yyjson_val *meta
    cdef yyjson_val *v
    cdef Py_ssize_t index = -1
    cdef int kind
    cdef double ts, amount, total_amount = 0.0
    cdef long total_events = 0, total_high_value = 0
    cdef UserStats user
    cdef object user_id, page, upper
    if not yyjson_is_arr(root):
        raise ValueError("the input is not a JSON array of events")
    yyjson_arr_iter_init(root, &it)
    event = yyjson_arr_iter_next(&it)
    while event != NULL:
        index += 1
        if not yyjson_is_obj(event):
            raise ValueError(f"event {index} is not an object")
        kind = kept_index(field(event, "event_type", 10, index))
        if kind < 0:
            event = yyjson_arr_iter_next(&it)
            continue
        ts = timestamp(field(event, "timestamp", 9, index))
        if not WINDOW_START <= ts <= WINDOW_END:
            event = yyjson_arr_iter_next(&it)
            continue
        meta = field(event, "metadata", 8, index)
        if not yyjson_is_obj(meta):
            raise ValueError(f"event {index}: metadata is not an object")
        v = yyjson_obj_getn(meta, "amount", 6)
        if v == NULL:
            amount = 0.0
        elif yyjson_is_real(v):
            amount = yyjson_get_real(v)
        else:
            amount = float(to_py(v))
        v = field(event, "user_id", 7, index)
        user_id = yyjson_get_sint(v) if yyjson_is_sint(v) else (yyjson_get_uint(v) if yyjson_is_uint(v) else to_py(v))
        user = users.get(user_id)
        if user is None:
            user = UserStats(ts)
            users[user_id] = user
        user.event_count += 1
        user.total_amount += amount
        if amount > 100.0:
            user.high_value_count += 1
        if ts < user.first_seen:
            user.first_seen = ts
        if ts > user.last_seen:
            user.last_seen = ts
        upper = KEPT_UPPER[kind]
        user.types[upper] = user.types.get(upper, 0) + 1
        v = yyjson_obj_getn(meta, "page", 4)
        page = "" if v == NULL else to_py(v)
        user.pages[page] = user.pages.get(page, 0) + 1
        event = yyjson_arr_iter_next(&it)
    for user in users.values():
        total_amount += user.total_amount
        total_events += user.event_count
        total_high_value += user.high_value_count
    rows = []
    for user_id in sorted(users):
        user = users[user_id]
        rows.append({
            "user_id": user_id,
            "event_count": user.event_count,
            "total_amount": round(<object>user.total_amount, 2),
            "high_value_count": user.high_value_count,
            "duration_seconds": round(<object>(user.last_seen - user.first_seen), 2),
            "top_event_type": top_key(user.types),
            "top_page": top_key(user.pages),
        })
    return json.dumps({
        "total_users": len(users),
        "total_events": total_events,
        "total_amount": round(<object>total_amount, 2),
        "total_high_value": total_high_value,
        "users": rows,
    })
