/*
 * lwIP options for unit.vnet-lwip-fuzz: the raw API without an OS
 * (NO_SYS), IPv4 + IPv6, TCP, UDP, ICMP, ARP, IP reassembly, and every pool
 * taken from malloc (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC) so that ASan sees each
 * buffer's bounds and every leak.  Checksums are not verified, so that random
 * bytes reach the parsers past the checksum test.
 */
#ifndef TEST_LWIPOPTS_H
#define TEST_LWIPOPTS_H

#define NO_SYS               1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN         0
#define LWIP_SOCKET          0
#define MEM_LIBC_MALLOC      1
#define MEMP_MEM_MALLOC      1
#define MEM_ALIGNMENT        8
#define LWIP_IPV4            1
#define LWIP_IPV6            1
#define LWIP_ARP             1
#define LWIP_ICMP            1
#define LWIP_UDP             1
#define LWIP_TCP             1
#define LWIP_IGMP            1
#define IP_REASSEMBLY        1
#define IP_FRAG              1
#define LWIP_IPV6_REASS      1
#define IPV6_FRAG_COPYHEADER 1 /* 64-bit pointers */
#define TCP_MSS              1460
#define TCP_WND              (16 * TCP_MSS)
#define TCP_SND_BUF          (16 * TCP_MSS)
#define TCP_QUEUE_OOSEQ      1
#define MEMP_NUM_TCP_PCB     64
#define PBUF_POOL_SIZE       64
#define LWIP_STATS           1
#define MEMP_STATS           1
#define MEM_STATS            1
#define LWIP_STATS_DISPLAY   1 /* pools by name */
#define CHECKSUM_CHECK_IP    0
#define CHECKSUM_CHECK_UDP   0
#define CHECKSUM_CHECK_TCP   0
#define CHECKSUM_CHECK_ICMP  0
#define CHECKSUM_CHECK_ICMP6 0
#define LWIP_NETIF_LINK_CALLBACK 0

#endif
