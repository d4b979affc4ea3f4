/* The console: the UART today; the place to add a virtio-console later. */
#include <drivers/uart16550.h>
#include <kernel/console.h>
#include <kernel/irq.h>

void console_init(void)
{
	uart_init();
}

void console_write(const char *buf, size_t len)
{
	unsigned long f = irq_save(); /* one write stays whole among threads */
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			uart_putc('\r');
		uart_putc(buf[i]);
	}
	irq_restore(f);
}

int console_peek(void)
{
	return uart_rx_ready();
}

int console_getc_nowait(void)
{
	return uart_getc_nowait();
}
