/*
 * MSI-X (PCI 3.0, 6.8.2): map a function's vector table, mask everything,
 * enable, then aim single entries at CPU vectors (kernel/irq.h msi_compose).
 */
#include <errno.h>
#include <kernel/irq.h>
#include <drivers/pci.h>

static volatile uint32_t *entry_reg(struct pci_msix *m, unsigned entry, unsigned reg)
{
	return m->table + (entry * PCI_MSIX_ENTRY_SIZE + reg) / 4;
}

void pci_msix_mask(struct pci_msix *m, unsigned entry)
{
	if (entry < m->size)
		*entry_reg(m, entry, PCI_MSIX_ENTRY_CTRL) |= PCI_MSIX_ENTRY_MASKED;
}

int pci_msix_enable(const struct pci_dev *d, struct pci_msix *m)
{
	unsigned cap = pci_cap_find(d, PCI_CAP_ID_MSIX, 0);
	if (!cap)
		return -ENODEV;
	uint16_t ctrl = pci_cfg_read16(d, cap + PCI_MSIX_CTRL);
	uint32_t table = pci_cfg_read32(d, cap + PCI_MSIX_TABLE);
	unsigned size = (ctrl & PCI_MSIX_CTRL_SIZE) + 1u;
	volatile void *p;
	int err = pci_bar_map(d, (int)(table & PCI_MSIX_TABLE_BIR), table & ~PCI_MSIX_TABLE_BIR,
	                      (uint64_t)size * PCI_MSIX_ENTRY_SIZE, &p);
	if (err < 0)
		return err;
	m->dev = *d;
	m->table = p;
	m->size = size;
	m->cap = cap;
	/* Enabled but masked as a whole while the entries are masked one by one. */
	pci_cfg_write16(d, cap + PCI_MSIX_CTRL,
	                ctrl | PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < size; i++)
		pci_msix_mask(m, i);
	ctrl = (uint16_t)((ctrl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_MASKALL);
	pci_cfg_write16(d, cap + PCI_MSIX_CTRL, ctrl);
	return 0;
}

int pci_msix_set(struct pci_msix *m, unsigned entry, int vector)
{
	uint64_t addr;
	uint32_t data;
	if (entry >= m->size || vector < IRQ_VECTOR_FIRST_DEVICE || vector > IRQ_VECTOR_LAST_DEVICE)
		return -EINVAL;
	msi_compose(vector, &addr, &data);
	pci_msix_mask(m, entry); /* 6.8.3.5: no message from a half-written entry */
	*entry_reg(m, entry, PCI_MSIX_ENTRY_ADDR_LO) = (uint32_t)addr;
	*entry_reg(m, entry, PCI_MSIX_ENTRY_ADDR_HI) = (uint32_t)(addr >> 32);
	*entry_reg(m, entry, PCI_MSIX_ENTRY_DATA) = data;
	*entry_reg(m, entry, PCI_MSIX_ENTRY_CTRL) &= ~PCI_MSIX_ENTRY_MASKED;
	return 0;
}
