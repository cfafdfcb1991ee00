#!/bin/sh
# Builds the launcher offline from what setup.sh fetched: LADDER_BUILD_DIR gets the launcher's jar
# and lib/ with GraalPy, Truffle, the polyglot API and the Graal compiler.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
java_home="$(sh "$here/java-home.sh")"
rm -rf "$LADDER_BUILD_DIR/lib"
JAVA_HOME="$java_home" mvn -B -ntp -q -o -f "$here/pom.xml" -Dladder.out="$LADDER_BUILD_DIR" package
