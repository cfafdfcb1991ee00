// The simdjson rung: simdjson's DOM parser (Debian's libsimdjson-dev) on the json-parse problem,
// behind the rung protocol, which it implements itself. Usage: PROGRAM json-parse N.
//
// The file at $LADDER_INPUT is read into a padded buffer before timing; each iteration parses it
// into the one reused dom::parser's document (simdjson's recommended use). The counts that
// prove the whole document was parsed are taken once, after the last iteration.
#include <simdjson.h>

#include "ladder_rung.hpp"
#include "../_shared/corpus/corpus_simdjson.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <unistd.h>

namespace {

using ladder_rung::emit;
using ladder_rung::now_ns;

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

// json-corpus: the canonical digest (docs/specs/json-corpus.md) of one element of the tape.
void corpus_walk(simdjson::dom::element e, corpus_digest *d)
{
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::OBJECT: {
        corpus_object(d);
        simdjson::dom::object obj = e.get_object().value_unsafe(); // a copy: the result is a temporary
        for (auto field : obj) {
            corpus_key(d, field.key.data(), field.key.size());
            corpus_walk(field.value, d);
        }
        corpus_tag(d, '}');
        break;
    }
    case element_type::ARRAY: {
        corpus_array(d);
        simdjson::dom::array arr = e.get_array().value_unsafe();
        for (auto child : arr)
            corpus_walk(child, d);
        corpus_tag(d, ']');
        break;
    }
    case element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        corpus_string(d, s.data(), s.size());
        break;
    }
    // integers are kept exactly; their double is the correctly rounded one (round to nearest)
    case element_type::INT64: corpus_number(d, (double)e.get_int64().value_unsafe()); break;
    case element_type::UINT64: corpus_number(d, (double)e.get_uint64().value_unsafe()); break;
    case element_type::DOUBLE: corpus_number(d, e.get_double().value_unsafe()); break;
    case element_type::BOOL: corpus_literal(d, e.get_bool().value_unsafe() ? 't' : 'f'); break;
    default: corpus_literal(d, 'n'); break;
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "json-corpus") == 0) {
        // one parser for every file: it keeps the capacity of the largest
        simdjson::dom::parser parser;
        return ladder_corpus::run(argv[2], [&](int, const simdjson::padded_string &in, corpus_digest *d) {
            simdjson::dom::element root;
            if (auto error = parser.parse(in).get(root))
                return std::string(simdjson::error_message(error));
            corpus_walk(root, d);
            return std::string();
        });
    }
    if (argc != 3 || strcmp(argv[1], "json-parse") != 0) {
        fprintf(stderr, "usage: %s json-parse|json-corpus N\n", argc > 0 ? argv[0] : "simdjson-rung");
        return 2;
    }
    ladder_rung::config cfg;
    if (!ladder_rung::read_config(&cfg))
        return 2;
    long warmup = cfg.warmup, repeat = cfg.repeat, fd = cfg.fd;
    const char *path;
    simdjson::padded_string input;
    if (ladder_corpus::load_input("the problem's input file", &path, input))
        return 1;
    if (ladder_corpus::emit_start((int)fd))
        return 2;
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
