#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion, offline: it is sourced, and its function called with
# COMP_WORDS as bash would set them; "ip" and "xfrm-hc" are stand-ins. The
# commands that "xfrm-hc OBJECT help" lists are all offered.
#   tests/tool/completion.sh XFRM_HC_BINARY COMPLETION_FILE
set -u
bin=$1
. "$2"

n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - completion: $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - completion: $*"; failed=1; }

ip() {
	case "$*" in
	"netns list") printf 'blue (id: 0)\nred\n' ;;
	"-o link show") printf '1: lo: <LOOPBACK>\n2: wan@if3: <UP>\n' ;;
	"-n red -o link show") printf '1: lo: <LOOPBACK>\n5: xfrm-red: <UP>\n' ;;
	esac
}

xfrm-hc() {
	[ "$*" = "-n red check show" ] || return 1
	printf 'check primary src 10.1.0.1 dst 10.2.0.1 state up\n\tinterval 1s\n'
	printf 'check backup src 10.1.0.1 dst 10.3.0.1 state down\n'
}

# complete LINE: the completions of the last word of LINE ("" if it ends
# in a blank), sorted, on one line.
complete_line() {
	local line=$1

	read -ra COMP_WORDS <<<"$line"
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	case ${COMP_WORDS[0]} in
	xfrm-hcd) _xfrm_hcd ;;
	*) _xfrm_hc ;;
	esac
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect LINE WANT: the completions are exactly WANT (sorted).
expect() {
	local got

	got=$(complete_line "$1")
	if [ "$got" = "$2" ]; then
		ok "\"$1\" -> $2"
	else
		not_ok "\"$1\" -> $2"
		echo "#   got: $got"
	fi
}

expect "xfrm-hc " "check defaults help metrics monitor peer rule save stats teardown version"
expect "xfrm-hc me" "metrics"
expect "xfrm-hc --js" "--json"
expect "xfrm-hc -n " "blue red"
expect "xfrm-hc -n r" "red"
expect "xfrm-hc -j -n red ch" "check"
expect "xfrm-hc check " "add del flush help list set show"
expect "xfrm-hc metrics " "help"
expect "xfrm-hc check add name x src 10.1.0.1 dst 10.2.0.1 " \
	"action dev if_id interval misses mode timeout up"
expect "xfrm-hc check add name x dev " "lo wan"
expect "xfrm-hc -n red check set name x dev " "lo none xfrm-red"
expect "xfrm-hc check add name x mode " "optimized periodic"
expect "xfrm-hc check set name x action f" "failover"
expect "xfrm-hc -n red check show name " "backup primary"
expect "xfrm-hc -n red check del name p" "primary"
expect "xfrm-hc check add name " ""
expect "xfrm-hc check add name x interval " ""
expect "xfrm-hc defaults set interval 1s " \
	"action echo-responder jitter misses mode natt-keepalive probe-dst probe-src up"
expect "xfrm-hc defaults set echo-responder " "off on"
expect "xfrm-hc defaults set mode " "idle on-demand periodic"
expect "xfrm-hc rule add prio 10 " \
	"action family if_id interval jitter mark misses mode natt-keepalive probe-dst probe-src remote reqid up"
expect "xfrm-hc rule add family " "inet inet6"
expect "xfrm-hc rule del " "prio"
expect "xfrm-hc peer show remote 192.0.2.2 " "if_id"
expect "xfrm-hc teardown " "help if_id remote"
expect "xfrm-hc daemon " ""
expect "xfrm-hc monitor " "--sync help"
expect "xfrm-hc monitor --sync " ""
expect "xfrm-hcd --te" "--teardown"
expect "xfrm-hcd --metrics-interval " ""
expect "xfrm-hcd -n " "blue red"

# Every command of "xfrm-hc OBJECT help" is offered after OBJECT.
for obj in defaults rule peer check; do
	want=$("$bin" "$obj" help | awk -v o="$obj" '$1 == "xfrm-hc" && $2 == o {
		if ($3 == "{") { for (i = 4; i <= NF && $i != "}"; i++)
			if ($i != "|") print $i }
		else print $3 }' | sort -u | tr '\n' ' ')
	got=" $(complete_line "xfrm-hc $obj ") "
	missing=""
	for c in $want; do
		[[ $got == *" $c "* ]] || missing+=" $c"
	done
	if [ -n "$want" ] && [ -z "$missing" ]; then
		ok "every command of \"$obj help\" is offered ($want)"
	else
		not_ok "every command of \"$obj help\" is offered: missing$missing"
	fi
done

# And "xfrm-hc help" lists every object the completion offers.
help=$("$bin" help)
missing=""
for o in $(complete_line "xfrm-hc "); do
	grep -q "^  $o " <<<"$help" || missing+=" $o"
done
if [ -z "$missing" ]; then
	ok "xfrm-hc help lists every object"
else
	not_ok "xfrm-hc help lists every object: missing$missing"
fi

echo "1..$n"
exit $failed
