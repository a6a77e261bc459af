/*
 * The `napkin` object: everything the TypeScript kernel may ask of the
 * machine. kernel/hal/guest.ts is its only user. Arguments are checked here,
 * so a bad call from JS becomes a JS exception, never a wild write.
 */
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "io.h"
#include "irq.h"
#include "js_args.h"
#include "js_frame.h"
#include "kallsyms.h"
#include "mem.h"
#include "power.h"
#include "profile.h"
#include "serial.h"
#include "stack_natives.h"
#include "timer.h"

static double arg_f64(JSContext *ctx, JSValueConst v) {
    double x = 0;
    JS_ToFloat64(ctx, &x, v);
    return x;
}

FN(now_us) { UNUSED; return JS_NewFloat64(ctx, clock_now_us()); }
FN(idle) { UNUSED; return JS_NewFloat64(ctx, cpu_idle_until(arg_f64(ctx, argv[0]))); }
FN(irq_take_pending) {
    UNUSED;
    uint32_t lines = argc > 0 ? arg_u32(ctx, argv[0]) : 0xFFFFFFFFu;
    return JS_NewInt32(ctx, (int32_t)irq_take_pending(lines));
}
FN(irq_set_preempt) { UNUSED; irq_set_preempt(arg_u32(ctx, argv[0]) & 15, JS_ToBool(ctx, argv[1])); return JS_UNDEFINED; }
FN(set_hardirq_entry) { UNUSED; return runtime_set_hardirq_entry(ctx, argv[0]); }
FN(local_irq_disable) { UNUSED; (void)ctx; runtime_irqs_off(1); return JS_UNDEFINED; }
FN(local_irq_enable) { UNUSED; (void)ctx; runtime_irqs_off(-1); return JS_UNDEFINED; }
FN(irq_mask) { UNUSED; irq_mask(arg_u32(ctx, argv[0]) & 15); return JS_UNDEFINED; }
FN(irq_unmask) { UNUSED; irq_unmask(arg_u32(ctx, argv[0]) & 15); return JS_UNDEFINED; }
FN(irq_spurious_count) { UNUSED; return JS_NewInt64(ctx, irq_spurious_count((int)arg_u32(ctx, argv[0]))); }

FN(inb) { UNUSED; return JS_NewInt32(ctx, inb((uint16_t)arg_u32(ctx, argv[0]))); }
FN(inw) { UNUSED; return JS_NewInt32(ctx, inw((uint16_t)arg_u32(ctx, argv[0]))); }
FN(inl) { UNUSED; return JS_NewInt64(ctx, inl((uint16_t)arg_u32(ctx, argv[0]))); }
FN(outb) { UNUSED; outb((uint16_t)arg_u32(ctx, argv[0]), (uint8_t)arg_u32(ctx, argv[1])); return JS_UNDEFINED; }
FN(outw) { UNUSED; outw((uint16_t)arg_u32(ctx, argv[0]), (uint16_t)arg_u32(ctx, argv[1])); return JS_UNDEFINED; }
FN(outl) { UNUSED; outl((uint16_t)arg_u32(ctx, argv[0]), arg_u32(ctx, argv[1])); return JS_UNDEFINED; }

/* io_program(base, program, count, data, offset, bytes): count (register,
 * value) byte pairs from `program`, in order, each an outb of value to port
 * base + register; except that register IO_INSW (0xFD) or IO_OUTSW (0xFE)
 * moves the `bytes` of `data` from `offset` on from or to port base + value
 * with a word string op, IO_INSL (0xF9) or IO_OUTSL (0xFA) the same with a
 * doubleword one (and a last word if `bytes` leaves two over), IO_INB
 * (0xFC) reads the byte at port base + value,
 * and IO_ACK (0xFB) writes the byte last read to port base + value (a status
 * register's write-1-to-clear acknowledgement). Returns the bytes read, the
 * first in the lowest 8 bits (at most four). A device's register sequence
 * and the transfer it frames (the NE2000's remote DMA, its status reads)
 * cost one trip from JS instead of one per step, and no top half can come
 * in between: none runs inside a native call. */
