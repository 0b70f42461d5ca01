#pragma once
// The PL011 UART, polled for output.
#include <stdint.h>

void pl011_init(volatile void *base);
void pl011_putc(char c);
// Waits until every byte written has left the line (the FIFO is empty, the UART idle).
void pl011_flush(void);
