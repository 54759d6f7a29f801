#!/usr/bin/env bash
# The valgrind half of RELIABILITY.md §17: build without sanitizers (valgrind
# and ASan cannot share a process), run every test against one private
# PostgreSQL with test programs under valgrind (tests/pgwrap.sh,
# GB_TEST_VALGRIND), and print the totals as the last line:
# "N passed, N failed".  A memory error or a definite leak fails the test.
# Slower than check.sh by far, so it is a separate run.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${GB_VALGRIND_BUILD:-$top/_build/valgrind}
summary() { echo "$1 passed, $2 failed"; exit $(( $2 > 0 )); }

"$top/contrib/deps.sh" --test || summary 0 1
"$top/contrib/build.sh" "$build" || { echo "valgrind.sh: build failed" >&2; summary 0 1; }

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/gbvalgrind.XXXXXX")
trap '"$top/contrib/pgcluster.sh" destroy "$pgdir"' EXIT
trap 'exit 130' INT TERM HUP
"$top/contrib/pgcluster.sh" start "$pgdir" --auth trust --fast || summary 0 1
export GB_TEST_PGDIR=$pgdir
export GB_TEST_VALGRIND=1

(cd "$build" && make -j2 check >make-check.out 2>&1)
"$top/contrib/test-totals.sh" "$build"