#define IO_INSL 0xF9
#define IO_OUTSL 0xFA
#define IO_ACK 0xFB
#define IO_INB 0xFC
#define IO_INSW 0xFD
#define IO_OUTSW 0xFE
FN(io_program) {
    UNUSED;
    size_t n;
    uint8_t *program = typed_bytes(ctx, argv[1], &n);
    if (!program) return JS_EXCEPTION;
    uint16_t base = (uint16_t)arg_u32(ctx, argv[0]);
    uint32_t count = arg_u32(ctx, argv[2]);
    if (count > n / 2) return JS_ThrowRangeError(ctx, "io_program: %u pairs in a %u-byte array", count, (unsigned)n);
    uint32_t read = 0, reads = 0;
    uint8_t last = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t reg = program[2 * i], value = program[2 * i + 1];
        if (reg < IO_INSL) {
            outb((uint16_t)(base + reg), value);
            continue;
        }
        if (reg == IO_ACK) {
            outb((uint16_t)(base + value), last);
            continue;
        }
        if (reg == IO_INB) {
            last = inb((uint16_t)(base + value));
            if (reads < 4) read |= (uint32_t)last << (8 * reads++);
            continue;
        }
        uint32_t bytes;
        uint8_t *data = typed_window(ctx, argv[3], argv[4], argv[5], &bytes);
        if (!data) return JS_EXCEPTION;
        uint16_t port = (uint16_t)(base + value);
        if (reg == IO_INSW) {
            insw(port, data, bytes / 2);
        } else if (reg == IO_OUTSW) {
            outsw(port, data, bytes / 2);
        } else if (reg == IO_INSL) {
            insl(port, data, bytes / 4);
            if (bytes & 2) insw(port, data + (bytes & ~3u), 1);
        } else {
            outsl(port, data, bytes / 4);
            if (bytes & 2) outsw(port, data + (bytes & ~3u), 1);
        }
    }
    return JS_NewInt64(ctx, read);
}

/* String I/O moves as many whole units of the access width as the view
 * holds, or as the optional third argument (bytes) asks if that is fewer:
 * a driver reads a frame into the front of a buffer without a new view. */
#define STRING_IO(name, width, op)                                      \
    FN(name) {                                                          \
        UNUSED;                                                         \
        size_t n;                                                       \
        uint8_t *p = typed_bytes(ctx, argv[1], &n);                     \
        if (!p) return JS_EXCEPTION;                                    \
        if (argc > 2) {                                                 \
            uint32_t want = arg_u32(ctx, argv[2]);                      \
            if (want < n) n = want;                                     \
        }                                                               \
        op((uint16_t)arg_u32(ctx, argv[0]), p, (uint32_t)(n / width));  \
        return JS_UNDEFINED;                                            \
    }
STRING_IO(insb, 1, insb)
STRING_IO(insw, 2, insw)
STRING_IO(insl, 4, insl)
STRING_IO(outsb, 1, outsb)
STRING_IO(outsw, 2, outsw)
STRING_IO(outsl, 4, outsl)

/* A view of physical memory. No free function: the memory is not QuickJS's. */
static JSValue phys_buffer(JSContext *ctx, uint32_t phys, uint32_t length) {
    return JS_NewArrayBuffer(ctx, (uint8_t *)phys, length, NULL, NULL, 0);
}

FN(dma_alloc) {
    UNUSED;
    uint32_t bytes = arg_u32(ctx, argv[0]);
    void *p = dma_alloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
    if (!p) return JS_ThrowRangeError(ctx, "dma_alloc: no contiguous run of %u bytes left", bytes);
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "phys", JS_NewInt64(ctx, (uint32_t)p));
    JS_SetPropertyStr(ctx, o, "buffer", phys_buffer(ctx, (uint32_t)p, bytes));
    return o;
}

FN(dma_free) { UNUSED; dma_free_pages((void *)arg_u32(ctx, argv[0])); return JS_UNDEFINED; }

