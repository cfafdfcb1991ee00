#!/usr/bin/env python3
"""The dependency rules of docs/ARCHITECTURE.md, checked over every #include "..." in src/.

    check_includes.py SRC_DIR     exit 1 and one line per include that breaks a rule
    check_includes.py --self-test plant one bad include in a copy of a tiny tree; it must be caught
"""
import os
import re
import sys
import tempfile

# folder -> the folders its files may include (its own always). A suite is src/suites/NAME.
RULES = {
    "json": {"cpu"},
    "cpu": set(),
    "kernels": {"cpu"},
    "pipeline": {"json", "cpu"},
    "core": {"json"},
    "http": {"json"},
    "catalog": {"http", "json"},
    "report": {"core", "json"},
    "suite": {"report", "core", "json", "http", "catalog", "pipeline"},
    "suites": {"suite", "report"},  # src/suites/suites.[ch], the section table: every suite
    "cli": {"*"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def area(rel):
    """The rule area of a path relative to src/: 'suite:http', 'core', ..."""
    parts = rel.split("/")
    if parts[0] == "suites":
        return "suites" if len(parts) == 2 else "suite:" + parts[1]
    return parts[0] if len(parts) > 1 else "(top)"


def allowed(src, dst):
    if src == dst:
        return True
    kind = "suite" if src.startswith("suite:") else src
    rule = RULES.get(kind)
    if rule is None:
        return False
    if "*" in rule:
        return True
    if dst.startswith("suite:"):
        return "suite" in rule  # a suite never includes another suite
    return dst in rule


def check(src_dir):
    bad = []
    for root, _, files in os.walk(src_dir):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src_dir)
            here = area(rel)
            if here == "(top)":
                bad.append(f"{rel}: files belong in a folder of src/")
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                target = m.group(1)
                if "/" not in target:
                    if not os.path.exists(os.path.join(root, target)):
                        bad.append(f"{rel}: includes \"{target}\" without its folder")
                    continue
                there = area(target)
                if not allowed(here, there):
                    line = text.count("\n", 0, m.start()) + 1
                    bad.append(f"{rel}:{line}: {here} may not include \"{target}\" ({there})")
    return bad


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "json/json.h": "",
            "core/bench.h": '#include "json/json.h"\n',
            "report/report.h": '#include "core/bench.h"\n',
            "suites/http/a.c": '#include "report/report.h"\n',
            "suites/lifecycle/b.c": '#include "core/bench.h"\n',
            "cli/main.c": '#include "suites/http/a.c"\n',
        }
        for rel, text in files.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        assert check(tmp) == [], check(tmp)
        plants = {
            "core/bench.h": '#include "report/report.h"\n',          # upward
            "suites/lifecycle/b.c": '#include "suites/http/a.c"\n',  # suite to suite
            "json/json.h": '#include "core/bench.h"\n',              # leaf reaching out
            "report/report.h": '#include "suites/http/a.c"\n',       # report into a suite
        }
        for rel, text in plants.items():
            path = os.path.join(tmp, rel)
            with open(path) as f:
                keep = f.read()
            with open(path, "w") as f:
                f.write(text)
            found = check(tmp)
            assert len(found) == 1 and found[0].startswith(rel), (rel, found)
            with open(path, "w") as f:
                f.write(keep)
    print("check_includes: self-test passed (4 planted violations caught)")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    bad = check(sys.argv[1])
    for line in bad:
        print(line)
    print(f"check_includes: {len(bad)} include(s) break the rules")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
