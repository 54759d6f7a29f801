#!/usr/bin/env bash
# Count the results of a `make check` run in BUILDDIR (its test-suite.log,
# with make's output in BUILDDIR/make-check.out), list what did not pass with
# the tail of each failing log, and print the totals as the last line:
# "N passed, N failed".  Skipped tests count as failed.  Exit status 0 only
# when nothing failed.  Used by check.sh and valgrind.sh.
#   test-totals.sh BUILDDIR
set -uo pipefail
build=$1
passed=0 failed=0
log="$build/test-suite.log"
if [ -f "$log" ]; then
	count() { awk -v k="# $1:" '$1 " " $2 == k { print $3; exit }' "$log"; }
	passed=$(( $(count PASS) + $(count XFAIL) ))
	failed=$(( $(count FAIL) + $(count ERROR) + $(count XPASS) ))
	skipped=$(count SKIP)
	[ "${skipped:-0}" -gt 0 ] && echo "tests: ${skipped} skipped (counted as failed)" && failed=$((failed + skipped))
	grep -E '^(FAIL|ERROR|XPASS|SKIP):' "$build/make-check.out" | head -50
else
	tail -40 "$build/make-check.out"
	failed=1
fi
if [ "$failed" -gt 0 ]; then
	echo "---- failing test logs ----"
	for f in $(grep -lE '^:test-result: (FAIL|ERROR|XPASS|SKIP)' $(find "$build/tests" -name '*.trs') 2>/dev/null); do
		echo "== ${f%.trs}.log"; tail -40 "${f%.trs}.log"
	done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
