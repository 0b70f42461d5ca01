#include <kernel/arch/aarch64/pl011.h>

enum {
	UART_DR = 0x00,
	UART_FR = 0x18,
	UART_CR = 0x30,
	UART_IMSC = 0x38,
	UART_ICR = 0x44,
};

enum {
	FR_BUSY = 1 << 3,
	FR_RXFE = 1 << 4,
	FR_TXFF = 1 << 5,
	CR_UARTEN = 1 << 0,
	CR_TXE = 1 << 8,
	CR_RXE = 1 << 9,
	INT_RX = 1 << 4,	// the receive FIFO reached its trigger level
	INT_RT = 1 << 6,	// bytes wait in it and none came for a while
	DR_ERRORS = 0xf00,	// framing, parity, break, overrun: the byte is not one
};

static volatile uint32_t *uart;

static inline volatile uint32_t *reg(unsigned offset) { return uart + offset / 4; }

// The firmware (or QEMU) has set the line up; only make sure it is enabled.
void pl011_init(volatile void *base)
{
	uart = base;
	*reg(UART_ICR) = 0x7ff;
	*reg(UART_CR) |= CR_UARTEN | CR_TXE | CR_RXE;
}

void pl011_putc(char c)
{
	if (!uart)
		return;
	while (*reg(UART_FR) & FR_TXFF)
		;
	*reg(UART_DR) = (uint8_t)c;
}

void pl011_flush(void)
{
	while (uart && (*reg(UART_FR) & FR_BUSY))
		;
}

void pl011_rx_interrupts(void)
{
	if (uart)
		*reg(UART_IMSC) |= INT_RX | INT_RT;
}

void pl011_rx_acknowledge(void)
{
	if (uart)
		*reg(UART_ICR) = INT_RX | INT_RT;
}

int pl011_getc(void)
{
	while (uart && !(*reg(UART_FR) & FR_RXFE)) {
		uint32_t data = *reg(UART_DR);
		if (!(data & DR_ERRORS))
			return (uint8_t)data;
	}
	return -1;
}