FN(mmio_map) {
    UNUSED;
    uint32_t phys = arg_u32(ctx, argv[0]), length = arg_u32(ctx, argv[1]);
    if (phys < phys_total) return JS_ThrowRangeError(ctx, "mmio_map: %#x is RAM, not device memory", phys);
    return phys_buffer(ctx, phys, length);
}

FN(memory_map) {
    UNUSED;
    JSValue list = JS_NewArray(ctx);
    for (int i = 0; i < mem_region_count; i++) {
        JSValue r = JS_NewObject(ctx);
        JS_SetPropertyStr(ctx, r, "base", JS_NewFloat64(ctx, (double)mem_regions[i].base));
        JS_SetPropertyStr(ctx, r, "length", JS_NewFloat64(ctx, (double)mem_regions[i].length));
        JS_SetPropertyStr(ctx, r, "type", JS_NewInt32(ctx, (int32_t)mem_regions[i].type));
        JS_SetPropertyUint32(ctx, list, (uint32_t)i, r);
    }
    return list;
}

FN(mem_info) {
    UNUSED;
    JSMemoryUsage usage;
    JS_ComputeMemoryUsage(runtime_js(), &usage);
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "phys_total", JS_NewInt64(ctx, phys_total));
    JS_SetPropertyStr(ctx, o, "heap_total", JS_NewInt64(ctx, (int64_t)heap_total_bytes()));
    JS_SetPropertyStr(ctx, o, "heap_used", JS_NewInt64(ctx, (int64_t)heap_used_bytes()));
    JS_SetPropertyStr(ctx, o, "dma_total", JS_NewInt64(ctx, dma_total_bytes()));
    JS_SetPropertyStr(ctx, o, "dma_used", JS_NewInt64(ctx, dma_used_bytes()));
    JS_SetPropertyStr(ctx, o, "js_malloc_size", JS_NewInt64(ctx, usage.malloc_size));
    JS_SetPropertyStr(ctx, o, "js_obj_count", JS_NewInt64(ctx, usage.obj_count));
    JS_SetPropertyStr(ctx, o, "js_limit", JS_NewInt64(ctx, (int64_t)runtime_js_limit()));
    JS_SetPropertyStr(ctx, o, "kernel_size", JS_NewInt64(ctx, kernel_image_size()));
    return o;
}

/* mem_info's fixed sizes, without its walk of every object. */
FN(mem_limits) {
    UNUSED;
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "phys_total", JS_NewInt64(ctx, phys_total));
    JS_SetPropertyStr(ctx, o, "js_limit", JS_NewInt64(ctx, (int64_t)runtime_js_limit()));
    return o;
}

/* QuickJS's cycle collector, now: what mem_info counts after it is what is still reachable. */
FN(gc) {
    UNUSED;
    JS_RunGC(JS_GetRuntime(ctx));
    return JS_UNDEFINED;
}

/* mem_info walks every object; this is the cheap figure for hot checks. */
FN(heap_used) {
    UNUSED;
    return JS_NewInt64(ctx, (int64_t)heap_used_bytes());
}

FN(console_write) {
    UNUSED;
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, argv[0]);
    if (!s) return JS_EXCEPTION;
    serial_write(s, n);
    JS_FreeCString(ctx, s);
    return JS_UNDEFINED;
}

FN(thread_switch) {
    UNUSED;
    const char *name = JS_ToCString(ctx, argv[0]);
    double watchdog_us = arg_f64(ctx, argv[1]);
    runtime_set_watchdog(name ? name : "?", watchdog_us > 0 ? clock_now_us() + watchdog_us : 0);
    JS_FreeCString(ctx, name);
    return JS_UNDEFINED;
}

FN(profile_start) { UNUSED; return JS_NewInt32(ctx, (int32_t)profile_start(arg_u32(ctx, argv[0]))); }
FN(profile_stop) { UNUSED, (void)ctx; profile_stop(); return JS_UNDEFINED; }
FN(profile_rate) { UNUSED; return JS_NewInt32(ctx, (int32_t)profile_rate()); }

