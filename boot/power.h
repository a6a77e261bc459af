/* Ending the machine. */
#ifndef NAPKIN_POWER_H
#define NAPKIN_POWER_H
#define EXIT_FAULT 3
/* Exit code to the emulator (v86 and QEMU's isa-debug-exit use port 0xF4),
 * then ACPI poweroff where QEMU offers it, else a clean halt. */
void machine_stop(int code) __attribute__((noreturn));
void machine_reboot(void) __attribute__((noreturn));
#endif
