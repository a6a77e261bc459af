/*
 * The GDT: flat 4 GiB code and data segments for ring 0, plus the TLS slot
 * that musl's startup claims through set_thread_area (see syscall.c).
 */
#include "cpu.h"

static uint64_t gdt[8];

struct __attribute__((packed)) gdt_pointer {
    uint16_t limit;
    uint32_t base;
};

static uint64_t segment(uint32_t base, uint32_t limit_pages, uint8_t access) {
    uint64_t d = 0;
    d |= limit_pages & 0xFFFF;
    d |= (uint64_t)(base & 0xFFFFFF) << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)((limit_pages >> 16) & 0xF) << 48;
    d |= (uint64_t)0xC << 52; /* 4 KiB granularity, 32-bit */
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

void gdt_set_tls(int entry, uint32_t base) {
    /* DPL 3: musl loads %gs with RPL 3, and a data segment needs DPL >= RPL. */
    gdt[entry] = segment(base, 0xFFFFF, 0xF2);
}

void gdt_init(void) {
    gdt[1] = segment(0, 0xFFFFF, 0x9A); /* ring 0 code */
    gdt[2] = segment(0, 0xFFFFF, 0x92); /* ring 0 data */
    struct gdt_pointer p = { sizeof(gdt) - 1, (uint32_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%ss\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %%ax, %%gs\n\t"
        :
        : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS)
        : "eax", "memory");
}

void cpu_enable_sse(void) {
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 &= ~(1u << 2); /* EM: no x87 emulation */
    cr0 |= 1u << 1;    /* MP */
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= (1u << 9) | (1u << 10); /* OSFXSR, OSXMMEXCPT: SSE on */
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
    __asm__ volatile("fninit");
}
