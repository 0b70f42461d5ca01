#!/usr/bin/env bash
# The network inside the guest (docs/net.md): eth0 gets QEMU's DHCP lease (10.0.2.15/24)
# and BusyBox's ifconfig shows it and lo; busybox httpd serves a file that wget fetches
# byte for byte over lo and over eth0's own address; nc carries a line each way between
# two processes over TCP; NET killed, its listening socket (httpd's) listens on.
source "$(dirname "$0")/lib.sh"
root=$(mktemp -d)
trap 'stop_qemu; rm -rf "$log" "$root"' EXIT
mkdir -p "$root/www"
head -c 262144 /dev/urandom >"$root/www/data"
cat >"$root/t.sh" <<'SCRIPT'
for i in $(seq 1 200); do ifconfig eth0 | grep -q 'inet addr' && break; sleep 0.1; done
ifconfig eth0
ifconfig lo
busybox httpd -p 80 -h /www
wget -q -O /tmp/a http://127.0.0.1/data && cmp /tmp/a /www/data && echo "net test: wget over lo: the same bytes"
wget -q -O /tmp/b http://10.0.2.15/data && cmp /tmp/b /www/data && echo "net test: wget over eth0's address: the same bytes"
nc -l -p 7000 >/tmp/got &
sleep 1
echo "client to server" | nc 127.0.0.1 7000
sleep 1
echo "net test: the server got: $(cat /tmp/got)"
echo "server to client" | nc -l -p 7001 &
sleep 1
echo "net test: the client got: $(nc 127.0.0.1 7001 </dev/null)"
rs kill net
wget -q -O /tmp/c http://127.0.0.1/data && cmp /tmp/c /www/data && echo "net test: after NET's restart, httpd still listens"
echo "net test: done"
SCRIPT

echo "== DHCP, ifconfig, httpd and wget, nc both ways"
boot "$hard_stop" '^net test: done$' --extra-rootfs "$root" --append "init=/bin/busybox sh /t.sh"
expect '^net: eth0 is 10\.0\.2\.15$' "NET says DHCP gave eth0 10.0.2.15"
expect '^eth0 +Link encap:Ethernet  HWaddr 52:54:00:12:34:56 *$' "ifconfig eth0: Ethernet, QEMU's MAC"
expect '^ +inet addr:10\.0\.2\.15  Bcast:10\.0\.2\.255  Mask:255\.255\.255\.0$' \
	"ifconfig eth0: QEMU's lease, its broadcast and mask"
expect '^ +UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1$' "ifconfig eth0: up, running"
expect '^lo +Link encap:Local Loopback *$' "ifconfig lo"
expect '^ +inet addr:127\.0\.0\.1  Mask:255\.0\.0\.0$' "lo is 127.0.0.1/8"
expect '^net test: wget over lo: the same bytes$' "httpd to wget over lo, 256 KiB intact"
expect "^net test: wget over eth0's address: the same bytes$" "httpd to wget over 10.0.2.15, intact"
expect '^net test: the server got: client to server$' "nc: a line from the client to the server"
expect '^net test: the client got: server to client$' "nc: a line from the server to the client"
expect '^rs: net \(pid 5\) died: killed by rs kill; restarted as generation 2 in [0-9]+ us$' \
	"rs kill net: NET restarted"
expect "^net: took over 1 sockets with lwIP's memory whole, reset 0 connections, dropped 0$" \
	"NET took httpd's listener over, in lwIP's memory as it was"
expect '^net test: after NET.s restart, httpd still listens$' "the listening socket kept listening"
expect_none 'panic' "no panic"
finish
