/*
 * 16550 UART, polled.  QEMU: present by default on pc, q35 and microvm
 * (`-serial stdio`, or `-M microvm,isa-serial=on`, the default).
 */
#include <drivers/uart16550.h>
#include <kernel/cpu.h>

#define COM1 0x3f8

/* Register offsets from COM1 (16550 data sheet). */
#define UART_DATA 0 /* RBR/THR, or divisor low with DLAB */
#define UART_IER  1 /* interrupt enable, or divisor high with DLAB */
#define UART_FCR  2 /* FIFO control */
#define UART_LCR  3 /* line control */
#define UART_MCR  4 /* modem control */
#define UART_LSR  5 /* line status */

#define LCR_8N1	 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS 0x03
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

/* Bound on waiting for the transmitter: a stuck UART must not hang us. */
#define UART_TX_SPINS 100000

void uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1); /* 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS);
}

void uart_putc(char c)
{
	for (int i = 0; i < UART_TX_SPINS; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (unsigned char)c);
}

int uart_rx_ready(void)
{
	return (inb(COM1 + UART_LSR) & LSR_DATA_READY) != 0;
}

int uart_getc_nowait(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}
