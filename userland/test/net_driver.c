// The virtio-net driver (DEV, PID 6) as NET sees it, from a program in NET's place
// (boot/boot_table.c: net_driver, PID 5; tests/boot/net_driver.sh), on QEMU's user
// network: the interface's MAC, ARP and DHCP answered by QEMU, hundreds of frames both
// ways counted exactly, full-size frames intact, and every bad call refused with
// nothing sent. A second instance (net_driver_other, any PID) checks that nobody but
// NET is served. Waits are for the driver's notes, never for a time.
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libipc/ipc.h>
#include <xinim/devframes.h>
#include <xinim/runtime.h>

#define ETH_HEADER 14
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define FLOOD_ARPS 300		// ARP requests sent as fast as the driver takes them
#define ECHOES 64		// full-size ICMP echo requests
#define ECHO_DATA 1472		// 1514-byte frames: IP 1500
#define BOOTP_BYTES 548		// BOOTP with its 312 bytes of options (QEMU's minimum)

static const uint8_t qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gateway_mac[6] = { 0x52, 0x55, 10, 0, 2, 2 };	// QEMU's for 10.0.2.2
static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 }, gateway_ip[4] = { 10, 0, 2, 2 };
static const uint8_t any_ip[4], all_ip[4] = { 255, 255, 255, 255 };

static unsigned failures;
static xinim_endpoint_t dev;

