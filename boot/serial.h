/* COM1, the console. */
#ifndef NAPKIN_SERIAL_H
#define NAPKIN_SERIAL_H
#include <stddef.h>

#define COM1 0x3F8
#define COM1_IRQ 4

void serial_init(void);
void serial_write(const char *s, size_t n);
void serial_puts(const char *s);
/* printf to the console; usable anywhere, including fault handlers. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
