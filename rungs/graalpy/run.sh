#!/bin/sh
# Runs `python SCRIPT ARGS...` in GraalPy: the launcher that build.sh made, on the JDK java-home.sh
# picks, with the Graal compiler on the upgrade module path and JVMCI on, so that Truffle compiles.
#   run.sh SCRIPT ARGS...
# LADDER_GRAALPY_JIT=off leaves the compiler out: Truffle then falls back to its interpreter, which
# the launcher refuses unless LADDER_GRAALPY_INTERPRETER=1 (a measurement by hand, not the rung).
set -e
here="$(cd "$(dirname "$0")" && pwd)"
java_home="$(sh "$here/java-home.sh")"
lib="$LADDER_BUILD_DIR/lib"
compiler="$(ls "$lib"/compiler-*.jar)"
path="$LADDER_BUILD_DIR/graalpy-launcher-1.jar"
for jar in "$lib"/*.jar; do
    [ "$jar" = "$compiler" ] || path="$path:$jar"
done
feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release")"
# JDK 24+ warns on every start about Truffle's sun.misc.Unsafe and System.load calls
quiet="--enable-native-access=org.graalvm.truffle"
[ "$feature" -lt 23 ] || quiet="$quiet --sun-misc-unsafe-memory-access=allow"
if [ "${LADDER_GRAALPY_JIT:-on}" = off ]; then
    # shellcheck disable=SC2086
    exec "$java_home/bin/java" $quiet --module-path "$path" -m ladder.graalpy/ladder.GraalpyBench "$@"
fi
# shellcheck disable=SC2086
exec "$java_home/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path "$compiler" \
    $quiet --module-path "$path" -m ladder.graalpy/ladder.GraalpyBench "$@"