static int by_function(const void *a, const void *b) {
    const struct js_function_ref *x = a, *y = b;
    if (x->bytecode != y->bytecode) return x->bytecode < y->bytecode ? -1 : 1;
    if (x->name != y->name) return x->name < y->name ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* The distinct JS functions of `samples`, sorted; returns how many. */
static uint32_t distinct_functions(const struct profile_sample *samples, uint32_t n, struct js_function_ref *out) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        if (samples[i].running.js.bytecode) out[m++] = samples[i].running.js;
    qsort(out, m, sizeof *out, by_function);
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < m; i++)
        if (distinct == 0 || by_function(&out[distinct - 1], &out[i]) != 0) out[distinct++] = out[i];
    return distinct;
}

static JSValue function_list(JSContext *ctx, const struct js_function_ref *refs, const JSValue *names, uint32_t n) {
    JSValue list = JS_NewArray(ctx);
    for (uint32_t i = 0; i < n; i++) {
        JSValue f = JS_NewObject(ctx);
        JS_SetPropertyStr(ctx, f, "name", names[i]);
        JS_SetPropertyStr(ctx, f, "line", JS_NewInt32(ctx, refs[i].line));
        JS_SetPropertyUint32(ctx, list, i, f);
    }
    return list;
}

/* Drains the profiler's ring. The JS functions are named only now, in
 * thread context, and only those QuickJS still holds (js_frame.h). */
FN(profile_read) {
    UNUSED;
    static struct profile_sample samples[PROFILE_RING_SAMPLES];
    static struct js_function_ref refs[PROFILE_RING_SAMPLES];
    static JSValue names[PROFILE_RING_SAMPLES];
    uint32_t lost;
    uint32_t n = profile_take(samples, PROFILE_RING_SAMPLES, &lost);
    uint32_t m = distinct_functions(samples, n, refs);
    js_functions_names(ctx, refs, m, names);
    JSValue eips = JS_NewArray(ctx), natives = JS_NewArray(ctx), js = JS_NewArray(ctx);
    for (uint32_t i = 0; i < n; i++) {
        const struct js_running *running = &samples[i].running;
        JS_SetPropertyUint32(ctx, eips, i, JS_NewInt64(ctx, samples[i].eip));
        JS_SetPropertyUint32(ctx, natives, i, JS_NewInt64(ctx, running->native));
        const struct js_function_ref *f = running->js.bytecode ? bsearch(&running->js, refs, m, sizeof *refs, by_function) : NULL;
        JS_SetPropertyUint32(ctx, js, i, JS_NewInt32(ctx, f ? (int32_t)(f - refs) : -1));
    }
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "eips", eips);
    JS_SetPropertyStr(ctx, o, "natives", natives);
    JS_SetPropertyStr(ctx, o, "js", js);
    JS_SetPropertyStr(ctx, o, "functions", function_list(ctx, refs, names, m));
    JS_SetPropertyStr(ctx, o, "lost", JS_NewInt64(ctx, lost));
    return o;
}

FN(kernel_symbols) {
    UNUSED;
    JSValue addresses = JS_NewArray(ctx), sizes = JS_NewArray(ctx), names = JS_NewArray(ctx);
    const char *name = (const char *)&kallsyms + kallsyms.names_offset;
    for (uint32_t i = 0; i < kallsyms.count; i++, name += strlen(name) + 1) {
        JS_SetPropertyUint32(ctx, addresses, i, JS_NewInt64(ctx, kallsyms.symbols[i]));
        JS_SetPropertyUint32(ctx, sizes, i, JS_NewInt64(ctx, kallsyms.symbols[kallsyms.count + i]));
        JS_SetPropertyUint32(ctx, names, i, JS_NewString(ctx, name));
    }
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "addresses", addresses);
    JS_SetPropertyStr(ctx, o, "sizes", sizes);
    JS_SetPropertyStr(ctx, o, "names", names);
    return o;
}

/* sysrq's crash key: a real CPU exception, to show the fault path works. */
FN(crash) { UNUSED, (void)ctx; __asm__ volatile("ud2"); __builtin_unreachable(); }

