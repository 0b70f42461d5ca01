// A UDP echo server for tests/boot/net.py (net_udp): `udp_echo PORT` sends each datagram
// that comes to PORT back to its sender, forever.
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in at = { .sin_family = AF_INET,
				  .sin_port = htons(argc > 1 ? atoi(argv[1]) : 7) };
	if (s < 0 || bind(s, (struct sockaddr *)&at, sizeof(at)) != 0) {
		perror("udp_echo");
		return 1;
	}
	printf("udp_echo: listening\n");
	fflush(stdout);
	for (;;) {
		char datagram[2048];
		struct sockaddr_in from;
		socklen_t length = sizeof(from);
		ssize_t n = recvfrom(s, datagram, sizeof(datagram), 0, (struct sockaddr *)&from,
				     &length);
		if (n >= 0)
			sendto(s, datagram, (size_t)n, 0, (struct sockaddr *)&from, length);
	}
}
