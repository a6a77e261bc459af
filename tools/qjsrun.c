/*
 * qjsrun: runs a JavaScript module in a host build of napkin's QuickJS (the
 * same source, patches and configuration as the guest's), the way the guest
 * runs its kernel: compiled as qjsbc compiles it, written to bytecode, read
 * back and evaluated. The tests of napkin's changes to QuickJS use it.
 *   usage: qjsrun script.js
 * Prints what the script passes to print(); exits 1 if it throws.
 */
#include <stdio.h>
#include <stdlib.h>
#include "quickjs.h"

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

static int report(JSContext *ctx, const char *what) {
    JSValue e = JS_GetException(ctx);
    const char *msg = JS_ToCString(ctx, e);
    JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
    const char *where = JS_IsUndefined(stack) ? NULL : JS_ToCString(ctx, stack);
    fprintf(stderr, "qjsrun: %s: %s\n%s", what, msg ? msg : "?", where ? where : "");
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: qjsrun script.js\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *src = malloc(n + 1);
    if (!src || fread(src, 1, n, f) != n) { perror(argv[1]); return 1; }
    src[n] = 0;
    fclose(f);

    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = JS_NewContext(rt);
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
    JS_FreeValue(ctx, global);
    JSValue fn = JS_Eval(ctx, src, n, argv[1], JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_NO_TDZ | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn)) return report(ctx, "compile");
    size_t size;
    uint8_t *bc = JS_WriteObject(ctx, &size, fn, JS_WRITE_OBJ_BYTECODE);
    JS_FreeValue(ctx, fn);
    if (!bc) return report(ctx, "write");
    fn = JS_ReadObject(ctx, bc, size, JS_READ_OBJ_BYTECODE);
    js_free(ctx, bc);
    if (JS_IsException(fn)) return report(ctx, "read");
    JSValue result = JS_EvalFunction(ctx, fn);
    if (JS_IsException(result)) return report(ctx, "run");
    return 0;
}
