/*
 * The multiboot v1 entry. The loader (v86, QEMU, GRUB) jumps here in 32-bit
 * protected mode with paging off, EAX = 0x2BADB002 and EBX = the multiboot
 * info. We trust none of its segment state: boot_main loads our own GDT first.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000002 /* bit 1: we want the memory map */

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .section .bss
        .align 16
        .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
        .skip 1024 * 1024      /* QuickJS recurses deeply while parsing */
boot_stack_top:

        .section .text
        .global _start
_start:
        cli
        mov $boot_stack_top, %esp
        xor %ebp, %ebp
        push %ebx               /* multiboot info */
        push %eax               /* multiboot magic */
        call boot_main
1:      cli
        hlt
        jmp 1b

        .section .note.GNU-stack, "", @progbits
