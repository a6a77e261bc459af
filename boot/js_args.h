/*
 * How a native is written (FN), and how it reads its arguments: a number,
 * and the bytes of a typed array, bounds checked, so that a bad call from JS
 * becomes a JS exception, never a wild access. Shared by the napkin object's
 * natives (natives.c) and the stack's (stack_natives.c).
 */
#ifndef NAPKIN_JS_ARGS_H
#define NAPKIN_JS_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include "quickjs.h"
#include "js_frame.h"

#define FN(name) static JSValue js_##name(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
#define UNUSED (void)this_val, (void)argc, (void)argv

static inline uint32_t arg_u32(JSContext *ctx, JSValueConst v) {
    if (JS_VALUE_GET_TAG(v) == JS_TAG_INT) return (uint32_t)JS_VALUE_GET_INT(v); /* nearly always */
    uint32_t x = 0;
    JS_ToUint32(ctx, &x, v);
    return x;
}

/* The bytes behind a Uint8Array (or any typed array), or NULL with a JS exception. */
static inline uint8_t *typed_bytes(JSContext *ctx, JSValueConst v, size_t *length) {
    uint8_t *bytes = js_typed_array_bytes(v, length);
    if (bytes) return bytes;
    /* Not a typed array, or detached: the public API says which, as an exception. */
    size_t offset, size, element;
    JSValue buffer = JS_GetTypedArrayBuffer(ctx, v, &offset, length, &element);
    if (JS_IsException(buffer)) return NULL;
    uint8_t *base = JS_GetArrayBuffer(ctx, &size, buffer);
    JS_FreeValue(ctx, buffer);
    return base ? base + offset : NULL;
}

/* A [offset, offset+length) window inside a typed array, bounds checked. */
static inline uint8_t *typed_window(JSContext *ctx, JSValueConst array, JSValueConst off, JSValueConst len, uint32_t *n) {
    size_t total;
    uint8_t *p = typed_bytes(ctx, array, &total);
    if (!p) return NULL;
    uint32_t o = arg_u32(ctx, off);
    *n = arg_u32(ctx, len);
    if (o > total || *n > total - o) {
        JS_ThrowRangeError(ctx, "window [%u, +%u) outside a %u-byte array", o, *n, (unsigned)total);
        return NULL;
    }
    return p + o;
}

#endif
