# What make bench's boots with the host in them share (tcp_host_to_guest_instr_per_mib),
# sourced by tools/bench.sh and tools/bench_linux.sh.

# sending_to_guest LOG COMMAND...: runs COMMAND, a boot whose console goes to LOG and whose
# forward names its host port HOSTPORT, with a free port there, while tools/bench_send.py
# sends to the guest once LOG says it listens.
sending_to_guest() {
	local log=$1 port sender
	shift
	port=$("$top/tools/bench_send.py" port)
	: >"$log"
	"$top/tools/bench_send.py" "$log" "$port" &
	sender=$!
	"${@//HOSTPORT/$port}"
	wait "$sender" || true	# a failed sending fails bench_net_host, which COMMAND tells
}
