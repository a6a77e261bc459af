/*
 * The network stack's native helpers, where JS is far too slow: the Internet
 * checksum of a range, a copy, the two in one pass, and the keyed hash of
 * TCP's sequence numbers and SYN cookies (net/wire/checksum.ts, bytes.ts,
 * net/socket/hsiphash.ts take them in place of their JS versions). The guest
 * puts them on its napkin object; the host's qjsbc offers them to --run
 * scripts, so that tools/bench cost counts what the guest pays for them.
 */
#ifndef NAPKIN_STACK_NATIVES_H
#define NAPKIN_STACK_NATIVES_H

#include "quickjs.h"

extern const JSCFunctionListEntry stack_natives[];
extern const int stack_natives_count;

#endif
