# TAP helpers for shell tests: source it, call ok/fail/is, end with done_testing.
_tap_n=0
_tap_failed=0
ok() {		# ok CONDITION-EXIT-STATUS DESCRIPTION  (use: cmd; ok $? "desc")
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"; else echo "not ok $_tap_n - $2"; _tap_failed=$((_tap_failed + 1)); fi
}
is() {		# is GOT EXPECTED DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_tap_n - $3"; else
		echo "not ok $_tap_n - $3"; echo "# got:      $1"; echo "# expected: $2"
		_tap_failed=$((_tap_failed + 1)); fi
}
like() {	# like GOT REGEX DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $_tap_n - $3"; else
		echo "not ok $_tap_n - $3"; echo "# got:      $1"; echo "# expected to match: $2"
		_tap_failed=$((_tap_failed + 1)); fi
}
done_testing() { echo "1..$_tap_n"; [ "$_tap_failed" -eq 0 ]; }
