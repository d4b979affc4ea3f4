/*
 * GDT, TSS and IDT.  #PF, #DF, #NMI and #MC run on their own stacks (IST) so
 * that a stack overflow into a guard page can still be reported, and so that
 * #PF can back a thread's untouched stack page (kernel/kstack.c).  Device
 * interrupts arrive on a third one and move to the thread's stack in isr.S:
 * the CPU has acknowledged the interrupt before it pushes its frame, so a
 * page fault on that push would lose it.
 */
#include <stdint.h>
#include <string.h>
#include <kernel/trap.h>

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TSS_SEL	  0x18

#define IST_FAULT  1 /* #PF, #DF */
#define IST_NMI_MC 2
#define IST_SIZE   8192 /* IST_IRQ (trap.h) uses the third, for a few words only */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* 0x8e: present, ring 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct table_desc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[5] = {
	0,
	0x00af9a000000ffffULL, /* KERNEL_CS: 64-bit code */
	0x00cf92000000ffffULL, /* KERNEL_DS */
	0,		       /* TSS_SEL: 16-byte system descriptor, filled at init */
	0,
};
static struct tss tss;
static struct idt_entry idt[256];
static uint8_t ist_stacks[3][IST_SIZE] __attribute__((aligned(16)));

extern const uint64_t isr_table[32];
void irq_install_stubs(void);

static void tss_install(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	tss.ist[IST_FAULT - 1] = (uintptr_t)&ist_stacks[0][IST_SIZE];
	tss.ist[IST_NMI_MC - 1] = (uintptr_t)&ist_stacks[1][IST_SIZE];
	tss.ist[TRAP_IST_IRQ - 1] = (uintptr_t)&ist_stacks[2][IST_SIZE];
	tss.iomap_base = sizeof(tss);
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
}

void idt_set(int vector, uint64_t handler, int ist)
{
	struct idt_entry *e = &idt[vector];
	e->offset_lo = handler & 0xffff;
	e->selector = KERNEL_CS;
	e->ist = (uint8_t)ist;
	e->type_attr = 0x8e;
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_hi = handler >> 32;
	e->reserved = 0;
}

void trap_init(void)
{
	tss_install();
	struct table_desc g = {sizeof(gdt) - 1, (uintptr_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(g), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL)
			 : "rax", "memory");
	for (int v = 0; v < 32; v++) {
		int ist = 0;
		if (v == 8 || v == 14)
			ist = IST_FAULT;
		else if (v == 2 || v == 18)
			ist = IST_NMI_MC;
		idt_set(v, isr_table[v], ist);
	}
	irq_install_stubs();
	struct table_desc i = {sizeof(idt) - 1, (uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(i));
}
