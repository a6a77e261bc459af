/*
 * The sampling profiler, as Linux's readprofile: while it runs, the CMOS RTC
 * interrupts at a fixed rate and each interrupt records where the CPU was and
 * which JS function QuickJS was running. Only plain numbers are stored here;
 * names are looked up later, in thread context (natives.c). The ring has one
 * writer (this interrupt) and one reader (profile_take, on the same CPU), so
 * it needs no lock: the writer publishes an entry by moving `head` past it.
 *
 * v86 takes an interrupt only between its runs of about 100k instructions,
 * and starts a fresh run at each interrupt it delivers. A workload that
 * repeats (wake up for a packet, handle it, halt) would then be interrupted
 * at the same few points every time. So while the profiler runs, a random
 * delay of up to one run follows each wake-up from halt and each sample, and
 * the next interrupt falls at a random point of the work.
 */
#include "profile.h"
#include "io.h"
#include "irq.h"
#include "runtime.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_A 0x0A /* rate select in bits 0-3 */
#define RTC_B 0x0B
#define RTC_C 0x0C /* interrupt flags; reading it acknowledges the interrupt */
#define RTC_B_PERIODIC 0x40

/* v86's run, in instructions; the delay loop takes two instructions a turn. */
#define V86_RUN_INSTRUCTIONS 100003
#define DITHER_TURNS (V86_RUN_INSTRUCTIONS / 2)

volatile uint32_t profile_running;
static volatile int dithering;
static uint32_t random_state = 1;

static struct profile_sample ring[PROFILE_RING_SAMPLES];
static volatile uint32_t head, tail; /* free-running; the entry at i is ring[i % PROFILE_RING_SAMPLES] */
static volatile uint32_t lost;

static uint8_t cmos_read(uint8_t reg) {
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t value) {
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, value);
}

/* The RTC divides 32768 Hz by a power of two: rate select r gives 32768 >> (r - 1). */
static uint8_t rate_select(uint32_t hz) {
    uint8_t r = 3;
    while (r < 15 && (32768u >> (r - 1)) * 2 > hz * 3) r++; /* the first rate at most 1.5 times hz */
    return r;
}

/* xorshift32: enough to scatter the delays. */
static uint32_t next_random(void) {
    uint32_t x = random_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return random_state = x;
}

void profile_dither(void) {
    /* With the ring full, samples are only counted as lost: nothing to
     * spread, and a profile nobody reads (profile=boot) costs no CPU. */
    if (head - tail >= PROFILE_RING_SAMPLES) return;
    uint32_t turns = 1 + next_random() % DITHER_TURNS;
    dithering = 1;
    uint32_t f = irq_save();
    __asm__ volatile("sti\n1: dec %0\n jnz 1b" : "+r"(turns)::"memory", "cc");
    irq_restore(f);
    dithering = 0;
}

uint32_t profile_start(uint32_t hz) {
    uint8_t r = rate_select(hz);
    uint32_t f = irq_save();
    head = tail = lost = 0;
    random_state = (uint32_t)rdtsc() | 1;
    profile_running = 32768u >> (r - 1);
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | r);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_B_PERIODIC);
    cmos_read(RTC_C); /* a flag left set would hold the line */
    irq_restore(f);
    irq_unmask(IRQ_RTC);
    return profile_running;
}

uint32_t profile_rate(void) { return profile_running; }

void profile_stop(void) {
    profile_running = 0;
    irq_mask(IRQ_RTC);
    uint32_t f = irq_save();
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_B_PERIODIC);
    cmos_read(RTC_C);
    irq_restore(f);
}

void profile_interrupt(const struct trap_frame *frame) {
    cmos_read(RTC_C);
    irq_eoi(IRQ_RTC);
    if (dithering) return; /* it came during the profiler's own delay: not a sample */
    if (head - tail >= PROFILE_RING_SAMPLES) {
        lost++;
    } else {
        struct profile_sample *s = &ring[head % PROFILE_RING_SAMPLES];
        s->eip = frame->eip;
        js_frame_running(runtime_js(), &s->running);
        head++;
    }
    profile_dither();
}

uint32_t profile_take(struct profile_sample *out, uint32_t max, uint32_t *lost_out) {
    uint32_t n = 0;
    while (n < max && tail != head) {
        __asm__ volatile("" ::: "memory"); /* read the entry only after seeing it published */
        out[n++] = ring[tail % PROFILE_RING_SAMPLES];
        tail++;
    }
    uint32_t f = irq_save();
    *lost_out = lost;
    lost = 0;
    irq_restore(f);
    return n;
}
