/*
 * qjsbc: compiles the kernel bundle to QuickJS bytecode on the host, with the
 * same QuickJS source and configuration as the guest (both are 32-bit builds),
 * so the guest skips parsing at boot.
 *   usage: qjsbc kernel.js kernel.bc
 */
#include <stdio.h>
#include <stdlib.h>
#include "quickjs.h"

static char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*n + 1);
    if (buf && fread(buf, 1, *n, f) != *n) { free(buf); buf = NULL; }
    if (buf) buf[*n] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: qjsbc kernel.js kernel.bc\n"); return 2; }
    size_t n;
    char *src = read_file(argv[1], &n);
    if (!src) { perror(argv[1]); return 1; }
    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = JS_NewContext(rt);
    /* No temporal dead zone checks, and so no variable names (only their
     * errors used them; boot/quickjs-patches/no-tdz.patch): the type
     * checker has refused reads before declarations already. */
    JSValue fn = JS_Eval(ctx, src, n, "kernel.js", JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_NO_TDZ | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn)) {
        JSValue e = JS_GetException(ctx);
        const char *msg = JS_ToCString(ctx, e);
        fprintf(stderr, "qjsbc: %s: %s\n", argv[1], msg);
        return 1;
    }
    size_t size;
    uint8_t *bc = JS_WriteObject(ctx, &size, fn, JS_WRITE_OBJ_BYTECODE);
    FILE *out = fopen(argv[2], "wb");
    if (!bc || !out || fwrite(bc, 1, size, out) != size || fclose(out) != 0) { perror(argv[2]); return 1; }
    return 0;
}
