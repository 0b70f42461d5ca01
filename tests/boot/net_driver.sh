#!/usr/bin/env bash
# The virtio-net driver (DEV, docs/net.md, The driver) from NET's place: net_driver runs
# as PID 5 against the driver on QEMU's user network (run.sh's NIC): QEMU's MAC, ARP
# and DHCP answered, hundreds of frames both ways counted exactly, full-size frames
# intact, bad calls refused with nothing sent, a caller that is not NET refused; the
# driver ended with frames in flight and started again as RS would, counters kept. Then
# the NIC on legacy virtio-mmio, which the driver does not drive: one line, and -ENODEV.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \(net_driver\): (exit status -?[0-9]+|.*killed)$'

echo "== the driver from NET's place"
boot "$hard_stop" "$exits" --append run=virtio_net,net_driver,net_driver_other
expect '^virtio_net: eth0 52:54:00:12:34:56, link up, queues of 128 and 128, generation 1; since the first start 0 received, 0 sent, 0 dropped$' \
	"the driver starts the device: QEMU's MAC, the link up, both queues"
expect_checks net_driver <<'CHECKS'
INFO gives QEMU's MAC 52:54:00:12:34:56, MTU 1500, the link up
SEND of a record with a bad length is -EINVAL
SEND of a record running past the batch's length is -EINVAL
SEND of more records than the batch holds is -EINVAL
SEND from an unmapped address is -EFAULT
RECEIVE into less than a whole largest record is -EINVAL
a call of the wrong length is -EINVAL
an unknown call is -ENOSYS
refused calls send nothing
SEND of an ARP request for 10.0.2.2 takes it
RECEIVE to an unmapped address while a frame waits is -EFAULT
QEMU's ARP reply: 10.0.2.2 is at 52:55:0a:00:02:02, to 10.0.2.15 at our MAC
SEND of a DHCPDISCOVER takes it
QEMU's DHCP server offers 10.0.2.15
300 ARP requests in batches of 50, 300 replies
the driver counts every frame sent and received, none dropped
64 ICMP echo requests of 1514-byte frames go out
64 echo replies of 1514 bytes come back intact
the driver, ended with frames in flight, starts again as generation 2
the new instance says it serves, and keeps the counters
after the restart an ARP request is answered
CHECKS
expect_count '^net_driver: .*: FAILED$' 0 "no check failed"
expect '^net_driver: 0 failures$' "net_driver: 0 failures"
expect '^virtio_net: eth0 52:54:00:12:34:56, .*generation 2; since the first start [0-9]+ received, 416 sent, 0 dropped$' \
	"the restarted driver resets and starts the device again, the counters kept"
expect '^net_driver_other: pid [0-9]+: INFO -1, SEND -1, RECEIVE -1$' \
	"a caller that is not NET is refused -EPERM whatever it asks"
expect "^proc [0-9]+ \\(net_driver\\): exit status 0$" "net_driver exited with status 0"
expect_none 'panic|killed' "nothing panicked or was killed"

echo "== the NIC on legacy virtio-mmio"
boot "$hard_stop" "$exits" --append run=virtio_net,net_driver -- -global virtio-mmio.force-legacy=true
expect '^virtio_net: 1 network device\(s\) on legacy virtio-mmio only: start QEMU with -global virtio-mmio.force-legacy=false$' \
	"the driver says in one line why it drives nothing"
expect '^net_driver: INFO: -ENODEV, the machine has no network device$' \
	"and serves all the same: INFO is -ENODEV"
expect_none 'panic|killed' "nothing panicked or was killed"
finish
