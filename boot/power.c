#include "power.h"
#include "io.h"
#include "serial.h"
#include "timer.h"

void machine_stop(int code) {
    outb(0xF4, (uint8_t)code);
    outw(0x604, 0x2000); /* QEMU's ACPI PM1a control: S5 */
    serial_puts("napkin: system halted\n");
    for (;;) __asm__ volatile("cli; hlt");
}

void machine_reboot(void) {
    /* Pulse the CPU reset line through the 8042 keyboard controller. */
    for (int spins = 0; spins < 100000 && (inb(0x64) & 2); spins++)
        cpu_relax();
    outb(0x64, 0xFE);
    /* The reset may take effect a little later (an emulator finishes its
     * time slice first): give it 100 ms. If it did nothing, a triple fault
     * resets any PC. */
    double give_up = clock_now_us() + 100000;
    while (clock_now_us() < give_up)
        cpu_relax();
    static const struct { uint16_t limit; uint32_t base; } __attribute__((packed)) no_idt = { 0, 0 };
    __asm__ volatile("lidt %0; int $3" ::"m"(no_idt));
    for (;;) __asm__ volatile("cli; hlt");
}
