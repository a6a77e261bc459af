/* Time: a TSC-based monotonic µs clock and a one-shot PIT deadline timer. */
#ifndef NAPKIN_TIMER_H
#define NAPKIN_TIMER_H
#include <stdint.h>

void clock_init(void);       /* calibrates the TSC against the PIT */
double clock_now_us(void);   /* µs since clock_init */
double clock_tsc_mhz(void);
/* Halt until an IRQ is pending or the deadline (µs, clock_now_us) passes;
 * returns the µs it waited. */
double cpu_idle_until(double deadline_us);
/* Whether the CPU is halted in cpu_idle_until (an IRQ now ends the wait, and
 * the scheduler takes it at once: there is no running JS to preempt). */
extern volatile int cpu_idle;
#endif
