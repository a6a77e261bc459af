/*
 * The clock and the one-shot timer. The clock is the TSC, calibrated once
 * against the PIT. The timer is PIT channel 0 in mode 0 (interrupt on
 * terminal count): armed for the next deadline only, so an idle napkin takes
 * no periodic tick at all.
 */
#include "timer.h"
#include "io.h"
#include "irq.h"
#include "profile.h"

#define PIT_HZ 1193182.0
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_MAX_TICKS 0xFFFF

volatile int cpu_idle;
static uint64_t tsc_at_boot;
static double tsc_per_us;

static uint16_t pit_read_ch0(void) {
    outb(PIT_CMD, 0x00); /* latch channel 0 */
    uint8_t lo = inb(PIT_CH0);
    uint8_t hi = inb(PIT_CH0);
    return (uint16_t)(lo | hi << 8);
}

static void pit_oneshot(uint32_t ticks) {
    if (ticks < 2) ticks = 2;
    if (ticks > PIT_MAX_TICKS) ticks = PIT_MAX_TICKS;
    outb(PIT_CMD, 0x30); /* channel 0, lo/hi byte, mode 0 */
    outb(PIT_CH0, ticks & 0xFF);
    outb(PIT_CH0, ticks >> 8);
}

void clock_init(void) {
    /* Count 2 ms of PIT ticks and see how far the TSC moved meanwhile: one
     * tick either way is 0.04%, and the busy wait is boot time (in v86 it
     * also costs a number of instructions that varies with the host). */
    const uint32_t window = (uint32_t)(PIT_HZ / 500);
    pit_oneshot(PIT_MAX_TICKS);
    uint16_t start = pit_read_ch0();
    uint64_t t0 = rdtsc();
    uint32_t elapsed;
    do {
        elapsed = (uint16_t)(start - pit_read_ch0());
    } while (elapsed < window);
    uint64_t t1 = rdtsc();
    tsc_per_us = (double)(t1 - t0) / (elapsed * 1e6 / PIT_HZ);
    tsc_at_boot = t0;
}

double clock_now_us(void) { return (double)(rdtsc() - tsc_at_boot) / tsc_per_us; }

double clock_tsc_mhz(void) { return tsc_per_us; }

void timer_interrupt(void) {
    /* Nothing to record: the interrupt exists only to end the hlt below. */
}

double cpu_idle_until(double deadline_us) {
    double start = clock_now_us();
    for (;;) {
        __asm__ volatile("cli");
        if (irq_any_pending()) break;
        double now = clock_now_us();
        if (deadline_us <= now) break;
        if (deadline_us < 1e300) {
            double ticks = (deadline_us - now) * (PIT_HZ / 1e6);
            pit_oneshot(ticks > PIT_MAX_TICKS ? PIT_MAX_TICKS : (uint32_t)ticks + 1);
        }
        /* sti takes effect after the next instruction, so no IRQ can slip in
         * between the check above and the hlt: a wakeup is never lost. */
        cpu_idle = 1;
        __asm__ volatile("sti; hlt" ::: "memory");
        cpu_idle = 0;
        /* Any interrupt ends the wait, but the profiler's own tick is no
         * reason to: while it runs, wait on, after a random delay (profile.c). */
        if (!profile_running) break;
        profile_dither();
    }
    __asm__ volatile("sti");
    return clock_now_us() - start;
}
