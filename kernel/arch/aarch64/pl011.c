#include <kernel/arch/aarch64/pl011.h>

enum {
	UART_DR = 0x00,
	UART_FR = 0x18,
	UART_CR = 0x30,
	UART_ICR = 0x44,
};

enum {
	FR_BUSY = 1 << 3,
	FR_TXFF = 1 << 5,
	CR_UARTEN = 1 << 0,
	CR_TXE = 1 << 8,
	CR_RXE = 1 << 9,
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
