/* The embedded QuickJS runtime that runs the kernel bundle. */
#ifndef NAPKIN_RUNTIME_H
#define NAPKIN_RUNTIME_H
#include <stddef.h>
#include <stdint.h>
#include "quickjs.h"

/* Runs the kernel bundle, then drains QuickJS's job queue forever: the
 * kernel is a set of async kernel threads, so every step it takes is a job. */
void runtime_run(const char *cmdline) __attribute__((noreturn));
/* The name the kernel gave its running thread, for fault reports. */
const char *runtime_current_thread(void);
/* Soft-lockup watchdog: interrupt the running JS once deadline passes (0: off). */
void runtime_set_watchdog(const char *thread, double deadline_us);
JSRuntime *runtime_js(void);
/* Hard IRQs (preemptive lines, irq.c): ask for the kernel's hard-IRQ entry
 * to run at QuickJS's next safe point. IRQ context. */
void runtime_hardirq_request(void);
/* natives.c: install the kernel's hard-IRQ entry (a JS function). */
JSValue runtime_set_hardirq_entry(JSContext *ctx, JSValue fn);
/* local_irq_disable (+1) and local_irq_enable (-1): while the depth is above
 * zero, the hard-IRQ entry waits. */
void runtime_irqs_off(int delta);
/* The most of the C heap QuickJS may hold (the rest is headroom to recover in). */
size_t runtime_js_limit(void);

/* natives.c: the `napkin` object through which kernel/hal/guest.ts reaches the machine. */
void natives_install(JSContext *ctx, const char *cmdline);
#endif
