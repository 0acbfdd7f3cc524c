// SPDX-License-Identifier: GPL-2.0
/*
 * echo_flood: what a userspace prober costs, for tests/bench/scale.
 *
 *   echo_flood SRC FIRST_DST COUNT RATE SECONDS
 *
 * Sends RATE ICMP echoes a second (a fraction is fine: 0.05 is one every
 * 20 s) to each of COUNT addresses from FIRST_DST up, from SRC, for SECONDS, spread evenly over each second and
 * batched with sendmmsg(), the cheapest a userspace prober can be. Reads
 * the replies as they come. Prints one line: "sent N answered N user_us N
 * sys_us N", the CPU times being its own.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SLOTS_PER_SEC 100

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned long long tv_us(const struct timeval *tv)
{
	return (unsigned long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static uint16_t csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	if (len)
		sum += *(const uint8_t *)w;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return ~sum;
}

/* Everything that arrived so far, without waiting. */
static unsigned long drain(int fd, uint16_t id)
{
	static char bufs[BATCH][256];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long n = 0;
	int i, got;

	for (;;) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0)
			return n;
		for (i = 0; i < got; i++) {
			struct iphdr *ip = (struct iphdr *)bufs[i];
			struct icmphdr *ic;

			if (msgs[i].msg_len < sizeof(*ip) + sizeof(*ic))
				continue;
			ic = (struct icmphdr *)(bufs[i] + ip->ihl * 4);
			if (ic->type == ICMP_ECHOREPLY && ic->un.echo.id == id)
				n++;
		}
	}
}

int main(int argc, char **argv)
{
	static struct icmphdr pkts[BATCH];
	static struct sockaddr_in dsts[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0, answered = 0, count, total, i;
	struct sockaddr_in src = { .sin_family = AF_INET };
	uint32_t first;
	uint16_t id = getpid() & 0xffff, seq = 0;
	uint64_t start, slot_ns;
	double rate, secs;
	struct rusage ru;
	int fd, k;

	if (argc != 6 || inet_pton(AF_INET, argv[1], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[2], &first) != 1) {
		fprintf(stderr, "usage: echo_flood SRC FIRST_DST COUNT RATE SECONDS\n");
		return 2;
	}
	count = strtoul(argv[3], NULL, 0);
	rate = strtod(argv[4], NULL);
	secs = strtod(argv[5], NULL);
	if (!count || !(rate > 0) || !(secs > 0)) {
		fprintf(stderr, "echo_flood: COUNT, RATE and SECONDS must be > 0\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		perror("echo_flood: socket");
		return 1;
	}
	k = 16 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &k, sizeof(k));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &k, sizeof(k));

	total = count * rate * secs + 0.5;
	slot_ns = 1000000000ull / SLOTS_PER_SEC;
	start = now_ns();
	for (i = 0; i < total;) {
		/* Where the schedule says we should be by now. */
		uint64_t due = (now_ns() - start) / slot_ns + 1;
		unsigned long goal = due * count * rate / SLOTS_PER_SEC;

		/* Behind schedule (the CPU is short), it sends all that is due. */

		if (goal > total)
			goal = total;
		while (i < goal) {
			int n = 0;

			for (; n < BATCH && i < goal; n++, i++) {
				uint32_t dst = ntohl(first) + i % count;

				memset(&pkts[n], 0, sizeof(pkts[n]));
				pkts[n].type = ICMP_ECHO;
				pkts[n].un.echo.id = id;
				pkts[n].un.echo.sequence = htons(++seq);
				pkts[n].checksum = csum(&pkts[n], sizeof(pkts[n]));
				dsts[n].sin_family = AF_INET;
				dsts[n].sin_addr.s_addr = htonl(dst);
				iov[n].iov_base = &pkts[n];
				iov[n].iov_len = sizeof(pkts[n]);
				memset(&msgs[n], 0, sizeof(msgs[n]));
				msgs[n].msg_hdr.msg_name = &dsts[n];
				msgs[n].msg_hdr.msg_namelen = sizeof(dsts[n]);
				msgs[n].msg_hdr.msg_iov = &iov[n];
				msgs[n].msg_hdr.msg_iovlen = 1;
			}
			k = sendmmsg(fd, msgs, n, 0);
			if (k > 0)
				sent += k;
			else if (errno != ENOBUFS && errno != EAGAIN)
				perror("echo_flood: sendmmsg");
			answered += drain(fd, id);
		}
		answered += drain(fd, id);
		usleep(1000);
	}
	/* The last replies are in flight. */
	for (k = 0; k < 50; k++) {
		usleep(10000);
		answered += drain(fd, id);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("sent %lu answered %lu user_us %llu sys_us %llu\n", sent,
	       answered, tv_us(&ru.ru_utime), tv_us(&ru.ru_stime));
	return 0;
}
