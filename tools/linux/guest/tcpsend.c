/* tcpsend ADDRESS BYTES: connect to ADDRESS's discard service (TCP port 9),
 * send BYTES bytes in 64 KiB writes, close, and wait for the peer's close so
 * everything has arrived when the command returns. The Linux guest's
 * counterpart of napkin's shell command of the same name. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DISCARD_PORT 9

static char chunk[65536];

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(DISCARD_PORT) };
	struct timespec start, end;
	long long total, sent = 0;
	int fd;
	if (argc != 3 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 || (total = atoll(argv[2])) < 1) {
		fprintf(stderr, "usage: tcpsend ADDRESS BYTES\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("tcpsend");
		return 1;
	}
	while (sent < total) {
		size_t n = total - sent < (long long)sizeof chunk ? (size_t)(total - sent) : sizeof chunk;
		ssize_t w = write(fd, chunk, n);
		if (w < 0) {
			perror("tcpsend: write");
			return 1;
		}
		sent += w;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, chunk, sizeof chunk) > 0) {}
	clock_gettime(CLOCK_MONOTONIC, &end);
	double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
	printf("tcpsend: %lld bytes in %.3f s (%.1f kbit/s)\n", sent, seconds, sent * 8 / seconds / 1e3);
	return 0;
}
