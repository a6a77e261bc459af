/* The Internet checksum's sum (RFC 1071), as the stack's native helper needs it. */
#ifndef NAPKIN_CHECKSUM_H
#define NAPKIN_CHECKSUM_H

#include <stdint.h>

/* The ones' complement sum of the n bytes at p as big-endian 16-bit words, folded to 16 bits. */
uint16_t inet_sum(const uint8_t *p, uint32_t n);

/* Run once at boot: 0 if inet_sum agrees with a plain byte-pair loop at every alignment and length tried. */
int checksum_selftest(void);

#endif
