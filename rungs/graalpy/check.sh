#!/bin/sh
# The graalpy rung's check: Maven, a JDK 21+ and GraalPy's artifacts in Maven's local repository
# (rungs/graalpy/setup.sh fetches them). Otherwise one line says why, and exit 1. Whether the JIT is
# on is the launcher's to tell at run time: it refuses to run on Truffle's fallback interpreter.
here="$(cd "$(dirname "$0")" && pwd)"
command -v mvn >/dev/null || { echo "mvn not found on PATH (Debian: apt-get install maven)"; exit 1; }
java_home="$(sh "$here/java-home.sh")" || { echo "$java_home"; exit 1; }
version="$(sed -n 's:.*<graalpy.version>\(.*\)</graalpy.version>.*:\1:p' "$here/pom.xml")"
repo="${LADDER_M2_REPOSITORY:-$HOME/.m2/repository}"
for jar in python/python-language python/python-resources compiler/compiler truffle/truffle-runtime; do
    if [ ! -f "$repo/org/graalvm/$jar/$version/${jar#*/}-$version.jar" ]; then
        reason="$(cat "${XDG_CACHE_HOME:-$HOME/.cache}/ladder/graalpy.skipped" 2>/dev/null | head -n 1)"
        echo "${reason:-GraalPy $version is not in $repo (run rungs/graalpy/setup.sh: 184 MiB of jars from Maven Central)}"
        exit 1
    fi
done
