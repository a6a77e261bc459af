/*
 * RFC 1071: the ones' complement sum of big-endian 16-bit words, folded.
 * The sum does not depend on byte order (RFC 1071 section 2(B)): add the
 * bytes as little-endian 32-bit words, fold, and swap the two bytes of the
 * result once. An odd last byte is the high byte of a big-endian word padded
 * with zero: in little-endian order, the low byte.
 *
 * Bulk receive at a large MTU spends a third of its time here, so the main
 * loop is an add-with-carry chain over 32 bytes a turn, as Linux's
 * csum_partial for i386 has it: the carry of each add goes into the next,
 * and neither lea nor dec touches the carry flag between turns.
 */
#include "checksum.h"
#include <string.h>

static uint32_t sum_blocks(const uint8_t **pp, uint32_t blocks) {
    uint32_t sum = 0;
    const uint8_t *p = *pp;
    __asm__("clc\n"
            "1:\n\t"
            "adcl 0(%[p]), %[sum]\n\t"
            "adcl 4(%[p]), %[sum]\n\t"
            "adcl 8(%[p]), %[sum]\n\t"
            "adcl 12(%[p]), %[sum]\n\t"
            "adcl 16(%[p]), %[sum]\n\t"
            "adcl 20(%[p]), %[sum]\n\t"
            "adcl 24(%[p]), %[sum]\n\t"
            "adcl 28(%[p]), %[sum]\n\t"
            "leal 32(%[p]), %[p]\n\t"
            "decl %[blocks]\n\t"
            "jnz 1b\n\t"
            "adcl $0, %[sum]"
            : [sum] "+r"(sum), [p] "+r"(p), [blocks] "+r"(blocks)
            : "m"(*(const uint8_t(*)[])p)
            : "cc");
    *pp = p;
    return sum;
}

uint16_t inet_sum(const uint8_t *p, uint32_t n) {
    uint64_t sum = 0;
    if (n >= 32) {
        sum = sum_blocks(&p, n / 32);
        n %= 32;
    }
    for (; n >= 4; p += 4, n -= 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        sum += w;
    }
    if (n >= 2) {
        sum += (uint32_t)(p[0] | p[1] << 8);
        p += 2, n -= 2;
    }
    if (n) sum += p[0];
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)(sum >> 8 | sum << 8);
}

/* The checksum as RFC 1071 spells it: big-endian pairs, one at a time. */
static uint16_t reference_sum(const uint8_t *p, uint32_t n) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)sum;
}

int checksum_selftest(void) {
    /* Every length up to two 32-byte turns and a tail, at every alignment. */
    static uint8_t bytes[3 + 72];
    for (uint32_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)(0xff - i * 7); /* carries on every word */
    for (uint32_t offset = 0; offset < 4; offset++)
        for (uint32_t n = 0; n + offset <= sizeof bytes && n <= 72; n++)
            if (inet_sum(bytes + offset, n) != reference_sum(bytes + offset, n)) return -1;
    return 0;
}
