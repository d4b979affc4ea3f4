/* CPU exceptions: a full report, then the VM ends with TORO_STATUS_PANIC. */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/status.h>
#include <kernel/trap.h>

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
	"#MF x87 floating point", "#AC alignment check", "#MC machine check",
	"#XM SIMD floating point", "#VE virtualization", "#CP control protection",
};

#define PF_PRESENT 0x1
#define PF_WRITE   0x2
#define PF_FETCH   0x10

static void explain_page_fault(const struct trap_frame *f)
{
	uintptr_t addr = read_cr2();
	const char *access = (f->error & PF_FETCH) ? "instruction fetch"
			     : (f->error & PF_WRITE) ? "write"
						     : "read";
	kprintf("  %s at address 0x%lx (%s)\n", access, addr,
		(f->error & PF_PRESENT) ? "protection violation" : "page not mapped");
	const struct kstack *ks = kstack_find_guard(addr), *live;
	if (addr < PAGE_SIZE)
		kprintf("  NULL pointer dereference\n");
	else if (ks)
		kprintf("  stack overflow in thread '%s' (hit the guard page below its stack)\n",
			ks->owner);
	else if ((live = kstack_find(addr)) && !(f->error & PF_PRESENT))
		kprintf("  an untouched stack page of thread '%s' (not backed)\n", live->owner);
	else if (addr >= VM_STACK_BASE && addr < VM_STACK_END && !(f->error & PF_PRESENT))
		kprintf("  in the stack region, but in no live stack\n");
	else if (f->error & PF_PRESENT)
		kprintf("  W^X: the page does not allow this access\n");
}

static void print_registers(const struct trap_frame *f)
{
	kprintf("  rip %016lx  rsp %016lx  rbp %016lx  rflags %08lx\n", f->rip, f->rsp, f->rbp,
		f->rflags);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx,
		f->rdx);
	kprintf("  rsi %016lx  rdi %016lx  r8  %016lx  r9  %016lx\n", f->rsi, f->rdi, f->r8, f->r9);
	kprintf("  r10 %016lx  r11 %016lx  r12 %016lx  r13 %016lx\n", f->r10, f->r11, f->r12,
		f->r13);
	kprintf("  r14 %016lx  r15 %016lx  cs %lx ss %lx\n", f->r14, f->r15, f->cs, f->ss);
}

void irq_dispatch(struct trap_frame *f);

void trap_dispatch(struct trap_frame *f)
{
	static int nested;
	if (f->vector >= 32) {
		irq_dispatch(f);
		return;
	}
	/* a thread's first touch of a stack page (also while reporting a fault): back it */
	if (f->vector == 14 && kstack_fault(read_cr2(), f->error) == 0)
		return;
	if (nested++) /* a fault while reporting a fault: stop here */
		machine_exit(TORO_STATUS_PANIC);
	const char *name = f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector]
									 : "unknown";
	kprintf("\ntoro: CPU exception %lu (%s), error code 0x%lx\n", f->vector, name, f->error);
	if (f->vector == 14)
		explain_page_fault(f);
	print_registers(f);
	backtrace_print(f->rip, f->rbp, f->rsp);
	machine_exit(TORO_STATUS_PANIC);
}
