/* The network stack's native helpers (stack_natives.h). */
#include <string.h>
#include "stack_natives.h"
#include "checksum.h"
#include "hsiphash.h"
#include "js_args.h"

/* The Internet checksum's sum of the n bytes at p (boot/checksum.c), added to `initial` and folded (not inverted). */
static JSValue folded_sum(JSContext *ctx, const uint8_t *p, uint32_t n, JSValueConst initial) {
    uint64_t total = (uint64_t)inet_sum(p, n) + arg_u32(ctx, initial);
    while (total >> 16) total = (total & 0xFFFF) + (total >> 16);
    return JS_NewInt32(ctx, (int32_t)total);
}

/* checksum(data, offset, length, initial): folded_sum of a typed array's window. */
FN(checksum) {
    UNUSED;
    uint32_t n;
    const uint8_t *p = typed_window(ctx, argv[0], argv[1], argv[2], &n);
    if (!p) return JS_EXCEPTION;
    return folded_sum(ctx, p, n, argv[3]);
}

/* HalfSipHash-2-4 of four words under a two-word key (boot/hsiphash.c). */
FN(hsiphash) {
    UNUSED;
    uint32_t w[6];
    for (int i = 0; i < 6; i++) w[i] = arg_u32(ctx, argv[i]);
    return JS_NewUint32(ctx, hsiphash_4u32(w[0], w[1], w[2], w[3], w[4], w[5]));
}

/* The move of copy(dst, dst_offset, src, src_offset, length): the
 * destination window, its length in *n, or NULL with an exception thrown. */
static uint8_t *move_window(JSContext *ctx, JSValueConst *argv, uint32_t *n) {
    uint32_t m;
    uint8_t *dst = typed_window(ctx, argv[0], argv[1], argv[4], n);
    if (!dst) return NULL;
    const uint8_t *src = typed_window(ctx, argv[2], argv[3], argv[4], &m);
    if (!src) return NULL;
    memmove(dst, src, *n);
    return dst;
}

FN(copy) {
    UNUSED;
    uint32_t n;
    return move_window(ctx, argv, &n) ? JS_UNDEFINED : JS_EXCEPTION;
}

/* copy's move, then checksum's sum of the bytes moved (Linux's csum_partial_copy): a
 * packet's payload goes into a frame and into its checksum in one call. */
FN(copy_checksum) {
    UNUSED;
    uint32_t n;
    const uint8_t *dst = move_window(ctx, argv, &n);
    if (!dst) return JS_EXCEPTION;
    return folded_sum(ctx, dst, n, argv[5]);
}

const JSCFunctionListEntry stack_natives[] = {
    JS_CFUNC_DEF("checksum", 4, js_checksum),
    JS_CFUNC_DEF("hsiphash", 6, js_hsiphash),
    JS_CFUNC_DEF("copy", 5, js_copy),
    JS_CFUNC_DEF("copy_checksum", 6, js_copy_checksum),
};
const int stack_natives_count = sizeof stack_natives / sizeof stack_natives[0];
