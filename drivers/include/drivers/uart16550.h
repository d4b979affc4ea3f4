/* 16550 UART on COM1 (I/O port 0x3f8): QEMU `-serial stdio`. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

void uart_init(void);
void uart_putc(char c);
/* Returns the next received byte, or -1 if none. */
int uart_getc_nowait(void);
/* Returns 1 if a received byte is waiting. */
int uart_rx_ready(void);

#endif
