#pragma once
// The PL011 UART, polled for output; input by interrupt (kernel/console_input.c).
#include <stdint.h>

void pl011_init(volatile void *base);
void pl011_putc(char c);
// Waits until every byte written has left the line (the FIFO is empty, the UART idle).
void pl011_flush(void);
// Raises the UART's interrupt when bytes arrive (receive and receive-timeout).
void pl011_rx_interrupts(void);
// Clears the receive interrupts: before the FIFO is drained, so that a byte arriving
// after the drain's last look raises them again (cleared after it, that byte's
// interrupt was lost: it waited in the FIFO until the next key came).
void pl011_rx_acknowledge(void);
// The next byte received, or -1 when none waits. Bytes received with an error (framing,
// parity, break, overrun) are skipped.
int pl011_getc(void);
