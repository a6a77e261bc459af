/*
 * The kernel's symbol table, as Linux's kallsyms: the image's functions by
 * address, so the profiler can name an EIP. boot/kallsyms.sh generates it
 * from a first link of the image; the Makefile links it into .kallsyms, the
 * image's last section, and checks that no other address moved.
 */
#ifndef NAPKIN_KALLSYMS_H
#define NAPKIN_KALLSYMS_H
#include <stdint.h>

struct kallsyms {
    uint32_t count;
    /* From the start of the table: `count` NUL-terminated names, in order. */
    uint32_t names_offset;
    /* `count` start addresses, ascending, then `count` sizes in bytes. */
    uint32_t symbols[];
};

extern const struct kallsyms kallsyms;
#endif
