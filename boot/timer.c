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

/*
 * TSC ticks per µs over a window of at least `ticks` PIT ticks. The TSC
 * reads come first and last, so whatever keeps the CPU from running in
 * between can only make the result too high: a pause of the host (v86
 * follows the host's clock, and a busy browser tab may not run it for a
 * while) is either counted by both clocks, or, between a TSC and a PIT
 * read or long enough for the PIT's 16-bit count to wrap (55 ms), by the
 * TSC alone.
 */
static double tsc_per_us_over(uint32_t ticks) {
    pit_oneshot(PIT_MAX_TICKS);
    uint64_t t0 = rdtsc();
    uint16_t start = pit_read_ch0();
    uint32_t elapsed;
    do {
        elapsed = (uint16_t)(start - pit_read_ch0());
    } while (elapsed < ticks);
    uint64_t t1 = rdtsc();
    return (double)(t1 - t0) / (elapsed * 1e6 / PIT_HZ);
}

void clock_init(void) {
    /* Windows of 2 ms of PIT ticks: one tick either way is 0.04%, and the
     * busy wait is boot time (in v86 it also costs a number of instructions
     * that varies with the host). No window comes out too low (see above),
     * so the lowest of three is right unless the host paused in all three. */
    const uint32_t window = (uint32_t)(PIT_HZ / 500);
    tsc_at_boot = rdtsc();
    tsc_per_us = tsc_per_us_over(window);
    for (int i = 1; i < 3; i++) {
        double rate = tsc_per_us_over(window);
        if (rate < tsc_per_us) tsc_per_us = rate;
    }
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
