#!/usr/bin/env bash
# Prints the class path for the benchmark harnesses (test classes + all dependencies),
# compiling the project first. Used by the other scripts in bench/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2)
echo "$root/target/test-classes:$root/target/classes:$(cat "$root/target/bench-classpath.txt")"
