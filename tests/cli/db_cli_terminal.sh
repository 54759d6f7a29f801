#!/usr/bin/env bash
# Data never reaches a terminal raw (RELIABILITY.md §13), also from the
# command line: CSV and JSON printed to a terminal show controls, escape
# sequences and bidi overrides escaped, a GB18030 file is not dumped on a
# terminal, and files written elsewhere keep every byte.
. "$top_srcdir/tests/cli/cli_setup.sh"

evil=$'恶意\e[31m红色\e]0;pwned\a公司\u202e反向'
uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id
            WHERE d.name = '昆山开发区' ORDER BY e.id LIMIT 1")
sql "UPDATE gb.enterprise SET name = '$evil' WHERE uscc = '$uscc'" >/dev/null
# Run a command with its output on a pseudo-terminal; print what it printed.
on_tty() { script -qec "env PGUSER=$CITY $*" /dev/null; }
esc=$'\e'
rlo=$'\u202e'

out=$(on_tty "$G" lookup "$uscc" --format csv)
like "$out" '恶意' "lookup csv on a terminal shows the enterprise"
[[ $out != *"$esc"* && $out != *"$rlo"* ]]; ok $? "lookup csv on a terminal sends no ESC and no bidi override"
like "$out" '\\x1b\[31m' "the escape sequence is shown escaped"

json=$(as_city lookup "$uscc" --format json)
[[ $json != *"$esc"* && $json != *"$rlo"* ]]; ok $? "lookup json never carries a raw ESC or bidi override"
like "$json" '\\u001b\[31m' "ESC is \\u001b in JSON"
like "$json" '\\u202e' "the bidi override is \\u202e in JSON"

out=$(on_tty "$G" export enterprises --district 昆山开发区; echo "rc=$?")
like "$out" '标准输出是终端' "a GB18030 export is not dumped on a terminal"
like "$out" 'rc=2' "and exits with status 2"
out=$(on_tty "$G" export enterprises --district 昆山开发区 --encoding utf-8)
like "$out" '恶意' "a UTF-8 export can be read on a terminal"
[[ $out != *"$esc"* && $out != *"$rlo"* ]]; ok $? "with nothing raw in it"

as_city export enterprises --district 昆山开发区 --encoding utf-8 -o "$work/e.csv"
grep -qF "$evil" "$work/e.csv"; ok $? "a file keeps every byte of the data"
as_city export enterprises --district 昆山开发区 --encoding utf-8 >"$work/p.csv"
grep -qF "$evil" "$work/p.csv"; ok $? "so does standard output into a pipe or file"
done_testing
