/* The 8259 PICs and the hard-IRQ stub. */
#ifndef NAPKIN_IRQ_H
#define NAPKIN_IRQ_H
#include <stdint.h>

void pic_init(void);
void irq_mask(int irq);
void irq_unmask(int irq);
/* End of interrupt for `irq`, to the slave PIC too if it came through it. */
void irq_eoi(int irq);
/* The lines among `lines` whose stub fired since they were last taken (each left masked). */
uint32_t irq_take_pending(uint32_t lines);
/* A preemptive line's stub also asks the runtime to run the kernel's hard-IRQ
 * entry at QuickJS's next safe point (runtime.c), not at the next scheduler pass. */
void irq_set_preempt(int irq, int on);
int irq_any_pending(void);
uint32_t irq_spurious_count(int irq);
void irq_hard(int irq); /* called from trap_dispatch with interrupts off */

/* IRQ 0 belongs to the runtime's one-shot timer (timer.c), not to the kernel. */
#define IRQ_TIMER 0
void timer_interrupt(void);
#endif
