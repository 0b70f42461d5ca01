#!/usr/bin/env bash
# BusyBox's network commands over VFS's sockets and NET's loopback (docs/net.md):
# ifconfig (SIOCGIF* through VFS to NET), /proc/net/dev, route (/proc/net/route), httpd
# serving a file that wget fetches byte-identical, and nc from one process to another.
source "$(dirname "$0")/lib.sh"
extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT

mkdir -p "$extra/x"
cat >"$extra/x/net.sh" <<'SCRIPT'
#!/bin/sh
ifconfig lo
cat /proc/net/dev
route -n
mkdir -p /tmp/www && cd /tmp/www
seq 1 20000 > page.txt
httpd -p 127.0.0.1:8080 -h /tmp/www
wget -q -O /tmp/got.txt http://127.0.0.1:8080/page.txt
echo "wget: $(wc -c < /tmp/got.txt) bytes, $(cmp /tmp/got.txt page.txt && echo the same)"
(nc -l -p 9000 > /tmp/nc.txt) &
sleep 1
echo "through nc" | nc 127.0.0.1 9000
wait
echo "nc: $(cat /tmp/nc.txt)"
SCRIPT
chmod 755 "$extra/x/net.sh"
boot "$hard_stop" '; powering off$|^panic' --append "init=/x/net.sh" --extra-rootfs "$extra"
expect '^lo +Link encap:Local Loopback' "ifconfig lo: the loopback interface"
expect '^ +inet addr:127\.0\.0\.1 +Mask:255\.0\.0\.0$' "ifconfig lo: its address and mask"
expect '^ +UP LOOPBACK RUNNING +MTU:65536 +Metric:1$' "ifconfig lo: its flags"
expect '^ face \|bytes +packets' "/proc/net/dev: Linux's header"
expect '^ +lo: +[0-9]+ +[0-9]+ ' "/proc/net/dev: lo's line"
expect '^Kernel IP routing table$' "route -n reads /proc/net/route"
expect '^wget: 108894 bytes, the same$' "httpd serves a file wget fetches byte-identical"
expect '^nc: through nc$' "nc from one process to another"
expect '^init exited with status 0; powering off$' "the script ended"
expect_none 'panic|killed by SIG|hung' "no panic, no crash, no hang"
finish
