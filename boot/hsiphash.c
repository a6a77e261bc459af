/*
 * HalfSipHash-2-4 with a 32-bit output (Aumasson and Bernstein's SipHash on
 * 32-bit words, Linux's hsiphash). The stack keys it with its secret for
 * initial sequence numbers and SYN cookies, so a SYN flood runs it twice per
 * SYN: in guest JavaScript, where sums overflow into doubles, that was 40% of
 * the cost of answering a SYN. net/socket/hsiphash.ts has the same function
 * in JS for the host, and this one must agree with it bit for bit.
 */
#include "hsiphash.h"

#define ROTL(x, b) (uint32_t)(((x) << (b)) | ((x) >> (32 - (b))))

#define SIPROUND                 \
    do {                         \
        v0 += v1;                \
        v1 = ROTL(v1, 5);        \
        v1 ^= v0;                \
        v0 = ROTL(v0, 16);       \
        v2 += v3;                \
        v3 = ROTL(v3, 8);        \
        v3 ^= v2;                \
        v0 += v3;                \
        v3 = ROTL(v3, 7);        \
        v3 ^= v0;                \
        v2 += v1;                \
        v1 = ROTL(v1, 13);       \
        v1 ^= v2;                \
        v2 = ROTL(v2, 16);       \
    } while (0)

uint32_t hsiphash_4u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k0, uint32_t k1) {
    uint32_t v0 = k0, v1 = k1, v2 = 0x6c796765 ^ k0, v3 = 0x74656462 ^ k1;
    /* The four words, then the length word (16 bytes, none left over): each in, two rounds, in again. */
    const uint32_t words[5] = {a, b, c, d, 16u << 24};
    for (int i = 0; i < 5; i++) {
        v3 ^= words[i];
        SIPROUND;
        SIPROUND;
        v0 ^= words[i];
    }
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v1 ^ v3;
}

int hsiphash_selftest(void) {
    /* vectors_hsip32[16] of the reference code: key 00..07, message 00..0f. */
    return hsiphash_4u32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x03020100, 0x07060504) == 0x84acb5d9 ? 0 : -1;
}
