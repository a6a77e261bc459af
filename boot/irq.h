/* The 8259 PICs and the hard-IRQ stub. */
#ifndef NAPKIN_IRQ_H
#define NAPKIN_IRQ_H
#include <stdint.h>

void pic_init(void);
void irq_mask(int irq);
void irq_unmask(int irq);
/* End of interrupt for `irq`, to the slave PIC too if it came through it. */
void irq_eoi(int irq);
/* The lines among `lines` whose stub fired since they were last taken (each
 * left masked); taking them is also the scheduler's look that clears
 * irq_note_hardirq_work(). */
uint32_t irq_take_pending(uint32_t lines);
/* The kernel's hard-IRQ entry ran (runtime.c): until the next irq_take_pending,
 * irq_any_pending() is true, so the CPU does not halt on the work it left. */
void irq_note_hardirq_work(void);
/* A preemptive line's stub also asks the runtime to run the kernel's hard-IRQ
 * entry at QuickJS's next safe point (runtime.c), not at the next scheduler pass. */
void irq_set_preempt(int irq, int on);
/* A line is pending, or the hard-IRQ entry left work: the idle loop must not halt. */
int irq_any_pending(void);
uint32_t irq_spurious_count(int irq);
void irq_hard(int irq); /* called from trap_dispatch with interrupts off */

/* IRQ 0 belongs to the runtime's one-shot timer (timer.c), not to the kernel. */
#define IRQ_TIMER 0
void timer_interrupt(void);
#endif
