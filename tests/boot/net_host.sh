#!/usr/bin/env bash
# The host and the guest through QEMU's user network (restrict=on: only the forwards
# named here exist, on the host's 127.0.0.1): busybox httpd in the guest serves a 1 MiB
# file that the host fetches byte for byte through a host forward; the guest's wget
# fetches a file from an HTTP server on the host's 127.0.0.1 through a guest forward
# (tcp_relay.py connects QEMU's command to it), and a 10 MiB one while DEV, the driver, is
# killed and restarted by RS in the middle of it (TCP sends again what was lost), then
# another while NET is: a NET killed waiting for a message leaves lwIP's memory whole and
# the next goes on in it (the bytes arrive intact); one killed at work leaves it torn,
# and the transfer ends with a reset, never a hang (docs/net.md, What a restart keeps).
source "$(dirname "$0")/lib.sh"
root=$(mktemp -d)
served=$(mktemp -d)
trap 'stop_qemu; kill "$server_pid" 2>/dev/null; rm -rf "$log" "$root" "$served"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host_port=$(port)
server_port=$(port)

mkdir -p "$root/www"
head -c 1048576 /dev/urandom >"$root/www/data"
head -c 300000 /dev/urandom >"$served/hostfile"
head -c 10485760 /dev/urandom >"$served/big"
want_guest=$(md5sum <"$root/www/data" | cut -d' ' -f1)
want_host=$(md5sum <"$served/hostfile" | cut -d' ' -f1)
want_big=$(md5sum <"$served/big" | cut -d' ' -f1)
cat >"$root/t.sh" <<'SCRIPT'
for i in $(seq 1 100); do ifconfig eth0 | grep -q 'inet addr' && break; sleep 0.2; done
wget -q -O /tmp/hostfile http://10.0.2.100/hostfile && echo "net test: from the host: $(md5sum </tmp/hostfile)"
# across NAME: 10 MiB from the host while RS kills the server NAME (dev, net).
across() {
	wget -q -O /tmp/big http://10.0.2.100/big &
	sleep 1
	kill -0 $! && echo "net test: the transfer runs as $1 is killed"
	rs kill $1
	wait $!
	echo "net test: 10 MiB from the host across $1's restart: wget status $?, $(md5sum </tmp/big)"
	rm /tmp/big
}
across dev
across net
busybox httpd -p 80 -h /www && echo "net test: serving"
sleep 600
SCRIPT
python3 -m http.server --bind 127.0.0.1 --directory "$served" "$server_port" >/dev/null 2>&1 &
server_pid=$!

echo "== the guest fetches from the host, then serves it"
# Under -icount, as every boot test (lib.sh): the guest's time is its instructions.
: >"$log"
setsid timeout -k 5 "$hard_stop" "$top/boot/run.sh" --build "$build" --icount \
	--hostfwd "$host_port:80" --guestfwd "80:$top/tests/boot/tcp_relay.py $server_port" \
	--extra-rootfs "$root" --append "init=/bin/busybox sh /t.sh" </dev/null >"$log" 2>&1 &
qemu_pid=$!
for _ in $(seq 1 $((hard_stop * 5))); do
	grep -q 'net test: serving' "$log" && break
	kill -0 "$qemu_pid" 2>/dev/null || break
	sleep 0.2
done
curl -s --max-time 120 -o "$root/fetched" "http://127.0.0.1:$host_port/data"
echo "curl: status $?, $(stat -c %s "$root/fetched" 2>/dev/null) bytes"
fetched=$(md5sum <"$root/fetched" | cut -d' ' -f1)
stop_qemu
sed -i 's/\r$//' "$log"
cat "$log"
expect "^net test: from the host: $want_host" "the guest's wget fetched the host's file intact through guestfwd"
expect '^net test: the transfer runs as dev is killed$' "DEV was killed in the middle of the transfer"
expect '^rs: dev \(pid 6\) died: killed by rs kill; restarted as generation 2 in [0-9]+ us$' \
	"RS restarted DEV"
expect "^net test: 10 MiB from the host across dev's restart: wget status 0, $want_big" \
	"the 10 MiB transfer lost no byte and no connection across DEV's restart"
expect '^net test: the transfer runs as net is killed$' "NET was killed in the middle of a transfer"
if grep -q "net: took over [0-9]* sockets with lwIP's memory whole" "$log"; then
	expect "^net test: 10 MiB from the host across net's restart: wget status 0, $want_big" \
		"NET died waiting, lwIP's memory whole: the 10 MiB arrived intact on the same connection"
else
	expect '^net: took over [0-9]+ sockets, reset [1-9][0-9]* connections' \
		"NET died at work: its connections reset"
	expect "^net test: 10 MiB from the host across net's restart: wget status [1-9]" \
		"NET died at work: wget ended with an error, no hang"
fi
expect '^net test: serving$' "busybox httpd serves in the guest"
what="the host fetched the guest's 1 MiB file byte for byte through hostfwd"
check test "$fetched" = "$want_guest"
finish
