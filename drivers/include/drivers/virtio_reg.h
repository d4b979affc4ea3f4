/*
 * Virtio hardware layout: status bits, feature bits, the split virtqueue,
 * and the PCI and MMIO transport registers, as the virtio 1.2 specification
 * (OASIS, "Virtual I/O Device (VIRTIO) Version 1.2") defines them.  Spec
 * structs and bits only; driver state lives in virtio.h and drivers/virtio/.
 *
 * Every multi-byte field is little-endian on the wire (legacy devices use
 * the guest's byte order); Toro runs on x86_64 only, so nothing is swapped.
 */
#ifndef DRIVERS_VIRTIO_REG_H
#define DRIVERS_VIRTIO_REG_H

#include <stdint.h>

/* 2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE        0x01
#define VIRTIO_STATUS_DRIVER             0x02
#define VIRTIO_STATUS_DRIVER_OK          0x04
#define VIRTIO_STATUS_FEATURES_OK        0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED             0x80

/* 6 Reserved Feature Bits (bit numbers, not masks) */
#define VIRTIO_F_INDIRECT_DESC     28
#define VIRTIO_F_EVENT_IDX         29
#define VIRTIO_F_VERSION_1         32
#define VIRTIO_F_ACCESS_PLATFORM   33
#define VIRTIO_F_RING_PACKED       34
#define VIRTIO_F_IN_ORDER          35
#define VIRTIO_F_ORDER_PLATFORM    36
#define VIRTIO_F_SR_IOV            37
#define VIRTIO_F_NOTIFICATION_DATA 38
#define VIRTIO_F_RING_RESET        40

/* 5 Device Types: the device IDs this tree knows about */
#define VIRTIO_ID_NET     1
#define VIRTIO_ID_BLOCK   2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_ENTROPY 4
#define VIRTIO_ID_VSOCK   19
#define VIRTIO_ID_FS      26

/* 2.7 Split Virtqueues: the queue size is a power of 2, at most 32768. */
#define VIRTQ_SIZE_MAX 32768

/* 2.7.5 The Virtqueue Descriptor Table */
struct virtq_desc {
	uint64_t addr;  /* guest-physical buffer address */
	uint32_t len;   /* buffer length in bytes */
	uint16_t flags; /* VIRTQ_DESC_F_* */
	uint16_t next;  /* next descriptor of the chain, if F_NEXT */
};

#define VIRTQ_DESC_F_NEXT     1 /* the chain continues in .next */
#define VIRTQ_DESC_F_WRITE    2 /* device-writable (otherwise device-readable) */
#define VIRTQ_DESC_F_INDIRECT 4 /* 2.7.5.3: addr/len is a table of descriptors */

/* 2.7.6 The Virtqueue Available Ring; used_event follows ring[size]. */
struct virtq_avail {
	uint16_t flags; /* VIRTQ_AVAIL_F_NO_INTERRUPT */
	uint16_t idx;   /* where the driver puts the next entry (mod size) */
	uint16_t ring[];
};

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1 /* 2.7.7: without EVENT_IDX, a hint */

/* 2.7.8 The Virtqueue Used Ring; avail_event follows ring[size]. */
struct virtq_used_elem {
	uint32_t id;  /* head of the completed descriptor chain */
	uint32_t len; /* bytes written into the chain's device-writable part */
};

struct virtq_used {
	uint16_t flags; /* VIRTQ_USED_F_NO_NOTIFY */
	uint16_t idx;   /* where the device puts the next entry (mod size) */
	struct virtq_used_elem ring[];
};

#define VIRTQ_USED_F_NO_NOTIFY 1 /* 2.7.10: without EVENT_IDX, a hint */

/*
 * 2.7.2 Legacy Interfaces: A Note on Virtqueue Layout.  Legacy transports
 * (MMIO version 1, legacy PCI) take one page frame number and find the used
 * ring at the next VIRTQ_LEGACY_ALIGN boundary after the available ring.
 */
#define VIRTQ_LEGACY_ALIGN 4096

/* 4.1.2 PCI Device Discovery */
#define VIRTIO_PCI_VENDOR              0x1af4
#define VIRTIO_PCI_DEVICE_TRANS_FIRST  0x1000 /* transitional: id in subsystem id */
#define VIRTIO_PCI_DEVICE_TRANS_LAST   0x103f
#define VIRTIO_PCI_DEVICE_MODERN_FIRST 0x1040 /* modern: id = device id - 0x1040 */
#define VIRTIO_PCI_DEVICE_MODERN_LAST  0x107f

/* 4.1.4 Virtio Structure PCI Capabilities (vendor-specific, cap id 0x09) */
struct virtio_pci_cap {
	uint8_t cap_vndr; /* PCI_CAP_ID_VNDR */
	uint8_t cap_next; /* next capability's offset */
	uint8_t cap_len;  /* length of this capability */
	uint8_t cfg_type; /* VIRTIO_PCI_CAP_* */
	uint8_t bar;      /* BAR 0..5 holding the structure */
	uint8_t id;       /* 1.2: tells several caps of one type apart */
	uint8_t padding[2];
	uint32_t offset; /* within the BAR */
	uint32_t length; /* of the structure */
};

