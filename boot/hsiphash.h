/* HalfSipHash-2-4, 32-bit output: TCP's keyed hash (net/socket/hsiphash.ts). */
#ifndef NAPKIN_HSIPHASH_H
#define NAPKIN_HSIPHASH_H

#include <stdint.h>

/* The hash of the 16 bytes that a, b, c, d make in little-endian order, under the key (k0, k1). */
uint32_t hsiphash_4u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k0, uint32_t k1);

/* Run once at boot: 0 if the hash gives the reference implementation's answer. */
int hsiphash_selftest(void);

#endif
