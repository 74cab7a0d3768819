/*
 * pvh-loader: boots Debian's x86-64 kernel in Bochs without its
 * decompressor.  The kernel's own ELF (vmlinux, taken out of the package's
 * vmlinuz on the host: kernels.sh SERIES vmlinux) is entered through its PVH
 * entry point, the one QEMU and Firecracker use for an uncompressed kernel:
 * the 6.1 kernel's xz decompressor alone took Bochs over a minute of every
 * boot, the 6.12 one's zstd about ten seconds.
 *
 * syslinux's mboot.c32 loads this program (a multiboot kernel, 32-bit
 * protected mode, paging off) with two modules, the vmlinux and the
 * initramfs; its command line is "... -- KERNEL COMMAND LINE".  Here:
 *   1. the vmlinux's PT_LOAD segments are copied to their physical
 *      addresses (16 MiB up), after moving out of the way any module that
 *      lies where they go;
 *   2. struct hvm_start_info (version 1: Xen's public start_info.h, what
 *      arch/x86/platform/pvh/enlighten.c reads) is filled: the command
 *      line, the initramfs as module 0, the BIOS's memory map, the ACPI
 *      RSDP found where the BIOS put it;
 *   3. the kernel's XEN_ELFNOTE_PHYS32_ENTRY is jumped to with EBX
 *      pointing at it, in the state the PVH boot ABI asks for (32-bit
 *      flat protected mode, paging and interrupts off), which is the
 *      multiboot state this program was entered in.
 * Any failure prints one line on COM1 ("pvh-loader: ...") and resets the
 * machine with a triple fault: Bochs stops (reset_on_triple_fault=0) and
 * the harness reports the console.
 */
#include <stddef.h>
#include <stdint.h>

struct mb_info {		/* multiboot 0.6.96, the fields used here */
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};
#define MB_CMDLINE (1u << 2)
#define MB_MODS (1u << 3)
#define MB_MMAP (1u << 6)
struct mb_module {
	uint32_t start, end, string, reserved;
};
struct mb_mmap {
	uint32_t size;		/* of the rest of this entry */
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

#define HVM_START_MAGIC 0x336ec578
struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;	/* version 1 on */
	uint32_t memmap_entries, reserved;
};
struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};
struct hvm_memmap_entry {	/* types as E820's */
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct elf64_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define PT_NOTE 4
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define MAX_MAP 128
static struct hvm_start_info info;
static struct hvm_modlist_entry initrd;
static struct hvm_memmap_entry map[MAX_MAP];
static char cmdline[4096];

void pvh_load(const struct mb_info *mb);

/* ---- the few library functions a freestanding program needs ---- */

void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n) {
		__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	} else {	/* overlapping, destination above: copy backwards */
		const char *s = (const char *)src + n - 1;
		char *d = (char *)dst + n - 1;

		__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	}
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* COM1 at 115200 baud, 8N1 (the BIOS leaves its line format unset). */
static void uart_init(void)
{
	outb(0x3f8 + 3, 0x80);	/* LCR: divisor latch */
	outb(0x3f8 + 0, 1);	/* divisor 1: 115200 baud */
	outb(0x3f8 + 1, 0);
	outb(0x3f8 + 3, 0x03);	/* LCR: 8 bits, no parity, 1 stop bit */
}

static void say(const char *s)
{
	for (; *s; s++) {
		while (!(inb(0x3f8 + 5) & 0x20))	/* COM1: transmitter empty */
			;
		outb(0x3f8, (uint8_t)*s);
	}
}

static void say_hex(uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	b[10] = 0;
	say(b);
}

static __attribute__((noreturn)) void fail(const char *why)
{
	static const struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) no_idt;

	say("pvh-loader: ");
	say(why);
	say("\n");
	while (!(inb(0x3f8 + 5) & 0x40))	/* every byte sent, not only queued */
		;
	/* No IDT: the next exception is a triple fault, a reset. */
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	for (;;)
		__asm__ volatile("hlt");
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- the steps ---- */

/* The PVH entry point: the Xen note of type PHYS32_ENTRY (its first 32 bits). */
static uint32_t pvh_entry(const unsigned char *elf, const struct elf64_phdr *ph)
{
	uint32_t off = (uint32_t)ph->offset, end = off + (uint32_t)ph->filesz;

	while (off + 12 <= end) {
		const uint32_t *n = (const uint32_t *)(elf + off);
		uint32_t namesz = n[0], descsz = n[1], type = n[2];
		const char *name = (const char *)(n + 3);
		const unsigned char *desc = (const unsigned char *)name + align_up(namesz, 4);

		if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
		    name[0] == 'X' && name[1] == 'e' && name[2] == 'n' && descsz >= 4)
			return *(const uint32_t *)desc;
		off += 12 + align_up(namesz, 4) + align_up(descsz, 4);
	}
	return 0;
}

/* The kernel command line: what follows "--" in this program's own. */
static void take_cmdline(const struct mb_info *mb)
{
	const char *s = (const char *)mb->cmdline, *p;
	size_t n = 0;

	if (!(mb->flags & MB_CMDLINE) || !s)
		fail("no command line from the multiboot loader");
	for (p = s; *p; p++)
		if (p[0] == '-' && p[1] == '-' && (p[2] == ' ' || !p[2]) && (p == s || p[-1] == ' '))
			break;
	if (!*p)
		fail("no \"--\" before the kernel command line in the loader's command line");
	p += 2;
	while (*p == ' ')
		p++;
	while (p[n] && n < sizeof(cmdline) - 1) {
		cmdline[n] = p[n];
		n++;
	}
	if (p[n])
		fail("the kernel command line is longer than 4095 bytes");
	cmdline[n] = 0;
}

