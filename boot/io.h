/* x86 port I/O, the primitive every device driver is built on. */
#ifndef NAPKIN_IO_H
#define NAPKIN_IO_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* rep ins/outs: the string forms, count in units of the access width. */
static inline void insb(uint16_t port, void *dst, uint32_t n) { __asm__ volatile("rep insb" : "+D"(dst), "+c"(n) : "d"(port) : "memory"); }
static inline void insw(uint16_t port, void *dst, uint32_t n) { __asm__ volatile("rep insw" : "+D"(dst), "+c"(n) : "d"(port) : "memory"); }
static inline void insl(uint16_t port, void *dst, uint32_t n) { __asm__ volatile("rep insl" : "+D"(dst), "+c"(n) : "d"(port) : "memory"); }
static inline void outsb(uint16_t port, const void *src, uint32_t n) { __asm__ volatile("rep outsb" : "+S"(src), "+c"(n) : "d"(port) : "memory"); }
static inline void outsw(uint16_t port, const void *src, uint32_t n) { __asm__ volatile("rep outsw" : "+S"(src), "+c"(n) : "d"(port) : "memory"); }
static inline void outsl(uint16_t port, const void *src, uint32_t n) { __asm__ volatile("rep outsl" : "+S"(src), "+c"(n) : "d"(port) : "memory"); }

static inline uint64_t rdtsc(void) { uint64_t v; __asm__ volatile("rdtsc" : "=A"(v)); return v; }
static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline uint32_t irq_save(void) { uint32_t f; __asm__ volatile("pushf; pop %0; cli" : "=r"(f)::"memory"); return f; }
static inline void irq_restore(uint32_t f) { __asm__ volatile("push %0; popf" ::"r"(f) : "memory", "cc"); }

#endif
