/*
 * QuickJS's own translation unit, with the few reaches into its internals
 * that napkin needs (js_frame.h): the sampling profiler's two accessors, the
 * hard-IRQ path's request for an early interrupt poll, and the natives' look
 * at a typed array's bytes. quickjs.c comes in from the -isystem path, so
 * its warnings stay QuickJS's business while the code below gets all of ours.
 */
#include "quickjs.c"
#include "js_frame.h"
#include "mem.h"

/* Frames past this many C functions without a JS caller are not walked. */
#define MAX_NATIVE_FRAMES 8

/* The interrupted code may be halfway through linking a frame, so a field
 * may hold stale stack bytes: a pointer is followed only into RAM above the
 * first MiB, never into device memory, where even a read can act. */
static int in_ram(const void *p, uint32_t size) {
    uint32_t a = (uint32_t)p;
    return a >= 0x100000 && a < phys_total && phys_total - a >= size;
}

void js_frame_running(JSRuntime *rt, struct js_running *out) {
    out->native = 0;
    out->js.bytecode = 0;
    if (!in_ram(rt, sizeof *rt)) return;
    JSStackFrame *sf = rt->current_stack_frame;
    for (int depth = 0; depth <= MAX_NATIVE_FRAMES && in_ram(sf, sizeof *sf); depth++, sf = sf->prev_frame) {
        if (JS_VALUE_GET_TAG(sf->cur_func) != JS_TAG_OBJECT) continue;
        JSObject *fn = JS_VALUE_GET_OBJ(sf->cur_func);
        if (!in_ram(fn, sizeof *fn)) return;
        if (!js_class_has_bytecode(fn->class_id)) {
            /* A native: a code address needs no care to keep; its JS caller is looked for next. */
            if (depth == 0 && fn->class_id == JS_CLASS_C_FUNCTION) out->native = (uint32_t)fn->u.cfunc.c_function.generic;
            continue;
        }
        JSFunctionBytecode *b = fn->u.func.function_bytecode;
        if (!in_ram(b, sizeof *b)) return;
        out->js.bytecode = (uint32_t)b;
        out->js.name = b->func_name;
        out->js.line = b->has_debug ? b->debug.line_num : 0;
        return;
    }
}

/* The first of `refs` (sorted by bytecode) at or after `bytecode`. */
static uint32_t lower_bound(const struct js_function_ref *refs, uint32_t n, uint32_t bytecode) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (refs[mid].bytecode < bytecode) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Whether `ref` still describes `b`: its memory may have been freed since
 * the sample and reused for another function. */
static int still_same(const JSFunctionBytecode *b, const struct js_function_ref *ref) {
    return b->func_name == ref->name && (b->has_debug ? b->debug.line_num : 0) == ref->line;
}

/* While names are being found: not seen alive (yet), alive but unnamed, or named (a string). */
#define NOT_SEEN JS_UNDEFINED
#define UNNAMED JS_TRUE

/* A string atom's string, or UNNAMED. Takes a reference, allocates nothing. */
static JSValue atom_string(JSRuntime *rt, JSAtom atom) {
    if (atom == JS_ATOM_NULL || __JS_AtomIsTaggedInt(atom) || atom >= (JSAtom)rt->atom_size) return UNNAMED;
    JSAtomStruct *p = rt->atom_array[atom];
    return p->atom_type == JS_ATOM_TYPE_STRING ? JS_DupValueRT(rt, JS_MKPTR(JS_TAG_STRING, p)) : UNNAMED;
}

/* A method's bytecode has no name: QuickJS gives it to the function object,
 * as its own "name" property, when the class is defined. */
static JSValue own_name(JSRuntime *rt, JSObject *fn) {
    JSProperty *pr;
    JSShapeProperty *prs = find_own_property(&pr, fn, JS_ATOM_name);
    if (!prs || (prs->flags & JS_PROP_TMASK) != JS_PROP_NORMAL || JS_VALUE_GET_TAG(pr->u.value) != JS_TAG_STRING) return UNNAMED;
    return JS_DupValueRT(rt, pr->u.value);
}

/* One walk over QuickJS's live objects, which allocates nothing (so no GC
 * can run and free what is being looked at): each ref still alive gets its
 * bytecode's name, or else the name of a function object made from it. */
void js_functions_names(JSContext *ctx, const struct js_function_ref *refs, uint32_t n, JSValue *names) {
    JSRuntime *rt = ctx->rt;
    for (uint32_t i = 0; i < n; i++) names[i] = NOT_SEEN;
    struct list_head *el;
    list_for_each(el, &rt->gc_obj_list) {
        JSGCObjectHeader *gp = list_entry(el, JSGCObjectHeader, link);
        JSObject *fn = NULL;
        const JSFunctionBytecode *b;
        if (gp->gc_obj_type == JS_GC_OBJ_TYPE_FUNCTION_BYTECODE) {
            b = (const JSFunctionBytecode *)gp;
        } else if (gp->gc_obj_type == JS_GC_OBJ_TYPE_JS_OBJECT && js_class_has_bytecode(((JSObject *)gp)->class_id)) {
            fn = (JSObject *)gp;
            b = fn->u.func.function_bytecode;
        } else {
            continue;
        }
        for (uint32_t i = lower_bound(refs, n, (uint32_t)b); i < n && refs[i].bytecode == (uint32_t)b; i++) {
            if (!still_same(b, &refs[i]) || JS_VALUE_GET_TAG(names[i]) == JS_TAG_STRING) continue;
            names[i] = fn ? own_name(rt, fn) : atom_string(rt, b->func_name);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (JS_VALUE_GET_TAG(names[i]) == JS_TAG_UNDEFINED) names[i] = JS_NULL;
        else if (JS_VALUE_GET_TAG(names[i]) == JS_TAG_BOOL) names[i] = JS_AtomToString(ctx, JS_ATOM_empty_string);
    }
}

void js_interrupt_soon(JSContext *ctx) {
    /* QuickJS counts down to its next interrupt poll; 1 makes it the next one. */
    ctx->interrupt_counter = 1;
}

#include "typed_array_bytes.h"
