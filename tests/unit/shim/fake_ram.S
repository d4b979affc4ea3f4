/*
 * fake_ram and the image symbols inside it; see fake_ram.h.  Plain labels at
 * fixed offsets: the kernel declares them as char arrays and only takes
 * their addresses.  __data_start, __data_end and __bss_start are left out:
 * no kernel code reads them, and the host's crt1.o and linker script define
 * them already.
 */
#include "fake_ram.h"

	.section .bss
	.balign FAKE_RAM_ALIGN
	.globl fake_ram
	.type fake_ram, @object
	.size fake_ram, FAKE_RAM_SIZE
fake_ram:
	.skip FAKE_RAM_SIZE

	.globl __image_start, __image_end
	.globl __text_start, __text_end, __rodata_start, __rodata_end
	.set __image_start, fake_ram + FAKE_TEXT
	.set __text_start, fake_ram + FAKE_TEXT
	.set __text_end, fake_ram + FAKE_TEXT_END
	.set __rodata_start, fake_ram + FAKE_RODATA
	.set __rodata_end, fake_ram + FAKE_RODATA_END
	.set __image_end, fake_ram + FAKE_IMAGE_END

	.section .note.GNU-stack, "", @progbits
