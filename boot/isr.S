/*
 * Interrupt entry stubs. Each pushes (error code, vector) so every trap
 * reaches trap_dispatch with the same struct trap_frame layout (cpu.h).
 */
        .macro TRAP_NOERR vec
        .global isr\vec
isr\vec:
        push $0
        push $\vec
        jmp trap_common
        .endm

        .macro TRAP_ERR vec
        .global isr\vec
isr\vec:
        push $\vec
        jmp trap_common
        .endm

        .text
TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_NOERR 21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_NOERR 29
TRAP_ERR   30
TRAP_NOERR 31
/* hardware IRQs 0-15, remapped to vectors 32-47 */
TRAP_NOERR 32
TRAP_NOERR 33
TRAP_NOERR 34
TRAP_NOERR 35
TRAP_NOERR 36
TRAP_NOERR 37
TRAP_NOERR 38
TRAP_NOERR 39
TRAP_NOERR 40
TRAP_NOERR 41
TRAP_NOERR 42
TRAP_NOERR 43
TRAP_NOERR 44
TRAP_NOERR 45
TRAP_NOERR 46
TRAP_NOERR 47
/* int $0x80: musl's system calls, served by syscall.c */
TRAP_NOERR 128

trap_common:
        pusha
        push %ds
        push %es
        push %fs
        push %gs
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        cld
        push %esp               /* struct trap_frame * */
        call trap_dispatch
        add $4, %esp
        pop %gs
        pop %fs
        pop %es
        pop %ds
        popa
        add $8, %esp            /* vector, error code */
        iret

        .section .note.GNU-stack, "", @progbits
