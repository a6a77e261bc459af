/*
 * QuickJS's own translation unit for the host's qjsbc, with the one reach
 * into its internals that the stack's natives need (boot/stack_natives.c):
 * a typed array's bytes, found as the guest finds them (boot/js_frame.c).
 */
#include "quickjs.c"
#include "../boot/js_frame.h"
#include "../boot/typed_array_bytes.h"