/* 4.1.4.4: the notify capability carries a multiplier after the cap. */
#define VIRTIO_PCI_CAP_NOTIFY_MULT_OFF 16

#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG    3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG    5
#define VIRTIO_PCI_CAP_SHM_CFG    8

/* 4.1.4.3 Common configuration structure layout: byte offsets and widths */
#define VIRTIO_PCI_COMMON_DFSELECT  0x00 /* le32 device_feature_select */
#define VIRTIO_PCI_COMMON_DF        0x04 /* le32 device_feature */
#define VIRTIO_PCI_COMMON_GFSELECT  0x08 /* le32 driver_feature_select */
#define VIRTIO_PCI_COMMON_GF        0x0c /* le32 driver_feature */
#define VIRTIO_PCI_COMMON_MSIX      0x10 /* le16 config_msix_vector */
#define VIRTIO_PCI_COMMON_NUMQ      0x12 /* le16 num_queues */
#define VIRTIO_PCI_COMMON_STATUS    0x14 /* u8 device_status */
#define VIRTIO_PCI_COMMON_CFGGEN    0x15 /* u8 config_generation */
#define VIRTIO_PCI_COMMON_Q_SELECT  0x16 /* le16 queue_select */
#define VIRTIO_PCI_COMMON_Q_SIZE    0x18 /* le16 queue_size */
#define VIRTIO_PCI_COMMON_Q_MSIX    0x1a /* le16 queue_msix_vector */
#define VIRTIO_PCI_COMMON_Q_ENABLE  0x1c /* le16 queue_enable */
#define VIRTIO_PCI_COMMON_Q_NOFF    0x1e /* le16 queue_notify_off */
#define VIRTIO_PCI_COMMON_Q_DESCLO  0x20 /* le64 queue_desc */
#define VIRTIO_PCI_COMMON_Q_DESCHI  0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO 0x28 /* le64 queue_driver */
#define VIRTIO_PCI_COMMON_Q_AVAILHI 0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO  0x30 /* le64 queue_device */
#define VIRTIO_PCI_COMMON_Q_USEDHI  0x34
#define VIRTIO_PCI_COMMON_LEN       0x38 /* the 1.0 layout; 1.2 adds two le16 */

/* 4.1.4.5 ISR status: bit 0 queue interrupt, bit 1 configuration change */
#define VIRTIO_ISR_QUEUE  0x1
#define VIRTIO_ISR_CONFIG 0x2

/* 4.1.5.1.2 MSI-X Vector Configuration */
#define VIRTIO_MSI_NO_VECTOR 0xffff

/*
 * 4.1.4, "Legacy Interfaces: A Note on PCI Device Layout".  Registers in I/O
 * BAR0, in the guest's byte order; only 32 feature bits.  The MSI-X vector
 * registers exist only while MSI-X is enabled, and the device-specific
 * configuration follows them (at 24), or the ISR register (at 20).
 */
#define VIRTIO_PCI_LEGACY_HOST_FEATURES  0x00 /* le32, read-only */
#define VIRTIO_PCI_LEGACY_GUEST_FEATURES 0x04 /* le32 */
#define VIRTIO_PCI_LEGACY_QUEUE_PFN      0x08 /* le32: queue address >> 12 */
#define VIRTIO_PCI_LEGACY_QUEUE_NUM      0x0c /* le16, read-only: the queue's size */
#define VIRTIO_PCI_LEGACY_QUEUE_SEL      0x0e /* le16 */
#define VIRTIO_PCI_LEGACY_QUEUE_NOTIFY   0x10 /* le16: write the queue index */
#define VIRTIO_PCI_LEGACY_STATUS         0x12 /* u8 */
#define VIRTIO_PCI_LEGACY_ISR            0x13 /* u8: reading clears it */
#define VIRTIO_PCI_LEGACY_MSI_CONFIG     0x14 /* le16, with MSI-X only */
#define VIRTIO_PCI_LEGACY_MSI_QUEUE      0x16 /* le16, with MSI-X only */
#define VIRTIO_PCI_LEGACY_CONFIG         0x14 /* device configuration, MSI-X off */
#define VIRTIO_PCI_LEGACY_CONFIG_MSIX    0x18 /* device configuration, MSI-X on */
#define VIRTIO_PCI_LEGACY_PFN_SHIFT      12

/* 4.2.2 MMIO Device Register Layout (all registers 32 bits wide) */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000 /* "virt" */
#define VIRTIO_MMIO_VERSION             0x004 /* 2; 1 for legacy (4.2.4) */
#define VIRTIO_MMIO_DEVICE_ID           0x008 /* 0: no device behind this transport */
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028 /* legacy only */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c /* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN           0x040 /* legacy only */
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC 0x74726976 /* little-endian "virt" */

/* 4.2.2: InterruptStatus / InterruptACK bits */
#define VIRTIO_MMIO_INT_VRING  0x1
#define VIRTIO_MMIO_INT_CONFIG 0x2

#endif
