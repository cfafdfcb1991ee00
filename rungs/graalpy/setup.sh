#!/usr/bin/env bash
# Fetches what the graalpy rung's build needs from Maven Central into Maven's local repository
# (~/.m2): GraalPy, Truffle, the polyglot API and the Graal compiler at the version pom.xml pins
# (184 MiB of jars), and the Maven plugins of the build, so that the rung's build runs offline (mvn -o).
# Skipped with a one-line reason, kept in ~/.cache/ladder/graalpy.skipped for the rung's check,
# when Maven or a JDK 21+ is missing or Maven Central refuses an artifact.
#   rungs/graalpy/setup.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ladder"
mkdir -p "$cache"
skipped="$cache/graalpy.skipped"
say() { echo "rungs/graalpy/setup: $*" >&2; }
skip() { say "$1; the graalpy rung will be skipped"; echo "$1" >"$skipped"; exit 1; }

command -v mvn >/dev/null || skip "mvn not found on PATH (Debian: apt-get install maven)"
java_home="$(sh "$here/java-home.sh")" || skip "$java_home"
version="$(sed -n 's:.*<graalpy.version>\(.*\)</graalpy.version>.*:\1:p' "$here/pom.xml")"
start=$SECONDS
log="$cache/graalpy-setup.log"
# The same build as the rung's, into a scratch folder: it resolves every artifact and plugin.
if ! JAVA_HOME="$java_home" nice -n 10 mvn -B -ntp -f "$here/pom.xml" -Dladder.out="$cache/graalpy-setup" \
        package >"$log" 2>&1; then
    reason="$(grep -m 1 '^\[ERROR\]' "$log" | cut -c1-300)"
    skip "GraalPy $version from Maven Central failed: ${reason:-see $log}"
fi
rm -f "$skipped"
say "GraalPy $version ready in Maven's local repository ($((SECONDS - start)) s, $(du -sh "$cache/graalpy-setup/lib" | cut -f1) of jars)"
rm -rf "$cache/graalpy-setup"
