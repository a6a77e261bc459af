/*
 * The 16550 UART on COM1: 115200 8N1, FIFOs on, and the receive interrupt
 * enabled. Output is polled here in C (it is the console, and a fault report
 * must get out with nothing else working); input belongs to the kernel's
 * uart16550 driver, which the receive interrupt wakes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "serial.h"
#include "io.h"

#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20

void serial_init(void) {
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80); /* DLAB: set the divisor */
    outb(COM1 + UART_DATA, 1);   /* 115200 baud */
    outb(COM1 + 1, 0);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    outb(COM1 + UART_FCR, 0xC7); /* FIFOs on and cleared, 14-byte trigger */
    outb(COM1 + UART_MCR, 0x0B); /* DTR, RTS, OUT2 (OUT2 gates the IRQ on a PC) */
    outb(COM1 + UART_IER, 0x01); /* interrupt on received data */
}

static void serial_putc(char c) {
    for (int spins = 0; spins < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); spins++)
        cpu_relax();
    outb(COM1 + UART_DATA, (uint8_t)c);
}

/* A bare "\n" becomes "\r\n", as a terminal needs; an existing "\r\n" is kept. */
void serial_write(const char *s, size_t n) {
    static char previous;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && previous != '\r') serial_putc('\r');
        serial_putc(s[i]);
        previous = s[i];
    }
}

void serial_puts(const char *s) { serial_write(s, strlen(s)); }

void kprintf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
    if (n > 0) serial_write(buf, (size_t)n);
}
