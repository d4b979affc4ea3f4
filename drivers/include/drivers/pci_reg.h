/*
 * PCI configuration space layout (PCI Local Bus Specification 3.0, 6.1-6.8;
 * MSI-X: 6.8.2) and the x86 configuration mechanism #1 ports (3.2.2.3.2).
 * Offsets and bits only; see pci.h for the functions.
 */
#ifndef DRIVERS_PCI_REG_H
#define DRIVERS_PCI_REG_H

/* Configuration mechanism #1 */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_ENABLE  0x80000000u

/* 6.1 Configuration space header, common part */
#define PCI_VENDOR_ID      0x00 /* 16 bits; 0xffff: no function here */
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_REVISION_ID    0x08
#define PCI_PROG_IF        0x09
#define PCI_SUBCLASS       0x0a
#define PCI_CLASS          0x0b
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10 /* type 0: six BARs; type 1 (bridge): two */
#define PCI_SECONDARY_BUS  0x19 /* type 1 */
#define PCI_SUBSYS_VENDOR  0x2c /* type 0 */
#define PCI_SUBSYS_ID      0x2e /* type 0 */
#define PCI_CAP_PTR        0x34
#define PCI_INTERRUPT_LINE 0x3c /* type 0: the PIC-mode IRQ the firmware chose */
#define PCI_INTERRUPT_PIN  0x3d /* type 0: 0 none, 1-4 INTA#-INTD# */

#define PCI_VENDOR_NONE 0xffff

#define PCI_COMMAND_IO           0x0001
#define PCI_COMMAND_MEMORY       0x0002
#define PCI_COMMAND_MASTER       0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_STATUS_CAP_LIST 0x0010

#define PCI_HEADER_TYPE_MASK   0x7f
#define PCI_HEADER_TYPE_NORMAL 0x00
#define PCI_HEADER_TYPE_BRIDGE 0x01
#define PCI_HEADER_MULTIFUNC   0x80

/* 6.2.5.1 Base addresses */
#define PCI_BAR_IO          0x1
#define PCI_BAR_MEM_TYPE    0x6 /* memory BAR: bits 2:1 */
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_PREFETCH    0x8
#define PCI_BAR_MEM_MASK32  (~0xfu)
#define PCI_BAR_IO_MASK     (~0x3u)

/* 6.7 Capabilities: [id, next, ...] at dword-aligned offsets >= 0x40 */
#define PCI_CAP_ID_MSI  0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_FIRST   0x40

/* 6.8.2 MSI-X capability and table */
#define PCI_MSIX_CTRL          0x02   /* 16 bits, from the capability */
#define PCI_MSIX_TABLE         0x04   /* 32 bits: offset | BIR */
#define PCI_MSIX_CTRL_SIZE     0x07ff /* table size - 1 */
#define PCI_MSIX_CTRL_MASKALL  0x4000
#define PCI_MSIX_CTRL_ENABLE   0x8000
#define PCI_MSIX_TABLE_BIR     0x7
#define PCI_MSIX_ENTRY_SIZE    16
#define PCI_MSIX_ENTRY_ADDR_LO 0x0
#define PCI_MSIX_ENTRY_ADDR_HI 0x4
#define PCI_MSIX_ENTRY_DATA    0x8
#define PCI_MSIX_ENTRY_CTRL    0xc
#define PCI_MSIX_ENTRY_MASKED  0x1

#endif
