/* The sampling profiler's hard half: the RTC's periodic interrupt and a ring of samples. */
#ifndef NAPKIN_PROFILE_H
#define NAPKIN_PROFILE_H
#include <stdint.h>
#include "cpu.h"
#include "js_frame.h"

/* The CMOS RTC's line; nothing else uses it. */
#define IRQ_RTC 8

/* With profile=boot on the command line, the profiler runs from before
 * QuickJS starts, at this rate, until `perf boot` reads it: a boot profile,
 * as Linux's profile= boot parameter gives readprofile. */
#define PROFILE_BOOT_HZ 1024

/* Samples the ring holds: half a minute at perf top's 128 Hz. */
#define PROFILE_RING_SAMPLES 4096

struct profile_sample {
    uint32_t eip;                 /* where the CPU was */
    struct js_running running;    /* what QuickJS was running */
};

/* The rate the profiler samples at, 0 while it is stopped; the idle path
 * checks it on every wake-up. */
extern volatile uint32_t profile_running;
/* A random delay of up to one of v86's runs of instructions, with interrupts
 * on; its own interrupt, if one comes, is not a sample (see profile.c). None
 * while the ring is full. */
void profile_dither(void);

/* Start sampling at the RTC rate nearest `hz` (a power of two, 2..8192);
 * returns that rate. Samples left from before are dropped. */
uint32_t profile_start(uint32_t hz);
void profile_stop(void);
/* profile_running, for JS (natives.c). */
uint32_t profile_rate(void);
/* IRQ 8, from trap_dispatch with interrupts off. */
void profile_interrupt(const struct trap_frame *frame);
/* Moves up to `max` samples, oldest first, out of the ring; *lost gets the
 * samples the full ring had to drop since the last call. */
uint32_t profile_take(struct profile_sample *out, uint32_t max, uint32_t *lost);
#endif
