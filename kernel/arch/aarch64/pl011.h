#pragma once
// The PL011 UART, polled for output; input by interrupt (kernel/console_input.c).
#include <stdint.h>

void pl011_init(volatile void *base);
void pl011_putc(char c);
// Waits until every byte written has left the line (the FIFO is empty, the UART idle).
void pl011_flush(void);
// Raises the UART's interrupt when bytes arrive (receive and receive-timeout).
void pl011_rx_interrupts(void);
// The next byte received, or -1 when none waits (the receive interrupts then cleared).
// Bytes received with an error (framing, parity, break, overrun) are skipped.
int pl011_getc(void);
