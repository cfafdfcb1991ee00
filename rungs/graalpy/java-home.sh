#!/bin/sh
# Prints the JDK the graalpy rung runs on: $LADDER_JAVA_HOME if set, else the newest JDK (by
# feature version, 21 or later) under /usr/lib/jvm, else $JAVA_HOME, else the one `java` on PATH
# belongs to. Exits 1 with one line saying why when there is none.
feature() {  # the feature version of JDK home $1 (25 for "25.0.1"), or nothing
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1
}
if [ -n "${LADDER_JAVA_HOME:-}" ]; then
    v="$(feature "$LADDER_JAVA_HOME")"
    [ -n "$v" ] || { echo "LADDER_JAVA_HOME=$LADDER_JAVA_HOME is not a JDK (no bin/java, bin/javac and release)"; exit 1; }
    [ "$v" -ge 21 ] || { echo "LADDER_JAVA_HOME is JDK $v; GraalPy needs 21 or later"; exit 1; }
    echo "$LADDER_JAVA_HOME"
    exit 0
fi
best="" best_v=0
for home in /usr/lib/jvm/* "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent/bin/javac)")")")"; do
    [ -n "$home" ] && [ -d "$home" ] || continue
    v="$(feature "$home")"
    [ -n "$v" ] && [ "$v" -gt "$best_v" ] && { best="$(readlink -f "$home")"; best_v="$v"; }
done
[ -n "$best" ] || { echo "no JDK found (/usr/lib/jvm, JAVA_HOME, PATH; or set LADDER_JAVA_HOME)"; exit 1; }
[ "$best_v" -ge 21 ] || { echo "newest JDK found is $best_v ($best); GraalPy needs 21 or later (set LADDER_JAVA_HOME)"; exit 1; }
echo "$best"
