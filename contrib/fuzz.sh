#!/usr/bin/env bash
# Build the libFuzzer targets with clang, ASan and UBSan into _build/fuzz
# and run each for a few seconds from its seed corpus (fuzz/corpus/NAME).
#   contrib/fuzz.sh [--seconds N]
# The last line is always "fuzz: P passed, F failed" (contrib/check.sh
# parses it).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build/fuzz
seconds=30
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--seconds=*) seconds=${1#*=}; shift ;;
	*) echo "usage: contrib/fuzz.sh [--seconds N]" >&2; echo "fuzz: 0 passed, 1 failed"; exit 2 ;;
	esac
done
passed=0 failed=0
finish() { echo "fuzz: $passed passed, $failed failed"; exit $(( failed > 0 )); }

if ! command -v clang >/dev/null; then
	echo "fuzz.sh: clang is needed (apt-get install clang)" >&2
	failed=1; finish
fi
"$top/contrib/build.sh" "$build" CC=clang --enable-fuzzing --enable-sanitizers ||
	{ echo "fuzz.sh: build failed" >&2; failed=1; finish; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for seeds in "$top"/fuzz/corpus/*/; do
	name=$(basename "$seeds")
	bin=$build/fuzz/$name
	if [ ! -x "$bin" ]; then
		echo "fuzz.sh: $name: no program $bin" >&2
		failed=$((failed + 1)); continue
	fi
	# New inputs go to a scratch corpus, never into the repository's seeds.
	work=$build/corpus/$name
	mkdir -p "$work" "$build/artifacts"
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/artifacts/$name-" "$work" "$seeds" \
		>"$build/$name.log" 2>&1; then
		echo "fuzz.sh: $name: ok ($(grep -Eo '#[0-9]+' "$build/$name.log" | tail -1 | tr -d '#') runs)"
		passed=$((passed + 1))
	else
		echo "fuzz.sh: $name: FAILED, see $build/$name.log" >&2
		tail -30 "$build/$name.log" >&2
		failed=$((failed + 1))
	fi
done
finish
