// Instructions the guest executes per MiB it receives over TCP from the host
// (tcp_host_to_guest_instr_per_mib), as an unmodified musl program receives them.
// tools/bench.sh forwards a host port to PORT (boot/run.sh --hostfwd) and, once this
// program says it listens, sends MIBS MiB (tools/bench_send.py) and closes. Counted:
// instructions_retired() (bench.h), every CPU's from the accept to the end of the stream,
// the kernel's, the servers' and the driver's work with the program's, and not the
// clock's jumps while the guest waits for the host. eth0 gets QEMU's guest address by
// hand: Linux's initramfs configures nothing; on XINIM it ends DHCP, which may not have
// answered yet.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "bench.h"

#define PORT 7778
#define MIBS 8

static int set_address(int s, unsigned long request, const char *address)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in in = { .sin_family = AF_INET };
	strcpy(ifr.ifr_name, "eth0");
	inet_pton(AF_INET, address, &in.sin_addr);
	memcpy(&ifr.ifr_addr, &in, sizeof(in));
	return ioctl(s, request, &ifr);
}

static int eth0_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "eth0");
	int failed = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	failed = failed || ioctl(s, SIOCSIFFLAGS, &ifr) ||
		 set_address(s, SIOCSIFADDR, "10.0.2.15") ||
		 set_address(s, SIOCSIFNETMASK, "255.255.255.0");
	close(s);
	if (failed)
		perror("bench_net_host: eth0");
	return failed;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	bench_pin(0);
	if (eth0_up())
		return 1;
	struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(l, (struct sockaddr *)&at, sizeof(at)) || listen(l, 1)) {
		perror("bench_net_host: listen");
		return 1;
	}
	printf("bench_net_host: listening on port %d for %d MiB\n", PORT, MIBS);
	fflush(stdout);
	int s = accept(l, NULL, NULL);
	if (s < 0) {
		perror("bench_net_host: accept");
		return 1;
	}
	static char buffer[65536];
	uint64_t bytes = 0;
	ssize_t n;
	uint32_t start = instructions_retired();
	while ((n = read(s, buffer, sizeof(buffer))) > 0)
		bytes += n;
	uint32_t instructions = instructions_retired() - start;
	close(s);
	close(l);
	if (n < 0 || bytes != (uint64_t)MIBS << 20) {
		fprintf(stderr, "bench_net_host: %llu bytes, not %d MiB\n", (unsigned long long)bytes,
			MIBS);
		return 1;
	}
	printf("bench tcp_host_to_guest_instr_per_mib %u instructions (%d MiB)\n",
	       instructions / MIBS, MIBS);
	return 0;
}
