"""The orjson rung: the cpython rung's pipeline, unchanged, over orjson.loads instead of json.loads.

Only the parse changes hands: the events are still Python dicts and lists, and the filtering,
aggregation and json.dumps of the summary are rungs/cpython/bench.py's own `summarize`, imported
from that file, so the two rungs cannot drift apart.
"""
import importlib.util
import os
import sys

import orjson

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "_protocol", "python"))
import ladder_rung  # noqa: E402

_spec = importlib.util.spec_from_file_location("ladder_cpython_bench",
                                               os.path.join(HERE, "..", "cpython", "bench.py"))
cpython_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cpython_bench)


def pipeline(n):
    return cpython_bench.summarize(orjson.loads(ladder_rung.input_bytes()))


def json_parse(n):
    # parse only, as the cpython rung's json_parse: the counts are taken after the timing
    doc = orjson.loads(ladder_rung.input_bytes())
    return lambda: cpython_bench.parse_summary(doc)


# json-corpus: the cpython rung's walk and digest over orjson.loads
json_corpus = cpython_bench.corpus_solver(orjson.loads)


if __name__ == "__main__":
    ladder_rung.main({"pipeline": cpython_bench.positive(pipeline),
                      "json-parse": cpython_bench.positive(json_parse),
                      "json-corpus": cpython_bench.positive(json_corpus)})
