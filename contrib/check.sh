#!/usr/bin/env bash
# Install what is missing, build with sanitizers, run every test (unit,
# database, terminal, a short fuzz run) against a private PostgreSQL, and
# print the totals as the last line: "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${GB_CHECK_BUILD:-$top/_build/check}
summary() { echo "$1 passed, $2 failed"; exit $(( $2 > 0 )); }

"$top/contrib/deps.sh" --test || summary 0 1
"$top/contrib/build.sh" "$build" --enable-sanitizers --enable-werror || { echo "check.sh: build failed" >&2; summary 0 1; }

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/gbcheck.XXXXXX")
trap '"$top/contrib/pgcluster.sh" destroy "$pgdir"' EXIT
trap 'exit 130' INT TERM HUP
"$top/contrib/pgcluster.sh" start "$pgdir" --auth trust --fast || summary 0 1
export GB_TEST_PGDIR=$pgdir
# Leaks in our code fail the tests; leaks inside the system libraries do not.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

(cd "$build" && make -j2 check >make-check.out 2>&1)
# The totals of make check, as test-totals.sh counts them (its last line).
totals=$("$top/contrib/test-totals.sh" "$build")
printf '%s\n' "$totals" | sed '$d'
read -r passed _ failed _ <<<"$(printf '%s\n' "$totals" | tail -1)"
[[ "$passed $failed" =~ ^[0-9]+\ [0-9]+$ ]] || { passed=0; failed=1; }

# A short fuzz run of every target (clang + libFuzzer), counted as tests.
if [ -x "$top/contrib/fuzz.sh" ]; then
	fuzz_out=$("$top/contrib/fuzz.sh" --seconds "${GB_FUZZ_SECONDS:-15}" 2>&1)
	echo "$fuzz_out" | tail -20
	fp=$(echo "$fuzz_out" | awk '/^fuzz: [0-9]+ passed, [0-9]+ failed$/ { print $2 }' | tail -1)
	ff=$(echo "$fuzz_out" | awk '/^fuzz: [0-9]+ passed, [0-9]+ failed$/ { print $4 }' | tail -1)
	[ -n "$fp" ] || { fp=0; ff=1; }
	passed=$((passed + fp)); failed=$((failed + ff))
fi
summary "$passed" "$failed"
