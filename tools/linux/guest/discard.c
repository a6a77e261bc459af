/* discard: the discard service (RFC 863) on TCP and UDP port 9, for the
 * Linux guest of napkin's benchmarks. Everything received is read, so
 * /proc/net/snmp's Udp InDatagrams (counted as the application reads)
 * measures delivery, as napkin's own discard service does. Runs in the
 * background from /init; a fixed table of connections is plenty here. */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define DISCARD_PORT 9
#define MAX_FDS 32

static char buffer[65536];

static int bound_socket(int type)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(DISCARD_PORT) };
	int one = 1;
	int fd = socket(AF_INET, type, 0);
	if (fd < 0) return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return -1;
	if (type == SOCK_STREAM && listen(fd, 8) < 0) return -1;
	return fd;
}

int main(void)
{
	struct pollfd fds[MAX_FDS];
	int count = 2;
	fds[0].fd = bound_socket(SOCK_DGRAM);
	fds[1].fd = bound_socket(SOCK_STREAM);
	if (fds[0].fd < 0 || fds[1].fd < 0) {
		perror("discard");
		return 1;
	}
	for (int i = 0; i < MAX_FDS; i++) fds[i].events = POLLIN;
	for (;;) {
		if (poll(fds, count, -1) < 0) continue;
		for (int i = count - 1; i >= 0; i--) {
			if (!fds[i].revents) continue;
			if (i == 1) {
				int conn = accept(fds[1].fd, NULL, NULL);
				if (conn < 0) continue;
				if (count == MAX_FDS) close(conn);
				else fds[count++].fd = conn;
			} else if (read(fds[i].fd, buffer, sizeof buffer) <= 0 && i > 1) {
				close(fds[i].fd);
				fds[i] = fds[--count];
				fds[i].events = POLLIN;
			}
		}
	}
}
