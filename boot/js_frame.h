/*
 * What the profiler may learn of QuickJS's running frame, how an IRQ asks
 * QuickJS to stop at its next safe point, and where a typed array's bytes
 * are. QuickJS has no public API for "the function running now", and its
 * public way to a typed array's bytes takes and drops a reference to the
 * buffer, so js_frame.c builds QuickJS itself and reads its internals from
 * the same translation unit.
 */
#ifndef NAPKIN_JS_FRAME_H
#define NAPKIN_JS_FRAME_H
#include <stdint.h>
#include "quickjs.h"

/* A JS function as a sample records it: plain numbers, nothing to free. */
struct js_function_ref {
    uint32_t bytecode;  /* its JSFunctionBytecode; 0: no JS function was running */
    JSAtom name;        /* its name atom, owned by the bytecode */
    int32_t line;       /* the line it is defined on (0: no debug info) */
};

/* What QuickJS was running when an interrupt came. */
struct js_running {
    uint32_t native;              /* the C function JS had called, if that is what ran; else 0 */
    struct js_function_ref js;    /* the innermost JS function (the native's caller) */
};

/* IRQ context: fills `out` from QuickJS's stack of frames. Only reads, and
 * checks each pointer before following it. */
void js_frame_running(JSRuntime *rt, struct js_running *out);

/* Thread context: names[i] gets the name of the function of refs[i] as a JS
 * string ("" if it has none), or JS_NULL if the function was freed since its
 * sample. refs: sorted by bytecode (then name and line), none twice. */
void js_functions_names(JSContext *ctx, const struct js_function_ref *refs, uint32_t n, JSValue *names);

/* Make QuickJS call the runtime's interrupt handler at its next safe point (a
 * call or a backward jump) rather than after thousands of them. IRQ context. */
void js_interrupt_soon(JSContext *ctx);

/* The bytes of a typed array of any element type, and how many there are;
 * NULL (and no exception) if `v` is not one or its buffer is detached. The
 * natives' path to their buffer arguments. */
uint8_t *js_typed_array_bytes(JSValueConst v, size_t *length);
#endif
