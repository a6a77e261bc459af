/* The kernel bundle, linked into the image (the Makefile picks bytecode or source). */
        .section .rodata
        .global kernel_bundle_start, kernel_bundle_end, kernel_bundle_is_bytecode
        .align 16
kernel_bundle_start:
        .incbin KERNEL_BUNDLE
kernel_bundle_end:
        .byte 0                 /* a NUL after the source, for JS_Eval */
        .align 4
kernel_bundle_is_bytecode:
        .long KERNEL_BUNDLE_IS_BYTECODE

        .section .note.GNU-stack, "", @progbits