/* The ACPI RSDP: the first 1 KiB of the EBDA, then the BIOS area. */
static uint32_t find_rsdp(void)
{
	uint32_t ebda;

	/* The BIOS data area's EBDA segment (an asm read: GCC takes a
	 * pointer this low for a null one). */
	__asm__ volatile("movzwl 0x40e, %0" : "=r"(ebda));
	ebda <<= 4;
	uint32_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };

	for (int r = 0; r < 2; r++) {
		for (uint32_t a = ranges[r][0]; a && a + 20 <= ranges[r][1]; a += 16) {
			const unsigned char *p = (const unsigned char *)a;
			unsigned char sum = 0;

			if (p[0] != 'R' || p[1] != 'S' || p[2] != 'D' || p[3] != ' ' ||
			    p[4] != 'P' || p[5] != 'T' || p[6] != 'R' || p[7] != ' ')
				continue;
			for (int i = 0; i < 20; i++)
				sum += p[i];
			if (!sum)
				return a;
		}
	}
	return 0;	/* the kernel scans for it itself then */
}

/* The BIOS's memory map (multiboot's) as the start info's; the end of the
 * RAM region holding ADDR. */
static uint32_t take_map(const struct mb_info *mb, uint32_t addr)
{
	uint32_t a = mb->mmap_addr, end = mb->mmap_addr + mb->mmap_length, top = 0;
	uint32_t n = 0;

	if (!(mb->flags & MB_MMAP))
		fail("no memory map from the multiboot loader");
	while (a < end && n < MAX_MAP) {
		const struct mb_mmap *e = (const struct mb_mmap *)a;

		map[n].addr = e->addr;
		map[n].size = e->len;
		map[n].type = e->type;
		map[n].reserved = 0;
		if (e->type == 1 && e->addr <= addr && addr < e->addr + e->len)
			top = e->addr + e->len > 0xffffffffull ? 0xfffff000u : (uint32_t)(e->addr + e->len);
		n++;
		a += e->size + 4;
	}
	info.memmap_paddr = (uint32_t)map;
	info.memmap_entries = n;
	return top;
}

void pvh_load(const struct mb_info *mb)
{
	struct mb_module *mods = (struct mb_module *)mb->mods_addr;
	const unsigned char *elf;
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph;
	uint32_t entry = 0, lo = 0xffffffffu, hi = 0, top, ram_top, i;

	uart_init();
	if (!(mb->flags & MB_MODS) || mb->mods_count != 2)
		fail("want two modules: the kernel's vmlinux (ELF), then the initramfs");
	take_cmdline(mb);

	elf = (const unsigned char *)mods[0].start;
	eh = (const struct elf64_ehdr *)elf;
	if (elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' ||
	    elf[4] != 2 || eh->machine != 62 || eh->phentsize != sizeof(*ph))
		fail("module 1 is not an x86-64 ELF");
	ph = (const struct elf64_phdr *)(elf + (uint32_t)eh->phoff);
	for (i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_NOTE && !entry)
			entry = pvh_entry(elf, &ph[i]);
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].paddr < lo)
			lo = (uint32_t)ph[i].paddr;
		if (ph[i].paddr + ph[i].memsz > hi)
			hi = (uint32_t)(ph[i].paddr + ph[i].memsz);
	}
	if (!entry)
		fail("the vmlinux has no XEN_ELFNOTE_PHYS32_ENTRY note (a kernel without CONFIG_PVH?)");
	if (lo >= hi || lo < 0x100000)
		fail("the vmlinux's PT_LOAD segments are not where a kernel goes");
	ram_top = take_map(mb, lo);
	if (ram_top < hi)
		fail("the kernel does not fit in the RAM above its load address");

	/* Modules lying where the kernel goes move above everything. */
	top = hi;
	for (i = 0; i < 2; i++)
		if (mods[i].end > top)
			top = mods[i].end;
	top = align_up(top, 0x200000);
	for (i = 0; i < 2; i++) {
		uint32_t size = mods[i].end - mods[i].start;

		if (mods[i].end <= lo || mods[i].start >= hi)
			continue;
		if (top + size > ram_top)
			fail("no room to move a module out of the kernel's way");
		memmove((void *)top, (const void *)mods[i].start, size);
		mods[i].start = top;
		mods[i].end = top + size;
		top = align_up(top + size, 0x1000);
	}

	elf = (const unsigned char *)mods[0].start;
	eh = (const struct elf64_ehdr *)elf;
	ph = (const struct elf64_phdr *)(elf + (uint32_t)eh->phoff);
	for (i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		memmove((void *)(uint32_t)ph[i].paddr, elf + (uint32_t)ph[i].offset, (uint32_t)ph[i].filesz);
		memset((void *)(uint32_t)(ph[i].paddr + ph[i].filesz), 0,
		       (uint32_t)(ph[i].memsz - ph[i].filesz));
	}

	initrd.paddr = mods[1].start;
	initrd.size = mods[1].end - mods[1].start;
	info.magic = HVM_START_MAGIC;
	info.version = 1;
	info.nr_modules = 1;
	info.modlist_paddr = (uint32_t)&initrd;
	info.cmdline_paddr = (uint32_t)cmdline;
	info.rsdp_paddr = find_rsdp();

	say("pvh-loader: kernel at ");
	say_hex(lo);
	say(", entry ");
	say_hex(entry);
	say(", initramfs at ");
	say_hex(mods[1].start);
	say("\n");
	__asm__ volatile("jmp *%0" : : "r"(entry), "b"(&info) : "memory");
	__builtin_unreachable();
}
