#!/bin/sh
# The catalog peer's check: 'ladder lifecycle' starts it (LADDER_LIFECYCLE=1, CATALOG_DB set), and
# it needs build/venv-catalog (contenders/catalog-fastapi/setup.sh). Prints one reason line when not.
if [ -z "${LADDER_LIFECYCLE:-}" ]; then
    echo "a catalog contender: 'ladder lifecycle' runs it"
    exit 1
fi
venv="${LADDER_CATALOG_VENV:-$LADDER_ROOT/build/venv-catalog}"
if [ ! -x "$venv/bin/python" ]; then
    echo "no Python venv at $venv (run contenders/catalog-fastapi/setup.sh)"
    exit 1
fi
if ! err="$("$venv/bin/python" -c 'import fastapi, sqlalchemy, asyncpg, aiosqlite, greenlet, uvicorn, uvloop, httptools' 2>&1)"; then
    echo "the catalog venv does not import: $(printf '%s\n' "$err" | tail -n 1 | cut -c1-160) (run contenders/catalog-fastapi/setup.sh)"
    exit 1
fi
