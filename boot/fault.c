/*
 * CPU exceptions. There is nothing to recover to in a single-address-space
 * kernel, so a fault is reported in full (vector, error code, registers, and
 * the kernel thread that was running) and the machine stops cleanly: on v86
 * through the exit port, elsewhere by halting.
 */
#include <stdlib.h>
#include "cpu.h"
#include "serial.h"
#include "power.h"
#include "runtime.h"

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 floating point", "alignment check", "machine check",
    "SIMD floating point", "virtualization", "control protection",
};

void fault_report(struct trap_frame *f) {
    const char *name = exception_names[f->vector] ? exception_names[f->vector] : "reserved";
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    kprintf("\n*** napkin: CPU exception %u (%s), error code %#x\n", f->vector, name, f->error_code);
    kprintf("    thread: %s\n", runtime_current_thread());
    kprintf("    eip=%08x cs=%04x eflags=%08x cr2=%08x\n", f->eip, f->cs, f->eflags, cr2);
    kprintf("    eax=%08x ebx=%08x ecx=%08x edx=%08x\n", f->eax, f->ebx, f->ecx, f->edx);
    kprintf("    esi=%08x edi=%08x ebp=%08x esp=%08x\n", f->esi, f->edi, f->ebp, f->esp_at_trap + 20);
    kprintf("    ds=%04x es=%04x fs=%04x gs=%04x\n", f->ds, f->es, f->fs, f->gs);
    kprintf("*** machine stopped\n");
    machine_stop(EXIT_FAULT);
}

void abort(void) {
    kprintf("\n*** napkin: abort() in the runtime, thread: %s\n*** machine stopped\n", runtime_current_thread());
    machine_stop(EXIT_FAULT);
}
