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
/* The most of the C heap QuickJS may hold (the rest is headroom to recover in). */
size_t runtime_js_limit(void);

/* natives.c: the `napkin` object through which kernel/hal/guest.ts reaches the machine. */
void natives_install(JSContext *ctx, const char *cmdline);
#endif
