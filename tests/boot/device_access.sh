#!/usr/bin/env bash
# Device access for user-space drivers (docs/net.md, Device access): a program whose
# boot-table row names "virtio,mmio" and holds KCAP_DEVICE finds QEMU virt's 32
# transports in the DTB, maps their registers, finds the virtio-net device run.sh adds
# (modern: version 2), takes zeroed DMA memory, binds the interrupt and sees it arrive
# as a notification when the NIC has sent a frame, and bad requests get their errors; the same program without the right is refused every device call.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \(devices_(probe|denied)\): (exit status -?[0-9]+|.*killed)$'

boot_n "$hard_stop" 2 "$exits" --append run=devices_probe,devices_denied
expect '^devices_probe: 32 virtio,mmio devices, the first at a000000 \(512 bytes, irq 48\)$' \
	"the DTB's 32 virtio,mmio nodes, each 512 bytes, the first at 0xa000000 with SPI 16"
expect '^devices_probe: virtio-net \(device id 1, version 2\) is device [0-9]+ at a00[0-9a-f]+, irq [0-9]+$' \
	"the NIC is found by its registers: magic, version 2 (modern), device id 1"
expect '^devices_probe: dma 64 KiB at phys [0-9a-f]+000, zeroed and writable$' \
	"DMA memory has a page-aligned physical address, comes zeroed and is writable"
expect '^devices_probe: sent a 42-byte frame; its interrupt came as bits 100000000 from the kernel$' \
	"the NIC's interrupt (a frame sent) came as a notification from the kernel with the bound bits"
expect '^devices_probe: [0-9]+ checks, 0 wrong$' "every device call and refusal gave its answer"
expect '^devices_probe: without KCAP_DEVICE: 5 calls, 0 not refused$' \
	"a program without the device right is refused every device call"
expect_count 'proc [0-9]+ \(devices_(probe|denied)\): exit status 0$' 2 "both exited with status 0"
expect 'kernel call device_info \(100\) denied, -EPERM: it lacks the device right' \
	"the kernel says once which right the refused program lacks"
expect_none 'panic|killed' "nothing panicked or was killed"
finish
