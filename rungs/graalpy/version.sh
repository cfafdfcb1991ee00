#!/bin/sh
# The graalpy rung's version line: GraalPy's version (pom.xml's pin) and the JDK it runs on.
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<graalpy.version>\(.*\)</graalpy.version>.*:\1:p' "$here/pom.xml")"
java_home="$(sh "$here/java-home.sh")" || java_home=""
jdk="$(sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/\1/p' "$java_home/release" 2>/dev/null)"
echo "GraalPy $version, Truffle JIT: the Graal compiler jar on JVMCI, ${jdk:-JDK} ($java_home)"
