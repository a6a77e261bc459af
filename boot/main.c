/*
 * boot_main: from the multiboot handoff to the TypeScript kernel.
 * Order matters: our own GDT before anything touches a segment, the IDT
 * before any interrupt can arrive, memory before musl's startup (which
 * mallocs), and the clock before QuickJS (whose Date needs it).
 */
#include <stdint.h>
#include <string.h>
#include "cpu.h"
#include "checksum.h"
#include "hsiphash.h"
#include "irq.h"
#include "mem.h"
#include "profile.h"
#include "runtime.h"
#include "serial.h"
#include "timer.h"
#include "walltime.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void), void (*ldso)(void));

static char cmdline[1024];

/* musl's startup wants a process stack: argv, envp, then the aux vector. */
static char *start_stack[] = { "napkin", NULL, NULL, (char *)6 /* AT_PAGESZ */, (char *)4096, NULL, NULL };

/* Whether the command line holds `word` as a whole word. */
static int cmdline_has(const char *word) {
    size_t n = strlen(word);
    for (const char *p = cmdline; (p = strstr(p, word)) != NULL; p += n)
        if ((p == cmdline || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) return 1;
    return 0;
}

static int kernel_main_c(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    runtime_run(cmdline);
}

void boot_main(uint32_t magic, uint32_t mbi) {
    gdt_init();
    idt_init();
    cpu_enable_sse();
    serial_init();
    pic_init();
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
        kprintf("napkin: not started by a multiboot loader (magic %#x)\n", magic);
        for (;;) __asm__ volatile("cli; hlt");
    }
    if (*(uint32_t *)mbi & (1u << 2)) strncpy(cmdline, (const char *)*(uint32_t *)(mbi + 16), sizeof cmdline - 1);
    mem_init(mbi);
    if (malloc_selftest() != 0) {
        kprintf("napkin: malloc self-test failed: calloc did not return zeroed memory\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    if (checksum_selftest() != 0) {
        kprintf("napkin: checksum self-test failed: the native Internet checksum disagrees with the reference\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    if (hsiphash_selftest() != 0) {
        kprintf("napkin: hsiphash self-test failed: the native hash disagrees with the reference\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    clock_init();
    walltime_init();
    irq_unmask(IRQ_TIMER);
    __asm__ volatile("sti");
    if (cmdline_has("profile=boot")) profile_start(PROFILE_BOOT_HZ);
    __libc_start_main(kernel_main_c, 1, start_stack, NULL, NULL, NULL);
}

/* musl calls these around main; napkin has no constructors of its own. */
void _init(void) {}
void _fini(void) {}
