#pragma once
// Interrupt dispatch: one handler per interrupt ID, the same on every CPU.
#include <kernel/arch/aarch64/trapframe.h>

#define IRQ_LINES 1020

typedef void (*irq_handler)(unsigned intid);

// Installs the handler. A shared interrupt (SPI) is enabled at once; private ones (SGIs,
// PPIs) must be registered before any CPU starts and are enabled by irq_init_cpu.
void irq_register(unsigned intid, irq_handler handler);

// Enables on the running CPU every private interrupt that has a handler.
void irq_init_cpu(void);

// Called from the vectors with IRQs masked.
void irq_handle(struct trapframe *frame);