FN(poweroff) { UNUSED; machine_stop((int)arg_u32(ctx, argv[0])); }
FN(reboot) { UNUSED, (void)ctx; machine_reboot(); }

static const JSCFunctionListEntry natives[] = {
    JS_CFUNC_DEF("now_us", 0, js_now_us),
    JS_CFUNC_DEF("idle", 1, js_idle),
    JS_CFUNC_DEF("irq_take_pending", 1, js_irq_take_pending),
    JS_CFUNC_DEF("irq_set_preempt", 2, js_irq_set_preempt),
    JS_CFUNC_DEF("set_hardirq_entry", 1, js_set_hardirq_entry),
    JS_CFUNC_DEF("local_irq_disable", 0, js_local_irq_disable),
    JS_CFUNC_DEF("local_irq_enable", 0, js_local_irq_enable),
    JS_CFUNC_DEF("irq_mask", 1, js_irq_mask),
    JS_CFUNC_DEF("irq_unmask", 1, js_irq_unmask),
    JS_CFUNC_DEF("irq_spurious_count", 1, js_irq_spurious_count),
    JS_CFUNC_DEF("inb", 1, js_inb),
    JS_CFUNC_DEF("inw", 1, js_inw),
    JS_CFUNC_DEF("inl", 1, js_inl),
    JS_CFUNC_DEF("outb", 2, js_outb),
    JS_CFUNC_DEF("outw", 2, js_outw),
    JS_CFUNC_DEF("outl", 2, js_outl),
    JS_CFUNC_DEF("io_program", 6, js_io_program),
    JS_CFUNC_DEF("insb", 2, js_insb),
    JS_CFUNC_DEF("insw", 2, js_insw),
    JS_CFUNC_DEF("insl", 2, js_insl),
    JS_CFUNC_DEF("outsb", 2, js_outsb),
    JS_CFUNC_DEF("outsw", 2, js_outsw),
    JS_CFUNC_DEF("outsl", 2, js_outsl),
    JS_CFUNC_DEF("dma_alloc", 1, js_dma_alloc),
    JS_CFUNC_DEF("dma_free", 1, js_dma_free),
    JS_CFUNC_DEF("mmio_map", 2, js_mmio_map),
    JS_CFUNC_DEF("memory_map", 0, js_memory_map),
    JS_CFUNC_DEF("mem_info", 0, js_mem_info),
    JS_CFUNC_DEF("mem_limits", 0, js_mem_limits),
    JS_CFUNC_DEF("gc", 0, js_gc),
    JS_CFUNC_DEF("heap_used", 0, js_heap_used),
    JS_CFUNC_DEF("console_write", 1, js_console_write),
    JS_CFUNC_DEF("thread_switch", 2, js_thread_switch),
    JS_CFUNC_DEF("profile_start", 1, js_profile_start),
    JS_CFUNC_DEF("profile_stop", 0, js_profile_stop),
    JS_CFUNC_DEF("profile_rate", 0, js_profile_rate),
    JS_CFUNC_DEF("profile_read", 0, js_profile_read),
    JS_CFUNC_DEF("kernel_symbols", 0, js_kernel_symbols),
    JS_CFUNC_DEF("crash", 0, js_crash),
    JS_CFUNC_DEF("poweroff", 1, js_poweroff),
    JS_CFUNC_DEF("reboot", 0, js_reboot),
};

void natives_install(JSContext *ctx, const char *cmdline) {
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue napkin = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, napkin, natives, sizeof natives / sizeof natives[0]);
    JS_SetPropertyFunctionList(ctx, napkin, stack_natives, stack_natives_count);
    JS_SetPropertyStr(ctx, napkin, "cmdline", JS_NewString(ctx, cmdline));
    JS_SetPropertyStr(ctx, napkin, "tsc_mhz", JS_NewFloat64(ctx, clock_tsc_mhz()));
    JS_SetPropertyStr(ctx, global, "napkin", napkin);
    JS_FreeValue(ctx, global);
}
