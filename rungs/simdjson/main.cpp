// The simdjson rung: simdjson's DOM parser (Debian's libsimdjson-dev) on the json-parse problem,
// behind the rung protocol, which it implements itself. Usage: PROGRAM json-parse N.
//
// The file at $LADDER_INPUT is read into a padded buffer before timing; each iteration parses it
// into the one reused dom::parser's document (simdjson's recommended use). The counts that
// prove the whole document was parsed are taken once, after the last iteration.
#include <simdjson.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <unistd.h>

namespace {

long long now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// An environment integer >= minimum, or def when unset; false when malformed.
bool env_int(const char *name, long def, long minimum, long *out)
{
    const char *s = getenv(name);
    if (!s || !*s) {
        *out = def;
        return true;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < minimum) {
        fprintf(stderr, "%s=%s must be an integer >= %ld\n", name, s, minimum);
        return false;
    }
    *out = v;
    return true;
}

void emit(int fd, const char *key, long long v)
{
    if (fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "%s %lld\n", key, v);
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

struct counts {
    uint64_t objects = 0, arrays = 0, strings = 0, numbers = 0, literals = 0;
};

void count_values(simdjson::dom::element e, counts &k)
{
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::OBJECT: {
        k.objects++;
        simdjson::dom::object obj = e.get_object().value_unsafe();
        for (auto field : obj)
            count_values(field.value, k);
        break;
    }
    case element_type::ARRAY: {
        k.arrays++;
        simdjson::dom::array arr = e.get_array().value_unsafe();
        for (auto child : arr)
            count_values(child, k);
        break;
    }
    case element_type::STRING: k.strings++; break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: k.numbers++; break;
    default: k.literals++; break; // true, false, null
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "json-parse") != 0) {
        fprintf(stderr, "usage: %s json-parse N (the only problem this rung implements)\n",
                argc > 0 ? argv[0] : "simdjson-rung");
        return 2;
    }
    long warmup, repeat, fd;
    if (!env_int("LADDER_WARMUP", 0, 0, &warmup) || !env_int("LADDER_REPEAT", 1, 1, &repeat) ||
        !env_int("LADDER_TIMING_FD", -1, 0, &fd))
        return 2;
    const char *path = getenv("LADDER_INPUT");
    if (!path || !*path) {
        fprintf(stderr, "LADDER_INPUT is not set (the problem's input file)\n");
        return 1;
    }
    simdjson::padded_string input;
    if (auto error = simdjson::padded_string::load(path).get(input)) {
        fprintf(stderr, "cannot read %s: %s\n", path, simdjson::error_message(error));
        return 1;
    }
    emit((int)fd, "threads", 1);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    for (long i = 0; i < warmup + repeat; i++) {
        long long t0 = now_ns();
        auto error = parser.parse(input).get(root);
        long long t1 = now_ns();
        if (error) {
            fprintf(stderr, "json-parse %s: %s: %s\n", argv[2], path, simdjson::error_message(error));
            return 1;
        }
        emit((int)fd, i < warmup ? "warmup_ns" : "ns", t1 - t0);
    }
    if (fd >= 0)
        close((int)fd);

    counts k;
    count_values(root, k);
    uint64_t events = 0;
    int64_t sum = 0;
    simdjson::dom::array arr;
    if (!root.get_array().get(arr)) {
        for (auto event : arr) {
            int64_t id;
            if (event["user_id"].get_int64().get(id)) {
                fprintf(stderr, "json-parse %s: event %llu has no integer user_id\n", argv[2],
                        (unsigned long long)events);
                return 1;
            }
            sum += id;
            events++;
        }
    }
    uint64_t values = k.objects + k.arrays + k.strings + k.numbers + k.literals;
    printf("events %llu\nuser_id_sum %lld\nvalues %llu\nobjects %llu\narrays %llu\nstrings %llu\n"
           "numbers %llu\nliterals %llu\n",
           (unsigned long long)events, (long long)sum, (unsigned long long)values,
           (unsigned long long)k.objects, (unsigned long long)k.arrays, (unsigned long long)k.strings,
           (unsigned long long)k.numbers, (unsigned long long)k.literals);
    return fflush(stdout) == 0 ? 0 : 1;
}
