/*
 * qjsbc: compiles the kernel bundle to QuickJS bytecode on the host, with the
 * same QuickJS source and configuration as the guest (both are 32-bit builds),
 * so the guest skips parsing at boot.
 *   usage: qjsbc kernel.js kernel.bc
 *          qjsbc --run script.js
 * With --run it compiles a script the same way, reads the bytecode back and
 * runs it, and then its promise jobs, as the guest runs its kernel: it
 * prints what the script passes to print() and exits 1 if the script
 * throws. The tests of napkin's QuickJS patches (test/engine) use it, and
 * `tools/bench cost` runs scenarios under callgrind with it; for that,
 * `natives` holds the guest's native helpers for the stack (checksum, copy,
 * copy_checksum, hsiphash), on the same C. Built with NAPKIN_OP_COUNTS
 * (build/host/qjsbc-ops, for tools/bench cost --ops), --run then writes how
 * many times each bytecode instruction ran to the file NAPKIN_OP_COUNTS names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"
#include "../boot/stack_natives.h"

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

/* Print the pending exception, with its stack when it has one; returns 1, the exit status. */
static int report(JSContext *ctx, const char *path) {
    JSValue e = JS_GetException(ctx);
    const char *msg = JS_ToCString(ctx, e);
    JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
    const char *where = JS_IsUndefined(stack) ? NULL : JS_ToCString(ctx, stack);
    fprintf(stderr, "qjsbc: %s: %s\n%s", path, msg ? msg : "?", where ? where : "");
    return 1;
}

/* The module at `path` as bytecode (js_free it), or NULL with an exception pending. */
static uint8_t *compile(JSContext *ctx, const char *path, size_t *size) {
    size_t n;
    char *src = read_file(path, &n);
    if (!src) {
        JS_ThrowReferenceError(ctx, "cannot read %s", path);
        return NULL;
    }
    /* No temporal dead zone checks, and so no variable names (only their
     * errors used them; boot/quickjs-patches/no-tdz.patch): the type
     * checker has refused reads before declarations already. */
    JSValue fn = JS_Eval(ctx, src, n, path, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_NO_TDZ | JS_EVAL_FLAG_COMPILE_ONLY);
    free(src);
    if (JS_IsException(fn)) return NULL;
    uint8_t *bc = JS_WriteObject(ctx, size, fn, JS_WRITE_OBJ_BYTECODE);
    JS_FreeValue(ctx, fn);
    return bc;
}

static JSValue js_print(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
    (void)this_val;
    for (int i = 0; i < argc; i++) {
        const char *s = JS_ToCString(ctx, argv[i]);
        if (!s) return JS_EXCEPTION;
        fputs(s, stdout);
        fputc(i + 1 < argc ? ' ' : '\n', stdout);
        JS_FreeCString(ctx, s);
    }
    return JS_UNDEFINED;
}

#ifdef NAPKIN_OP_COUNTS
void js_op_counts_write(JSContext *ctx, FILE *f); /* quickjs.c, op-counts.patch */

static int write_op_counts(JSContext *ctx) {
    const char *path = getenv("NAPKIN_OP_COUNTS");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) { fprintf(stderr, "qjsbc: no file to write the op counts to (NAPKIN_OP_COUNTS)\n"); return 1; }
    js_op_counts_write(ctx, f);
    return fclose(f) != 0;
}
#else
static int write_op_counts(JSContext *ctx) { (void)ctx; return 0; }
#endif

/* --run: the script's bytecode read back and evaluated, with print() and natives. */
static int run(JSContext *ctx, const char *path) {
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
    JSValue helpers = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, helpers, stack_natives, stack_natives_count);
    JS_SetPropertyStr(ctx, global, "natives", helpers);
    JS_FreeValue(ctx, global);
    size_t size;
    uint8_t *bc = compile(ctx, path, &size);
    if (!bc) return report(ctx, path);
    JSValue fn = JS_ReadObject(ctx, bc, size, JS_READ_OBJ_BYTECODE);
    js_free(ctx, bc);
    if (JS_IsException(fn) || JS_IsException(JS_EvalFunction(ctx, fn))) return report(ctx, path);
    /* Then the promise jobs, as the guest's runtime runs them, until none is left. */
    for (;;) {
        JSContext *job_ctx;
        int ran = JS_ExecutePendingJob(JS_GetRuntime(ctx), &job_ctx);
        if (ran < 0) return report(job_ctx, path);
        if (ran == 0) return write_op_counts(ctx);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: qjsbc kernel.js kernel.bc\n       qjsbc --run script.js\n");
        return 2;
    }
    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = JS_NewContext(rt);
    if (strcmp(argv[1], "--run") == 0) return run(ctx, argv[2]);
    size_t size;
    uint8_t *bc = compile(ctx, argv[1], &size);
    if (!bc) return report(ctx, argv[1]);
    FILE *out = fopen(argv[2], "wb");
    if (!out || fwrite(bc, 1, size, out) != size || fclose(out) != 0) { perror(argv[2]); return 1; }
    return 0;
}
