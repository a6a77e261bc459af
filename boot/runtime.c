/*
 * QuickJS on bare metal. The kernel bundle is linked into the image (either
 * as bytecode, compiled at build time, or as source); it is loaded once, and
 * from then on this file only runs QuickJS's pending jobs: the kernel's
 * scheduler is an async loop, so each resumed thread is one job.
 *
 * It is also where a hard IRQ preempts JavaScript. QuickJS polls an
 * interrupt handler at its safe points (calls and backward jumps, see
 * boot/quickjs-patches/safe-points.patch); a preemptive line's stub makes
 * the next safe point poll at once, and the handler calls the kernel's
 * hard-IRQ entry there, nested in whatever JS was running, unless the
 * kernel has hard IRQs off (local_irq_disable) or is already in one. JS
 * without a call or a backward jump is never preempted.
 */
#include <string.h>
#include "irq.h"
#include "runtime.h"
#include "serial.h"
#include "timer.h"
#include "power.h"
#include "mem.h"
#include "js_frame.h"

extern const uint8_t kernel_bundle_start[], kernel_bundle_end[];
extern const uint32_t kernel_bundle_is_bytecode;

static JSRuntime *rt;
static JSContext *kernel_ctx;
static JSValue hardirq_entry = JS_UNDEFINED;
static volatile int hardirq_requested;
static int in_hardirq, irqs_off;
static char current_thread[48] = "boot";
static double watchdog_deadline_us;

const char *runtime_current_thread(void) { return current_thread; }
JSRuntime *runtime_js(void) { return rt; }

void runtime_set_watchdog(const char *thread, double deadline_us) {
    strncpy(current_thread, thread, sizeof current_thread - 1);
    watchdog_deadline_us = deadline_us;
}

static void print_exception(JSContext *ctx, const char *what);

void runtime_hardirq_request(void) {
    hardirq_requested = 1;
    if (kernel_ctx) js_interrupt_soon(kernel_ctx);
}

JSValue runtime_set_hardirq_entry(JSContext *ctx, JSValue fn) {
    if (!JS_IsFunction(ctx, fn)) return JS_ThrowTypeError(ctx, "set_hardirq_entry: not a function");
    JS_FreeValue(ctx, hardirq_entry);
    hardirq_entry = JS_DupValue(ctx, fn);
    return JS_UNDEFINED;
}

void runtime_irqs_off(int delta) { irqs_off += delta; }

/* Run the hard-IRQ entry until no preemptive line asks again. The running
 * JS may be halfway through throwing: its exception is set aside meanwhile. */
static void run_hardirq(void) {
    JSContext *ctx = kernel_ctx;
    JSValue interrupted = JS_GetException(ctx);
    in_hardirq = 1;
    for (int round = 0; hardirq_requested && round < 8; round++) {
        hardirq_requested = 0;
        JSValue r = JS_Call(ctx, hardirq_entry, JS_UNDEFINED, 0, NULL);
        if (JS_IsException(r)) print_exception(ctx, "exception in the hard-IRQ entry");
        JS_FreeValue(ctx, r);
    }
    in_hardirq = 0;
    irq_note_hardirq_work();
    if (!JS_IsNull(interrupted)) JS_Throw(ctx, interrupted);
}

/* QuickJS calls this at its safe points, every few thousand of them, or at
 * the next one after js_interrupt_soon(). Returning 1 throws an uncatchable
 * "interrupted" error into the running thread (the soft-lockup watchdog). */
static int watchdog(JSRuntime *runtime, void *opaque) {
    (void)runtime, (void)opaque;
    if (watchdog_deadline_us > 0 && clock_now_us() > watchdog_deadline_us) {
        watchdog_deadline_us = 0;
        return 1;
    }
    if (hardirq_requested && kernel_ctx && JS_IsFunction(kernel_ctx, hardirq_entry)) {
        if (irqs_off > 0 || in_hardirq) js_interrupt_soon(kernel_ctx); /* ask again at the next safe point */
        else run_hardirq();
    }
    return 0;
}

static void print_exception(JSContext *ctx, const char *what) {
    JSValue e = JS_GetException(ctx);
    const char *msg = JS_ToCString(ctx, e);
    kprintf("\n*** napkin: %s: %s\n", what, msg ? msg : "(unprintable)");
    JS_FreeCString(ctx, msg);
    if (JS_IsObject(e)) {
        JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
        const char *s = JS_ToCString(ctx, stack);
        if (s && *s) kprintf("%s\n", s);
        JS_FreeCString(ctx, s);
        JS_FreeValue(ctx, stack);
    }
    JS_FreeValue(ctx, e);
}

/* The bundle is an ES module (see the Makefile), in bytecode or as source,
 * compiled without temporal dead zone checks (see tools/qjsbc.c). */
static JSValue load_kernel(JSContext *ctx) {
    size_t n = (size_t)(kernel_bundle_end - kernel_bundle_start);
    if (kernel_bundle_is_bytecode) {
        JSValue fn = JS_ReadObject(ctx, kernel_bundle_start, n, JS_READ_OBJ_BYTECODE);
        if (JS_IsException(fn)) return fn;
        return JS_EvalFunction(ctx, fn);
    }
    /* JS_Eval wants a NUL after the source: bundle.S puts one there. */
    return JS_Eval(ctx, (const char *)kernel_bundle_start, n, "kernel.js", JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_NO_TDZ);
}

/* QuickJS may use the C heap up to this much; the rest is headroom, so that
 * a kernel that runs out of JS memory can still throw, report the oops and
 * free what it was building (an allocation past the limit throws "out of
 * memory" in the thread that asked, not a crash in malloc). */
static size_t js_memory_limit(void) {
    size_t total = heap_total_bytes();
    size_t reserve = total / 8;
    if (reserve < 1024 * 1024) reserve = 1024 * 1024;
    return total > reserve ? total - reserve : total / 2;
}

size_t runtime_js_limit(void) { return js_memory_limit(); }

void runtime_run(const char *cmdline) {
    rt = JS_NewRuntime2(&js_heap_functions, NULL);
    JS_SetMemoryLimit(rt, js_memory_limit());
    /* Garbage here is almost all freed by reference counts; the cycle
     * collector, which walks every object, need not start at QuickJS's
     * default 256 KiB and run several times while the kernel loads (~1.2 M
     * instructions of boot). A quarter of the limit, at most 8 MiB, still
     * leaves it room to run well before the limit is near. */
    size_t gc_threshold = js_memory_limit() / 4;
    JS_SetGCThreshold(rt, gc_threshold < 8u << 20 ? gc_threshold : 8u << 20);
    JS_SetMaxStackSize(rt, 768 * 1024);
    JS_SetInterruptHandler(rt, watchdog, NULL);
    JSContext *ctx = JS_NewContext(rt);
    natives_install(ctx, cmdline);
    kernel_ctx = ctx;

    JSValue result = load_kernel(ctx);
    if (JS_IsException(result)) {
        print_exception(ctx, "the kernel failed to load");
        machine_stop(EXIT_FAULT);
    }
    JS_FreeValue(ctx, result);

    for (;;) {
        JSContext *job_ctx;
        int r = JS_ExecutePendingJob(rt, &job_ctx);
        if (r < 0) {
            /* The kernel contains exceptions per thread; one that still
             * escapes is reported and the queue goes on. */
            print_exception(job_ctx, "uncaught exception in a kernel job");
        } else if (r == 0) {
            kprintf("\n*** napkin: the kernel has no work left (its scheduler returned)\n");
            machine_stop(EXIT_FAULT);
        }
    }
}
