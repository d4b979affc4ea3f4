/*
 * Fake physical RAM for the pmem and vm tests, with the kernel image's
 * linker symbols (__image_start, __text_start, ...) placed inside it.
 *
 * pmem.c only makes its core out of RAM below 4 GiB (the boot page tables
 * map no more), and the host heap, mmap and a PIE's .bss all live far above
 * that on x86_64 Linux.  So the tests that use this file are linked without
 * PIE: their .bss then sits a few MiB above 0x400000, and fake_ram is a
 * 2 MiB-aligned array there.  Being part of the image, it needs no mmap at a
 * guessed address and nothing to unmap.  Addresses are "physical" and
 * identity-mapped, as in the kernel: the page tables vm.c builds point at
 * host memory the test can walk.
 *
 * The layout is plain numbers because fake_ram.S hands it to the assembler.
 */
#ifndef UNIT_FAKE_RAM_H
#define UNIT_FAKE_RAM_H

#define FAKE_RAM_SIZE  (32 << 20)
#define FAKE_RAM_ALIGN (2 << 20)

/* Offsets in fake_ram; the image starts 12 KiB into the second 2 MiB. */
#define FAKE_TEXT	0x203000
#define FAKE_TEXT_END	0x208000
#define FAKE_RODATA	0x208000
#define FAKE_RODATA_END 0x20a000
#define FAKE_IMAGE_END	0x20c800 /* data and bss; not page-aligned: pmem rounds it up */

#ifndef __ASSEMBLER__
extern char fake_ram[];
#endif

#endif
