/* The CPU tables napkin owns: GDT, IDT, and the frame an interrupt pushes. */
#ifndef NAPKIN_CPU_H
#define NAPKIN_CPU_H
#include <stdint.h>

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define GDT_TLS_ENTRY 6 /* musl's set_thread_area asks for one TLS slot */

/* What isr.S leaves on the stack before calling into C. */
struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_trap, ebx, edx, ecx, eax;
    uint32_t vector, error_code;
    uint32_t eip, cs, eflags;
};

void gdt_init(void);
/* Installs a flat 4 GiB data segment based at `base` into a GDT slot. */
void gdt_set_tls(int entry, uint32_t base);
void idt_init(void);
void cpu_enable_sse(void);

void trap_dispatch(struct trap_frame *frame); /* isr.S calls this */
void fault_report(struct trap_frame *frame);
long syscall_dispatch(struct trap_frame *frame);
#endif
