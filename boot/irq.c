/*
 * The 8259 PIC pair and the hard-IRQ stub. The stub does the least a PC
 * interrupt needs and nothing more: mask the line, send EOI, mark it pending.
 * The kernel's IRQ dispatcher (kernel/irq) does the real work later and
 * unmasks the line when its handlers have returned: at the next scheduler
 * pass, or, for a preemptive line, at QuickJS's next safe point.
 */
#include "irq.h"
#include "io.h"
#include "runtime.h"
#include "timer.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0B

static volatile uint32_t pending;
static uint32_t preempt_lines;
static uint32_t spurious[16];

void pic_init(void) {
    /* ICW1..ICW4: edge triggered, cascade, vectors 32-47, 8086 mode. */
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 32);
    outb(PIC2_DATA, 40);
    outb(PIC1_DATA, 4); /* slave on IRQ 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 0x01);
    outb(PIC2_DATA, 0x01);
    /* Everything masked but the cascade; lines open as drivers ask. */
    outb(PIC1_DATA, 0xFB);
    outb(PIC2_DATA, 0xFF);
}

void irq_mask(int irq) {
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    uint32_t f = irq_save();
    outb(port, inb(port) | (1 << (irq & 7)));
    irq_restore(f);
}

void irq_unmask(int irq) {
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    uint32_t f = irq_save();
    outb(port, inb(port) & ~(1 << (irq & 7)));
    irq_restore(f);
}

void irq_eoi(int irq) {
    if (irq >= 8) outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

/*
 * Set when the kernel's hard-IRQ entry has run: the top halves may have left
 * work with the scheduler (a woken handler, a raised softirq) that no pending
 * bit shows. The scheduler's next look at the lines clears it; until then
 * the CPU must not halt, or that work would wait for the next interrupt.
 */
static volatile int hardirq_work;

void irq_note_hardirq_work(void) { hardirq_work = 1; }

uint32_t irq_take_pending(uint32_t lines) {
    uint32_t f = irq_save();
    uint32_t p = pending & lines;
    pending &= ~lines;
    hardirq_work = 0;
    irq_restore(f);
    return p;
}

void irq_set_preempt(int irq, int on) {
    if (on) preempt_lines |= 1u << irq;
    else preempt_lines &= ~(1u << irq);
}

int irq_any_pending(void) { return pending != 0 || hardirq_work; }

uint32_t irq_spurious_count(int irq) { return irq >= 0 && irq < 16 ? spurious[irq] : 0; }

static int in_service(int irq) {
    uint16_t port = irq < 8 ? PIC1_CMD : PIC2_CMD;
    outb(port, PIC_READ_ISR);
    return (inb(port) >> (irq & 7)) & 1;
}

void irq_hard(int irq) {
    /* A spurious IRQ 7/15 is one the PIC withdrew: its ISR bit is clear and it
     * must not be acknowledged (the master still needs EOI for a slave one). */
    if ((irq == 7 || irq == 15) && !in_service(irq)) {
        spurious[irq]++;
        if (irq == 15) outb(PIC1_CMD, PIC_EOI);
        return;
    }
    if (irq == IRQ_TIMER) {
        outb(PIC1_CMD, PIC_EOI);
        timer_interrupt();
        return;
    }
    irq_mask(irq);
    irq_eoi(irq);
    pending |= 1u << irq;
    /* From idle the scheduler's pass comes at once and runs the top half
     * itself; only JS that is busy needs preempting. */
    if ((preempt_lines & (1u << irq)) && !cpu_idle) runtime_hardirq_request();
}