static void check(bool ok, const char *what)
{
	print("net_driver: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

static long dev_call(int type, const void *payload, uint16_t length, struct xinim_msg *msg)
{
	*msg = (struct xinim_msg){ .header = { .type = type, .length = length } };
	memcpy(msg->payload, payload, length);
	return ipc_call(dev, msg, XINIM_WAIT_FOREVER);
}

static long dev_info(struct xinim_dev_info *info)
{
	struct xinim_msg msg;
	long result = dev_call(XINIM_DEV_INFO, NULL, 0, &msg);
	memcpy(info, msg.payload, sizeof(*info));
	return result;
}

static long dev_frames(int type, uint64_t at, uint32_t length, uint32_t count,
		       struct xinim_dev_frames *answer)
{
	struct xinim_dev_frames frames = { .at = at, .length = length, .count = count };
	struct xinim_msg msg;
	long result = dev_call(type, &frames, sizeof(frames), &msg);
	if (answer)
		memcpy(answer, msg.payload, sizeof(*answer));
	return result;
}

// Waits for the driver's next note (or any message): frames came, or room to send.
static void await_note(void)
{
	struct ipc_request request;
	ipc_receive(&request, XINIM_WAIT_FOREVER);
}

// The frames being built into a batch to send.
static uint8_t out[XINIM_COPY_MAX];
static size_t out_used;
static unsigned out_count;

static uint8_t *frame_start(const uint8_t *to, uint16_t type)
{
	static uint8_t frame[XINIM_DEV_FRAME_MAX];
	memcpy(frame, to, 6);
	memcpy(frame + 6, qemu_mac, 6);
	frame[12] = (uint8_t)(type >> 8), frame[13] = (uint8_t)type;
	return frame;
}

static void frame_add(const uint8_t *frame, uint16_t length)
{
	if (devframes_write(out, sizeof(out), &out_used, frame, length))
		out_count++;
}

// Sends the batch built, waiting for room as the driver asks; the frames it took.
static unsigned batch_send(void)
{
	unsigned sent = 0;
	size_t at = 0;
	while (sent < out_count) {
		long n = dev_frames(XINIM_DEV_SEND, (uint64_t)(uintptr_t)out + at,
				    (uint32_t)(out_used - at), out_count - sent, NULL);
		if (n < 0)
			break;
		struct devframe_at where[XINIM_COPY_MAX / 64];
		devframes_read(out + at, out_used - at, out_used - at, (unsigned)n, (unsigned)n, where);
		for (long i = 0; i < n; i++)
			at += XINIM_DEV_RECORD(where[i].length);
		sent += (unsigned)n;
		if (sent < out_count)
			await_note();
	}
	out_used = out_count = 0;
	return sent;
}

static uint16_t checksum(const uint8_t *bytes, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)bytes[i] << 8 | bytes[i + 1];
	if (n & 1)
		sum += (uint32_t)bytes[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *at, uint16_t value) { at[0] = (uint8_t)(value >> 8), at[1] = (uint8_t)value; }
static uint16_t get16(const uint8_t *at) { return (uint16_t)(at[0] << 8 | at[1]); }

// ARP: who has 10.0.2.2, tell 10.0.2.15 (RFC 826).
static void arp_request_add(void)
{
	uint8_t *frame = frame_start(broadcast, ETHERTYPE_ARP), *arp = frame + ETH_HEADER;
	static const uint8_t head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };	// Ethernet, IPv4, request
	memcpy(arp, head, sizeof(head));
	memcpy(arp + 8, qemu_mac, 6);
	memcpy(arp + 14, guest_ip, 4);
	memset(arp + 18, 0, 6);
	memcpy(arp + 24, gateway_ip, 4);
	frame_add(frame, ETH_HEADER + 28);
}

// An IPv4 header of protocol with payload bytes after it, checksummed; the payload's start.
static uint8_t *ip_start(uint8_t *frame, uint8_t protocol, const uint8_t *from, const uint8_t *to,
			 uint16_t payload)
{
	uint8_t *ip = frame + ETH_HEADER;
	memset(ip, 0, 20);
	ip[0] = 0x45, ip[8] = 64, ip[9] = protocol;
	put16(ip + 2, (uint16_t)(20 + payload));
	memcpy(ip + 12, from, 4);
	memcpy(ip + 16, to, 4);
	put16(ip + 10, checksum(ip, 20));
	return ip + 20;
}

static uint8_t echo_data(unsigned sequence, unsigned i) { return (uint8_t)(sequence * 31 + i); }

static void echo_request_add(unsigned sequence)
{
	uint8_t *frame = frame_start(gateway_mac, ETHERTYPE_IP);
	uint8_t *icmp = ip_start(frame, 1, guest_ip, gateway_ip, 8 + ECHO_DATA);
	memset(icmp, 0, 8);
	icmp[0] = 8;	// echo request
	put16(icmp + 4, 0x5844);
	put16(icmp + 6, (uint16_t)sequence);
	for (unsigned i = 0; i < ECHO_DATA; i++)
		icmp[8 + i] = echo_data(sequence, i);
	put16(icmp + 2, checksum(icmp, 8 + ECHO_DATA));
	frame_add(frame, ETH_HEADER + 20 + 8 + ECHO_DATA);
}

#define DHCP_XID 0x58494e49u
static void dhcp_discover_add(void)
{
	uint8_t *frame = frame_start(broadcast, ETHERTYPE_IP);
	uint8_t *udp = ip_start(frame, 17, any_ip, all_ip, 8 + BOOTP_BYTES), *bootp = udp + 8;
	put16(udp, 68), put16(udp + 2, 67), put16(udp + 4, 8 + BOOTP_BYTES), put16(udp + 6, 0);
	memset(bootp, 0, BOOTP_BYTES);
	bootp[0] = 1, bootp[1] = 1, bootp[2] = 6;	// request, Ethernet
	put16(bootp + 4, DHCP_XID >> 16), put16(bootp + 6, DHCP_XID & 0xffff);
	memcpy(bootp + 28, qemu_mac, 6);
	static const uint8_t options[] = { 99, 130, 83, 99, 53, 1, 1, 255 };	// DISCOVER
	memcpy(bootp + 236, options, sizeof(options));
	frame_add(frame, ETH_HEADER + 20 + 8 + BOOTP_BYTES);
}

// What came back, frame by frame.
static struct {
	unsigned frames, arp_replies, arp_wrong, offers, echoes, echoes_wrong;
} got;

static void arp_seen(const uint8_t *arp, uint16_t length)
{
	if (length < 28 || get16(arp + 6) != 2)
		return;
	if (memcmp(arp + 8, gateway_mac, 6) || memcmp(arp + 14, gateway_ip, 4) ||
	    memcmp(arp + 18, qemu_mac, 6) || memcmp(arp + 24, guest_ip, 4))
		got.arp_wrong++;
	else
		got.arp_replies++;
}

static void ip_seen(const uint8_t *ip, uint16_t length)
{
	if (length < 20 + 8)
		return;
	const uint8_t *l4 = ip + 4 * (ip[0] & 15);
	uint16_t l4_bytes = (uint16_t)(get16(ip + 2) - 4 * (ip[0] & 15));
	if (ip[9] == 17 && get16(l4) == 67 && get16(l4 + 2) == 68 && l4_bytes >= 8 + 240 + 3) {
		const uint8_t *bootp = l4 + 8;
		uint32_t xid = (uint32_t)get16(bootp + 4) << 16 | get16(bootp + 6);
		bool offer = bootp[240] == 53 && bootp[242] == 2;	// QEMU puts the type first
		got.offers += xid == DHCP_XID && offer && !memcmp(bootp + 16, guest_ip, 4);
	} else if (ip[9] == 1 && l4[0] == 0 && l4_bytes == 8 + ECHO_DATA) {
		unsigned sequence = get16(l4 + 6), wrong = 0;
		for (unsigned i = 0; i < ECHO_DATA; i++)
			wrong += l4[8 + i] != echo_data(sequence, i);
		wrong ? got.echoes_wrong++ : got.echoes++;
	}
}

static void frame_seen(const uint8_t *frame, uint16_t length)
{
	got.frames++;
	uint16_t type = get16(frame + 12);
	if (type == ETHERTYPE_ARP)
		arp_seen(frame + ETH_HEADER, length - ETH_HEADER);
	else if (type == ETHERTYPE_IP && length >= ETH_HEADER + 20)
		ip_seen(frame + ETH_HEADER, length - ETH_HEADER);
}

// Fetches every frame waiting; how many calls returned some.
static uint8_t in[XINIM_COPY_MAX];
static void receive_all(void)
{
	struct xinim_dev_frames answer;
	long n;
	while ((n = dev_frames(XINIM_DEV_RECEIVE, (uint64_t)(uintptr_t)in, sizeof(in), 0, &answer)) > 0) {
		static struct devframe_at where[XINIM_COPY_MAX / 20];
		long read = devframes_read(in, answer.length, answer.length, (unsigned)n, (unsigned)n,
					   where);
		if (read != n)
			failures++, print("net_driver: a batch received does not read back (%ld)\n", read);
		for (long i = 0; i < read; i++)
			frame_seen(in + where[i].offset, where[i].length);
	}
}

// Receives until *count reaches want (waiting for the driver's notes between).
static void receive_until(const unsigned *count, unsigned want)
{
	for (;;) {
		receive_all();
		if (*count >= want)
			return;
		await_note();
	}
}

static void check_info(struct xinim_dev_info *info)
{
	long result = dev_info(info);
	print("net_driver: INFO %ld: mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, link %u\n", result,
	      info->mac[0], info->mac[1], info->mac[2], info->mac[3], info->mac[4], info->mac[5],
	      info->mtu, info->link_up);
	check(result == 0 && !memcmp(info->mac, qemu_mac, 6) && info->mtu == 1500 && info->link_up,
	      "INFO gives QEMU's MAC 52:54:00:12:34:56, MTU 1500, the link up");
}

// Bad calls, each refused; the driver's counters say nothing went out.
static void check_refusals(void)
{
	struct xinim_dev_info before, after;
	dev_info(&before);
	uint64_t at = (uint64_t)(uintptr_t)out;
	arp_request_add();
	struct xinim_dev_frame *head = (struct xinim_dev_frame *)out;
	size_t good = out_used;
	static const struct { uint16_t length; const char *what; } bad[] = {
		{ 0, "a frame of 0 bytes" },
		{ DEVFRAME_MIN - 1, "a frame shorter than an Ethernet header" },
		{ XINIM_DEV_FRAME_MAX + 1, "a frame of 1515 bytes" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		head->length = bad[i].length;
		long result = dev_frames(XINIM_DEV_SEND, at, XINIM_COPY_MAX, 1, NULL);
		print("net_driver: SEND of %s: %ld\n", bad[i].what, result);
		check(result == -EINVAL, "SEND of a record with a bad length is -EINVAL");
	}
	head->length = 42;
	check(dev_frames(XINIM_DEV_SEND, at, sizeof(*head) + 42 - 1, 1, NULL) == -EINVAL,
	      "SEND of a record running past the batch's length is -EINVAL");
	check(dev_frames(XINIM_DEV_SEND, at, (uint32_t)good, 2, NULL) == -EINVAL,
	      "SEND of more records than the batch holds is -EINVAL");
	check(dev_frames(XINIM_DEV_SEND, 16, (uint32_t)good, 1, NULL) == -EFAULT,
	      "SEND from an unmapped address is -EFAULT");
	check(dev_frames(XINIM_DEV_RECEIVE, (uint64_t)(uintptr_t)in, 1000, 0, NULL) == -EINVAL,
	      "RECEIVE into less than a whole largest record is -EINVAL");
	struct xinim_msg msg;
	check(dev_call(XINIM_DEV_SEND, out, 8, &msg) == -EINVAL, "a call of the wrong length is -EINVAL");
	check(dev_call(XINIM_DEV_MSG_END, NULL, 0, &msg) == -ENOSYS, "an unknown call is -ENOSYS");
	out_used = out_count = 0;
	dev_info(&after);
	check(after.sent == before.sent && after.dropped == before.dropped,
	      "refused calls send nothing");
}

// An ARP request for the gateway, and QEMU's reply; a RECEIVE with a bad address while
// the reply waits leaves it there.
static void check_arp(void)
{
	arp_request_add();
	check(batch_send() == 1, "SEND of an ARP request for 10.0.2.2 takes it");
	while (got.arp_replies + got.arp_wrong == 0) {
		await_note();
		long bad = dev_frames(XINIM_DEV_RECEIVE, 16, sizeof(in), 0, NULL);
		if (bad == 0)
			continue;	// a note of something else
		check(bad == -EFAULT, "RECEIVE to an unmapped address while a frame waits is -EFAULT");
		receive_all();
	}
	check(got.arp_replies == 1 && !got.arp_wrong,
	      "QEMU's ARP reply: 10.0.2.2 is at 52:55:0a:00:02:02, to 10.0.2.15 at our MAC");
}

static void check_dhcp(void)
{
	dhcp_discover_add();
	check(batch_send() == 1, "SEND of a DHCPDISCOVER takes it");
	receive_until(&got.offers, 1);
	check(got.offers == 1, "QEMU's DHCP server offers 10.0.2.15");
}

// Many frames both ways: every request answered, and the driver's counters agree with
// what was sent and received, none dropped.
static void check_flood(void)
{
	struct xinim_dev_info before, after;
	dev_info(&before);
	unsigned frames_before = got.frames, replies_before = got.arp_replies, sent = 0;
	for (unsigned i = 0; i < FLOOD_ARPS; i++) {
		arp_request_add();
		if (out_count == 50 || i + 1 == FLOOD_ARPS) {
			sent += batch_send();
			receive_all();
		}
	}
	receive_until(&got.arp_replies, replies_before + FLOOD_ARPS);
	dev_info(&after);
	unsigned received = got.frames - frames_before;
	print("net_driver: flood: %u ARP requests sent, %u replies; driver: %lu sent, %lu received, "
	      "%lu dropped\n", sent, got.arp_replies - replies_before,
	      (unsigned long)(after.sent - before.sent), (unsigned long)(after.received - before.received),
	      (unsigned long)(after.dropped - before.dropped));
	check(sent == FLOOD_ARPS && got.arp_replies - replies_before == FLOOD_ARPS && !got.arp_wrong,
	      "300 ARP requests in batches of 50, 300 replies");
	check(after.sent - before.sent == FLOOD_ARPS && after.received - before.received == received &&
	      after.dropped == before.dropped, "the driver counts every frame sent and received, none dropped");
}

static void check_echoes(void)
{
	unsigned sent = 0;
	for (unsigned i = 0; i < ECHOES; i++) {
		echo_request_add(i);
		if (out_count == ECHOES / 2 || i + 1 == ECHOES)
			sent += batch_send();
	}
	check(sent == ECHOES, "64 ICMP echo requests of 1514-byte frames go out");
	receive_until(&got.echoes, ECHOES);
	check(got.echoes == ECHOES && !got.echoes_wrong, "64 echo replies of 1514 bytes come back intact");
}

// As RS would after a death: the driver ended with replies in flight, then started again
// from its boot image. The new instance resets the device, says it serves, keeps the
// counters and works; what was in flight is lost, nothing else.
static void check_restart(void)
{
	struct xinim_dev_info before, after;
	dev_info(&before);
	for (unsigned i = 0; i < 50; i++)
		arp_request_add();
	unsigned sent = batch_send();
	long ended = xinim_kcall(KCALL_PROC_END, dev, 0), restarted;
	unsigned tries = 0;
	while ((restarted = xinim_kcall(KCALL_PROC_RESTART, XINIM_PID_DEV, 0)) == -EBUSY &&
	       ++tries < 1000000)
		debug_yield();	// until the old instance is gone whole
	print("net_driver: driver ended (%ld) with %u requests sent, restarted as %lx\n", ended, sent,
	      (unsigned long)restarted);
	check(ended == 0 && restarted > 0 && xinim_endpoint_generation((xinim_endpoint_t)restarted) == 2,
	      "the driver, ended with frames in flight, starts again as generation 2");
	struct ipc_request note;
	bool serving = false;
	while (!serving && ipc_receive(&note, XINIM_WAIT_FOREVER) == 0) {
		struct xinim_notification n;
		memcpy(&n, note.msg.payload, sizeof(n));
		serving = note.msg.header.type == XINIM_MSG_NOTIFY &&
			  n.from == (xinim_endpoint_t)restarted && (n.bits & XINIM_NOTE_SERVING);
	}
	dev = (xinim_endpoint_t)restarted;
	check(dev_info(&after) == 0 && after.sent == before.sent + sent &&
	      after.received == before.received && after.dropped == before.dropped,
	      "the new instance says it serves, and keeps the counters");
	unsigned replies = got.arp_replies;
	arp_request_add();
	batch_send();
	receive_until(&got.arp_replies, replies + 1);
	check(!got.arp_wrong, "after the restart an ARP request is answered");
}

// Anyone but NET: refused, whatever it asks.
static int other_caller(void)
{
	struct xinim_dev_info info;
	long info_result = dev_info(&info);
	long send = dev_frames(XINIM_DEV_SEND, (uint64_t)(uintptr_t)out, sizeof(out), 1, NULL);
	long receive = dev_frames(XINIM_DEV_RECEIVE, (uint64_t)(uintptr_t)in, sizeof(in), 0, NULL);
	print("net_driver_other: pid %u: INFO %ld, SEND %ld, RECEIVE %ld\n",
	      xinim_endpoint_pid(ipc_self()), info_result, send, receive);
	return info_result != -EPERM || send != -EPERM || receive != -EPERM;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long live = ipc_lookup(XINIM_PID_DEV);
	if (live < 0) {
		print("net_driver: no driver (%ld)\n", live);
		return 1;
	}
	dev = (xinim_endpoint_t)live;
	if (xinim_endpoint_pid(ipc_self()) != XINIM_PID_NET)
		return other_caller();
	struct xinim_dev_info info;
	if (dev_info(&info) == -ENODEV) {
		print("net_driver: INFO: -ENODEV, the machine has no network device\n");
		return 0;
	}
	check_info(&info);
	check_refusals();
	check_arp();
	check_dhcp();
	check_flood();
	check_echoes();
	check_restart();
	print("net_driver: %u failures\n", failures);
	return failures != 0;
}
