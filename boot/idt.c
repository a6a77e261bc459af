/*
 * The IDT and the first stop of every trap: CPU exceptions go to the fault
 * reporter, hardware IRQs to the hard-IRQ stub in irq.c (the RTC's, which
 * only the profiler turns on, to the profiler), int 0x80 to the syscall shim.
 */
#include "cpu.h"
#include "irq.h"
#include "profile.h"

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type; /* 0x8E: present, ring 0, 32-bit interrupt gate */
    uint16_t offset_high;
};

struct __attribute__((packed)) idt_pointer {
    uint16_t limit;
    uint32_t base;
};

static struct idt_gate idt[256];

#define STUB(n) extern void isr##n(void);
#define STUBS8(a, b, c, d, e, f, g, h) STUB(a) STUB(b) STUB(c) STUB(d) STUB(e) STUB(f) STUB(g) STUB(h)
STUBS8(0, 1, 2, 3, 4, 5, 6, 7)
STUBS8(8, 9, 10, 11, 12, 13, 14, 15)
STUBS8(16, 17, 18, 19, 20, 21, 22, 23)
STUBS8(24, 25, 26, 27, 28, 29, 30, 31)
STUBS8(32, 33, 34, 35, 36, 37, 38, 39)
STUBS8(40, 41, 42, 43, 44, 45, 46, 47)
STUB(128)

static void (*const stubs[48])(void) = {
    isr0, isr1, isr2, isr3, isr4, isr5, isr6, isr7, isr8, isr9, isr10, isr11,
    isr12, isr13, isr14, isr15, isr16, isr17, isr18, isr19, isr20, isr21, isr22, isr23,
    isr24, isr25, isr26, isr27, isr28, isr29, isr30, isr31, isr32, isr33, isr34, isr35,
    isr36, isr37, isr38, isr39, isr40, isr41, isr42, isr43, isr44, isr45, isr46, isr47,
};

static void set_gate(int vector, void (*handler)(void)) {
    uint32_t a = (uint32_t)handler;
    idt[vector] = (struct idt_gate){ a & 0xFFFF, KERNEL_CS, 0, 0x8E, a >> 16 };
}

void idt_init(void) {
    for (int v = 0; v < 48; v++) set_gate(v, stubs[v]);
    set_gate(0x80, isr128);
    struct idt_pointer p = { sizeof(idt) - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" ::"m"(p));
}

void trap_dispatch(struct trap_frame *frame) {
    if (frame->vector < 32)
        fault_report(frame);
    else if (frame->vector == 32 + IRQ_RTC)
        profile_interrupt(frame);
    else if (frame->vector < 48)
        irq_hard(frame->vector - 32);
    else if (frame->vector == 0x80)
        frame->eax = (uint32_t)syscall_dispatch(frame);
}
