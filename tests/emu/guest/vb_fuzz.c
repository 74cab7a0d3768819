/*
 * vb_fuzz: fuzzes the module's ioctl interface from inside an emulated
 * machine.  Every call is generated from a seed (random and boundary values
 * in every field, bad user pointers, unknown ioctl numbers, a dropped
 * capability, CPU hotplug, reopening the device), and its outcome is held
 * against what the ABI header documents: the errno (always one of EPERM
 * EINVAL ENXIO ENODEV EBUSY EIO EFAULT ENOMEM ENOTTY, and the right one for
 * the input), what was written back, and, for a RUN that measured, every
 * record's stored value, counted here (VMPTRST's family too: its target,
 * field and type fuzzed, its rules and its values written out here).  A
 * refused call must leave the caller's struct and buffer untouched.  The perf counters' event fields
 * and pmc_buf are fuzzed too.
 *
 *   vb_fuzz --expect-vmx yes|no [--seed N] [--calls N] [--max-samples N]
 *           [--no-hotplug] [--verbose] [--break-oracle WHAT]
 *
 * --break-oracle makes one expectation deliberately wrong, to show that the
 * check behind it can fail: enxio (EINVAL expected where ENXIO is due),
 * enodev, efault, stored, selftest, untouched, info.
 *
 * Each call that is not as documented prints "not ok - call N: ..." with the
 * whole request (replay: the same --seed with --calls N+1).  Last lines:
 *   vb_fuzz: calls=N distinct_paths=M violations=K
 *   vb_fuzz: N passed, N failed
 * Exit status 0 only if there was no violation; 2 on a bad command line.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmptrst_bench_abi.h"
#include "vb_expect.h"

#define X86_TRAP_UD	6
#define PAGE		4096u
#define MAX_CPUS	1024u
#define REC		((uint32_t)sizeof(struct vb_sample))
#define REC_AREA_PAGES	4u	/* RW records area: 512 records */
#define FILL		0xa5

/* Bit e of an errno mask stands for errno e; bit 0 for success. */
#define M(e)		(1u << (e))
#define DOCUMENTED	(M(EPERM) | M(EINVAL) | M(ENXIO) | M(ENODEV) | M(EBUSY) | \
			 M(EIO) | M(EFAULT) | M(ENOMEM) | M(ENOTTY))

/* ------------------------------------------------------------ options, state */

static uint64_t seed = 1;
static unsigned long ncalls = 1000;
static uint32_t max_samples = 64;
static bool expect_vmx, hotplug = true, verbose;
static const char *broken = "";	/* --break-oracle */
static bool big_ok;		/* valid RUNs may ask for many samples (no VMX) */
static bool have_clflushopt;

static int fd = -1;
static unsigned long call_no;
static unsigned long passed, violations, undocumented, printed;

static bool online[MAX_CPUS];
static uint32_t nr_possible = 1, nr_online = 1;

static bool broke(const char *what)
{
	return !strcmp(broken, what);
}

/* ------------------------------------------------------------ random */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(uint32_t percent)
{
	return below(100) < percent;
}

#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* ------------------------------------------------------------ distinct paths */

#define MAX_PATHS 512
static struct {
	char key[80];
	unsigned long n;
} paths[MAX_PATHS];
static unsigned int npaths;

static void path_hit(const char *fmt, ...)
{
	char key[80];
	va_list ap;
	unsigned int i;

	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	for (i = 0; i < npaths; i++)
		if (!strcmp(paths[i].key, key)) {
			paths[i].n++;
			return;
		}
	if (npaths < MAX_PATHS) {
		snprintf(paths[npaths].key, sizeof(paths[npaths].key), "%s", key);
		paths[npaths++].n = 1;
	}
}

static const char *ename(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case ENXIO: return "ENXIO";
	case ENODEV: return "ENODEV";
	case EBUSY: return "EBUSY";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:
		snprintf(buf, sizeof(buf), "errno %d", e);
		return buf;
	}
}

static void mask_str(uint32_t mask, char *out, size_t len)
{
	size_t o = 0;
	int e;

	out[0] = '\0';
	for (e = 0; e < 32 && o < len; e++)
		if (mask & M(e))
			o += snprintf(out + o, len - o, "%s%s", o ? "|" : "",
				      ename(e));
}

/* ------------------------------------------------------------ CPUs */

/* Parse a CPU list ("0-3,5") into @set; returns the highest CPU + 1. */
static uint32_t read_cpulist(const char *file, bool *set)
{
	char buf[4096], *p;
	uint32_t top = 0;
	FILE *f = fopen(file, "r");

	if (set)
		memset(set, 0, MAX_CPUS * sizeof(*set));
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (p = buf; *p && *p != '\n';) {
		unsigned long a = strtoul(p, &p, 10), b = a, c;

		if (*p == '-')
			b = strtoul(p + 1, &p, 10);
		for (c = a; c <= b && c < MAX_CPUS; c++)
			if (set)
				set[c] = true;
		if (b + 1 > top)
			top = (uint32_t)(b + 1);
		if (*p == ',')
			p++;
		else
			break;
	}
	return top;
}

static void refresh_cpus(void)
{
	uint32_t i;

	read_cpulist("/sys/devices/system/cpu/online", online);
	nr_online = 0;
	for (i = 0; i < MAX_CPUS; i++)
		nr_online += online[i];
	if (!nr_online) {	/* no sysfs: trust CPU 0 */
		online[0] = true;
		nr_online = 1;
	}
}

static bool cpu_ok(uint32_t cpu)
{
	return cpu < MAX_CPUS && online[cpu];
}

/* ------------------------------------------------------------ memory arenas */

/*
 * page 0      RW: structs (aligned and misaligned)
 * page 1      PROT_NONE: guard (a struct straddling into it, or inside it)
 * page 2      RO: a struct the module can read but not write back
 * page 3..6   RW: records (REC_AREA_PAGES)
 * page 7      PROT_NONE: guard (a records buffer one record too short)
 * page 8..9   RO: records the module cannot write
 * page 10..13 RW: counter values (ABI with perf events), page 14: guard
 */
static uint8_t *arena;
/* mode=guest's exit records (vb_run.exit_buf): room for any RUN, not populated */
static uint8_t *exit_area;
#define EXIT_AREA_BYTES	((size_t)2 * VB_MAX_SAMPLES * sizeof(struct vb_exit_rec))
#define ST_RW		(arena)
#define ST_GUARD	(arena + 1 * PAGE)
#define ST_RO		(arena + 2 * PAGE)
#define REC_RW		(arena + 3 * PAGE)
#define REC_GUARD	(arena + (3 + REC_AREA_PAGES) * PAGE)
#define REC_RO		(arena + (4 + REC_AREA_PAGES) * PAGE)
#define PMC_RW		(arena + (6 + REC_AREA_PAGES) * PAGE)
#define PMC_GUARD	(PMC_RW + 4 * PAGE)
#define ARENA_PAGES	(11 + REC_AREA_PAGES)

static void setup_arena(void)
{
	arena = mmap(NULL, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	exit_area = mmap(NULL, EXIT_AREA_BYTES, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED || exit_area == MAP_FAILED) {
		perror("vb_fuzz: mmap");
		exit(1);
	}
	memset(REC_RO, FILL, 2 * PAGE);
	if (mprotect(ST_GUARD, PAGE, PROT_NONE) ||
	    mprotect(ST_RO, PAGE, PROT_READ) ||
	    mprotect(REC_GUARD, PAGE, PROT_NONE) ||
	    mprotect(REC_RO, 2 * PAGE, PROT_READ) ||
	    mprotect(PMC_GUARD, PAGE, PROT_NONE)) {
		perror("vb_fuzz: mprotect");
		exit(1);
	}
}

/* Addresses no user access can reach. */
static const uint64_t kernel_addrs[] = {
	0xffff800000000000ULL,	/* start of the kernel half */
	0xffff888000000000ULL,	/* direct map */
	0xffffffff81000000ULL,	/* kernel text */
	0xffffffffffffff00ULL,	/* wraps */
	0x0000800000000000ULL,	/* non-canonical */
	0x00007ffffffff000ULL,	/* the last user page: never mapped */
};
static const uint64_t low_addrs[] = { 0x8, 0x1000, 0x10000, 0x200000 };

/* Where a call's struct is put. */
enum argloc {
	A_OK, A_MISALIGNED, A_RO, A_STRADDLE, A_GUARD, A_NULL, A_LOW, A_KERNEL,
	A_COUNT
};
static const char *const argloc_name[] = {
	"ok", "misaligned", "read-only", "straddles-guard", "in-guard", "NULL",
	"low-unmapped", "kernel-half",
};

static bool arg_readable(int a)
{
	return a == A_OK || a == A_MISALIGNED || a == A_RO;
}

static int pick_argloc(void)
{
	uint32_t r = below(100);

	if (r < 80)
		return A_OK;
	if (r < 85)
		return A_MISALIGNED;
	if (r < 90)
		return A_RO;
	return A_STRADDLE + (int)below(A_COUNT - A_STRADDLE);
}

/* Put @len bytes of @src where @loc says; returns the pointer to pass. */
static void *place(int loc, const void *src, size_t len, uint32_t salt)
{
	uint8_t *p;

	switch (loc) {
	case A_OK:
		p = ST_RW + 64;
		memcpy(p, src, len);
		return p;
	case A_MISALIGNED:
		p = ST_RW + 1024 + 1 + salt % 7;
		memcpy(p, src, len);
		return p;
	case A_RO:
		if (mprotect(ST_RO, PAGE, PROT_READ | PROT_WRITE))
			perror("vb_fuzz: mprotect");
		memcpy(ST_RO + 128, src, len);
		if (mprotect(ST_RO, PAGE, PROT_READ))
			perror("vb_fuzz: mprotect");
		return ST_RO + 128;
	case A_STRADDLE: {
		size_t keep = 1 + salt % (len > 1 ? len - 1 : 1);

		p = ST_GUARD - keep;
		memcpy(p, src, keep);
		return p;
	}
	case A_GUARD:
		return ST_GUARD + salt % 64;
	case A_NULL:
		return NULL;
	case A_LOW:
		return (void *)(uintptr_t)low_addrs[salt % 4];
	default:
		return (void *)(uintptr_t)kernel_addrs[salt % 6];
	}
}

/* ------------------------------------------------------------ reporting */

static void violation(const char *desc, const char *fmt, ...)
{
	va_list ap;

	violations++;
	if (printed++ >= 100) {
		if (printed == 101)
			printf("# more violations: not printed\n");
		return;
	}
	printf("not ok - call %lu (seed %" PRIu64 "): ", call_no, seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n#   request: %s\n", desc);
}

static int xioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) == 0 ? 0 : errno;
}

/*
 * Judge the errno of a call against the mask of documented outcomes.
 * Returns true when it is one of them.
 */
static bool judge_errno(int got, uint32_t want, const char *why,
			const char *desc)
{
	char ws[96];

	if (got != 0 && (got >= 32 || !(DOCUMENTED & M(got)))) {
		undocumented++;
		violation(desc, "errno %d (%s) is not in the documented set",
			  got, strerror(got));
		return false;
	}
	if (got < 32 && (want & M(got)))
		return true;
	mask_str(want, ws, sizeof(ws));
	violation(desc, "got %s, documented outcome %s (%s)", ename(got), ws,
		  why);
	return false;
}

static bool all_bytes(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* ------------------------------------------------------------ value pools */

static uint32_t pool_enum(uint32_t count)
{
	const uint32_t extra[] = { 0xff, 0x100, 0x7fffffff, 0x80000000,
				   0xfffffffe, 0xffffffff };
	uint32_t r = below(count + 6);

	if (r < count + 2)
		return r;	/* every value, count and count+1 */
	return PICK(extra);
}

static uint32_t pool_size(uint32_t s)
{
	const uint32_t v[] = { 0, 1, 4, 8, s - 8, s - 1, s + 1, s + 8, 2 * s,
			       s / 2, 0xffff, 0x80000000, 0xffffffff };

	return PICK(v);
}

static uint32_t pool_abi(void)
{
	const uint32_t v[] = { 0, 1, VB_ABI_VERSION - 1, VB_ABI_VERSION + 1,
			       VB_ABI_VERSION + 7, 0x100 | VB_ABI_VERSION,
			       0x80000000, 0xffffffff };

	return PICK(v);
}

static uint32_t pool_cpu(void)
{
	const uint32_t v[] = { 0, 1, 2, nr_online - 1, nr_online, nr_online + 1,
			       nr_possible - 1, nr_possible, nr_possible + 1,
			       63, 64, 255, 256, 1023, 1024, 8191, 8192,
			       100000, 0x7fffffff, 0x80000000, 0xffffffff };

	return chance(5) ? (uint32_t)rnd() : PICK(v);
}

static uint32_t pool_unroll(void)
{
	const uint32_t v[] = { 0, 3, 5, 7, 9, 15, 17, 31, 33, 63, 65, 127, 129,
			       255, 257, 511, 512, 513, 1024, 0x40000000,
			       0x80000000, 0xffffffff };

	if (chance(50))
		return 1u << below(9);	/* 1 .. 256 */
	return PICK(v);
}

static uint32_t pool_samples(void)
{
	const uint32_t v[] = { 0, 1, 2, 3, 63, 64, 65, 4095, 4096, 4097,
			       VB_MAX_SAMPLES - 1, VB_MAX_SAMPLES,
			       VB_MAX_SAMPLES + 1, 2 * VB_MAX_SAMPLES,
			       0x7fffffff, 0x80000000, 0xffffffff };

	return PICK(v);
}

static uint32_t pool_offset(void)
{
	const uint32_t v[] = { 0, 1, 7, 8, 56, 60, 63, 64, 4088, 4092, 4095,
			       4096, 4097, VB_MAX_OFFSET(VB_PAGE_4K) - 1,
			       VB_MAX_OFFSET(VB_PAGE_4K),
			       VB_MAX_OFFSET(VB_PAGE_4K) + 1, VB_SPAN_4K,
			       (2u << 20) - 8, (2u << 20) - 4, 2u << 20,
			       VB_MAX_OFFSET(VB_PAGE_2M) - 1,
			       VB_MAX_OFFSET(VB_PAGE_2M),
			       VB_MAX_OFFSET(VB_PAGE_2M) + 1, VB_SPAN_LARGE,
			       0x7fffffff, 0xffffffff };

	return PICK(v);
}

static uint32_t pool_flags(void)
{
	const uint32_t v[] = { 0, 1, 2, 0x80, 0x80000000, 0xffffffff };

	return PICK(v);
}

/* ------------------------------------------------------------ RUN fields */

struct field {
	const char *name;
	size_t off, size;
};
#define RF(n) { #n, offsetof(struct vb_run, n), sizeof(((struct vb_run *)0)->n) }
#define RP(n) { #n, offsetof(struct vb_run, point.n), \
		sizeof(((struct vb_run *)0)->point.n) }
static const struct field run_fields[] = {
	RF(size), RF(abi_version), RP(cpu), RP(instruction), RP(unroll),
	RP(samples), RP(vmcs), RP(serialize), RP(offset), RP(cache),
	RP(memtype), RP(page), RP(tlb), RP(ad), RP(mode), RP(target),
	RP(field), RP(type), RP(reserved), RF(flags), RF(wait_vmx_ms),
	RF(buf), RF(buf_len), RF(records), RF(expected), RF(poison),
	RF(mismatches), RF(windows), RF(max_window_tsc), RF(result_flags),
	RF(page_kib), RF(skip_reason), RF(vmx_wait_ms),
};
#define N_RUN_FIELDS (sizeof(run_fields) / sizeof(run_fields[0]))
#define N_RUN_IN 21	/* size .. wait_vmx_ms: the input fields */

static uint64_t fget(const void *s, const struct field *f)
{
	uint32_t v32;
	uint64_t v64;

	if (f->size == 1)
		return *((const uint8_t *)s + f->off);
	if (f->size == 4) {
		memcpy(&v32, (const uint8_t *)s + f->off, 4);
		return v32;
	}
	memcpy(&v64, (const uint8_t *)s + f->off, 8);
	return v64;
}

static void fset(void *s, const struct field *f, uint64_t v)
{
	uint32_t v32 = (uint32_t)v;

	if (f->size == 1)
		*((uint8_t *)s + f->off) = (uint8_t)v;
	else if (f->size == 4)
		memcpy((uint8_t *)s + f->off, &v32, 4);
	else
		memcpy((uint8_t *)s + f->off, &v, 8);
}

static void describe_run(const struct vb_run *r, unsigned long cmd, int loc,
			 const char *bufnote, char *out, size_t len)
{
	size_t i, o;

	o = (size_t)snprintf(out, len, "RUN cmd %#lx arg %s buf %s {", cmd,
			     argloc_name[loc], bufnote);
	for (i = 0; i < N_RUN_IN + 2 && o < len; i++)	/* .. buf_len */
		o += (size_t)snprintf(out + o, len - o, "%s%s=%#" PRIx64,
				      i ? " " : "", run_fields[i].name,
				      fget(r, &run_fields[i]));
	if (o < len)
		o += (size_t)snprintf(out + o, len - o,
				      " nevents=%#x reserved2=%#x pmc_buf=%#" PRIx64 " exit_buf=%#" PRIx64,
				      r->nevents, r->reserved2,
				      (uint64_t)r->pmc_buf, (uint64_t)r->exit_buf);
	for (i = 0; i < VB_MAX_EVENTS && i < r->nevents && o < len; i++)
		o += (size_t)snprintf(out + o, len - o,
				      " ev%zu={%#x,%#x,%#" PRIx64 "}", i,
				      r->events[i].type, r->events[i].reserved,
				      (uint64_t)r->events[i].config);
	if (o < len)
		snprintf(out + o, len - o, "}");
}

/* A value for input field @i from its boundary pool. */
static uint32_t run_field_value(size_t i)
{
	const char *n = run_fields[i].name;

	if (!strcmp(n, "size"))
		return pool_size(sizeof(struct vb_run));
	if (!strcmp(n, "abi_version"))
		return pool_abi();
	if (!strcmp(n, "cpu"))
		return pool_cpu();
	if (!strcmp(n, "instruction"))
		return pool_enum(VB_INSN_COUNT);
	if (!strcmp(n, "unroll"))
		return pool_unroll();
	if (!strcmp(n, "samples"))
		return pool_samples();
	if (!strcmp(n, "vmcs"))
		return pool_enum(VB_VMCS_COUNT);
	if (!strcmp(n, "serialize"))
		return pool_enum(VB_SER_COUNT);
	if (!strcmp(n, "offset"))
		return pool_offset();
	if (!strcmp(n, "cache"))
		return pool_enum(VB_CACHE_COUNT);
	if (!strcmp(n, "memtype"))
		return pool_enum(VB_MEM_COUNT);
	if (!strcmp(n, "page"))
		return pool_enum(VB_PAGE_COUNT);
	if (!strcmp(n, "tlb"))
		return pool_enum(VB_TLB_COUNT);
	if (!strcmp(n, "ad"))
		return pool_enum(VB_AD_COUNT);
	if (!strcmp(n, "mode"))
		return pool_enum(VB_MODE_COUNT);
	if (!strcmp(n, "target"))
		return pool_enum(VB_TARGET_COUNT);
	if (!strcmp(n, "field"))
		return pool_enum(VB_FIELD_COUNT);
	if (!strcmp(n, "type"))
		return pool_enum(VB_TYPE_COUNT);
	if (!strcmp(n, "reserved"))
		return pool_flags();
	if (!strcmp(n, "wait_vmx_ms")) {
		const uint32_t v[] = { 0, 1, VB_MAX_WAIT_VMX_MS,
				       VB_MAX_WAIT_VMX_MS + 1, 0xffffffff };

		return PICK(v);
	}
	return pool_flags();	/* flags */
}

static uint32_t pick_online_cpu(void)
{
	uint32_t n = below(nr_online), c;

	for (c = 0; c < MAX_CPUS; c++)
		if (online[c] && n-- == 0)
			return c;
	return 0;
}

/* A RUN the module must accept, cheap enough for Bochs. */
static void valid_run(struct vb_run *r)
{
	struct vb_point_desc *p = &r->point;
	const uint32_t small[] = { 1, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64 };

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->abi_version = VB_ABI_VERSION;
	p->cpu = pick_online_cpu();
	p->instruction = below(VB_INSN_CPUID);	/* root's: none .. chase */
	p->unroll = 1u << below(9);
	p->samples = PICK(small);
	if (p->samples > max_samples)
		p->samples = 1 + below(max_samples);
	p->vmcs = below(VB_VMCS_COUNT);
	p->serialize = below(VB_SER_COUNT);
	if (chance(40)) {	/* the sweep axes, sometimes */
		p->cache = below(VB_CACHE_COUNT);
		p->memtype = below(VB_MEM_COUNT);
		p->page = below(VB_PAGE_COUNT);
		p->tlb = below(VB_TLB_COUNT);
		p->ad = p->page == VB_PAGE_4K ? below(VB_AD_COUNT) : VB_AD_SET;
		if (p->cache != VB_CACHE_HOT || p->tlb != VB_TLB_WARM ||
		    p->ad != VB_AD_SET)
			p->unroll = 1;
	}
	if (chance(20)) {	/* mode=guest: no chains, no CPUID bracket */
		const uint32_t gi[] = { VB_INSN_NONE, VB_INSN_VMPTRST,
					VB_INSN_MOV, VB_INSN_CPUID,
					VB_INSN_VMCALL, VB_INSN_RDMSR,
					VB_INSN_IO, VB_INSN_XSETBV,
					VB_INSN_INVD, VB_INSN_CR3_LOAD };

		p->mode = VB_MODE_GUEST;
		p->instruction = PICK(gi);
		p->vmcs = VB_VMCS_LOADED;
		if (p->serialize == VB_SER_CPUID)
			p->serialize = VB_SER_LFENCE;
		p->tlb = VB_TLB_WARM;
		p->ad = VB_AD_SET;
		if (chance(25))	/* the dirty-VMCS field, valid or not */
			p->field = chance(75) ? 1 + below(3) :
				   below(VB_FIELD_COUNT + 1);
	}
	if (chance(15)) {	/* the family, in mode root: one of its variants */
		static const uint8_t fam[][4] = {	/* insn, target, field, type */
			{ VB_INSN_VMPTRLD, VB_TARGET_SAME, 0, 0 },
			{ VB_INSN_VMPTRLD, VB_TARGET_OTHER, 0, 0 },
			{ VB_INSN_VMCLEAR, VB_TARGET_CURRENT, 0, 0 },
			{ VB_INSN_VMCLEAR, VB_TARGET_OTHER, 0, 0 },
			{ VB_INSN_VMREAD, 0, VB_FIELD_GUEST_CS_SEL, 0 },
			{ VB_INSN_VMREAD, 0, VB_FIELD_GUEST_RIP, 0 },
			{ VB_INSN_VMREAD, 0, VB_FIELD_VM_INSN_ERROR, 0 },
			{ VB_INSN_VMWRITE, 0, VB_FIELD_EXCEPTION_BITMAP, 0 },
			{ VB_INSN_VMWRITE, 0, VB_FIELD_GUEST_DEBUGCTL, 0 },
			{ VB_INSN_INVVPID, 0, 0, VB_TYPE_ADDRESS },
			{ VB_INSN_INVVPID, 0, 0, VB_TYPE_ALL },
			{ VB_INSN_INVEPT, 0, 0, VB_TYPE_SINGLE },
			{ VB_INSN_INVEPT, 0, 0, VB_TYPE_GLOBAL },
			{ VB_INSN_VMXON, 0, 0, 0 },
		};
		const uint8_t *f = fam[below(sizeof(fam) / sizeof(fam[0]))];

		p->mode = VB_MODE_ROOT;
		p->vmcs = VB_VMCS_LOADED;
		p->instruction = f[0];
		p->target = f[1];
		p->field = f[2];
		p->type = f[3];
		if (f[1] == VB_TARGET_CURRENT)
			p->unroll = 1;
		if (f[0] == VB_INSN_VMXON && p->unroll > 16)
			p->unroll = 16;
	}
	if (chance(50))
		p->offset = below(VB_MAX_OFFSET(p->page) + 1);
	else {
		const uint32_t e[] = { 0, 1, 7, 60, 63, 4092, 4095, 4096,
				       VB_MAX_OFFSET(p->page) - 1,
				       VB_MAX_OFFSET(p->page),
				       (2u << 20) - 4 };
		uint32_t o = PICK(e);

		p->offset = o <= VB_MAX_OFFSET(p->page) ? o : 0;
	}
	if (p->offset + vb_operand_bytes(p->instruction) > VB_SPAN(p->page))
		p->offset = 0;	/* a 16-byte descriptor */
	if (chance(25)) {	/* counters: software ones work, hardware may not */
		uint32_t i;

		r->nevents = 1 + below(3);
		for (i = 0; i < r->nevents; i++) {
			r->events[i].type = below(2);	/* HARDWARE, SOFTWARE */
			r->events[i].config = below(12);
		}
	}
	if (chance(10)) {	/* out fields */
		uint32_t i;

		for (i = 0; i < VB_MAX_EVENTS; i++) {
			r->event_err[i] = (int32_t)rnd();
			r->event_kind[i] = (uint32_t)rnd();
			r->event_total[i] = rnd();
		}
	}
	if (chance(30)) {	/* out fields: ignored on input */
		r->records = (uint32_t)rnd();
		r->expected = rnd();
		r->poison = rnd();
		r->mismatches = (uint32_t)rnd();
		r->windows = (uint32_t)rnd();
		r->max_window_tsc = rnd();
		r->result_flags = (uint32_t)rnd();
		r->page_kib = (uint32_t)rnd();
		r->skip_reason = (uint32_t)rnd();
		r->vmx_wait_ms = (uint32_t)rnd();
	}
}

/*
 * The point's rules as the ABI's comments state them, written out here
 * (not the header's vb_point_invalid(), which the module runs: the
 * fuzzer's own oracle): the first field refused, NULL if none.
 */
static const char *point_invalid(const struct vb_point_desc *p)
{
	const struct {
		const char *name;
		uint32_t v, count;
	} enums[] = {
		{ "instruction", p->instruction, VB_INSN_COUNT },
		{ "vmcs", p->vmcs, VB_VMCS_COUNT },
		{ "serialize", p->serialize, VB_SER_COUNT },
		{ "cache", p->cache, VB_CACHE_COUNT },
		{ "memtype", p->memtype, VB_MEM_COUNT },
		{ "page", p->page, VB_PAGE_COUNT },
		{ "tlb", p->tlb, VB_TLB_COUNT },
		{ "ad", p->ad, VB_AD_COUNT },
	};
	bool per_sample = p->cache != VB_CACHE_HOT || p->tlb != VB_TLB_WARM ||
			  p->ad != VB_AD_SET;
	uint32_t in = p->instruction;
	bool fam_t = in == VB_INSN_VMPTRLD || in == VB_INSN_VMCLEAR;
	bool fam_f = in == VB_INSN_VMREAD || in == VB_INSN_VMWRITE;
	bool fam_inv = in == VB_INSN_INVVPID || in == VB_INSN_INVEPT;
	bool family = fam_t || fam_f || fam_inv || in == VB_INSN_VMXON;
	bool guest = p->mode == VB_MODE_GUEST;
	/* mode guest: every copy of these is a VM exit */
	bool exits = in == VB_INSN_VMPTRST || in == VB_INSN_CPUID ||
		     in == VB_INSN_VMCALL || in == VB_INSN_RDMSR ||
		     in == VB_INSN_IO || in == VB_INSN_XSETBV ||
		     in == VB_INSN_INVD || in == VB_INSN_CR3_LOAD;
	size_t i;

	for (i = 0; i < sizeof(enums) / sizeof(enums[0]); i++)
		if (enums[i].v >= enums[i].count)
			return enums[i].name;
	if (__builtin_popcount(p->unroll) != 1 || p->unroll > VB_MAX_UNROLL)
		return "unroll";
	if (p->samples < 1 || p->samples > VB_MAX_SAMPLES)
		return "samples";
	/* offset + 8 <= span; the invalidations' descriptors: + 16 */
	if ((uint64_t)p->offset + (fam_inv ? 16 : 8) > VB_SPAN(p->page))
		return "offset";
	if (per_sample && p->unroll != 1)
		return "unroll-with-per-sample-setup";
	if (p->ad == VB_AD_CLEAR && p->page != VB_PAGE_4K)
		return "ad-clear-on-large-page";
	if (p->mode >= VB_MODE_COUNT)
		return "mode";
	if (p->reserved)
		return "reserved";
	/* the family's variants: each its own instructions', one of its values */
	if (p->target >= VB_TARGET_COUNT || fam_t != (p->target != 0) ||
	    (in == VB_INSN_VMPTRLD && p->target == VB_TARGET_CURRENT) ||
	    (in == VB_INSN_VMCLEAR && p->target == VB_TARGET_SAME))
		return "target";
	/* mode root: vmread's and vmwrite's; mode guest: written before each
	 * VMRESUME, for an instruction that exits, not guest-rip (written
	 * anyway) nor the read-only vm-instruction-error */
	if (p->field >= VB_FIELD_COUNT ||
	    (!guest && (fam_f != (p->field != 0) ||
			(in == VB_INSN_VMWRITE &&
			 p->field == VB_FIELD_VM_INSN_ERROR))) ||
	    (guest && fam_f && !p->field))
		return "field";
	if (p->type >= VB_TYPE_COUNT || fam_inv != (p->type != 0) ||
	    (in == VB_INSN_INVVPID && p->type == VB_TYPE_GLOBAL) ||
	    (in == VB_INSN_INVEPT && p->type != VB_TYPE_SINGLE &&
	     p->type != VB_TYPE_GLOBAL))
		return "type";
	if (p->mode == VB_MODE_ROOT && family) {
		if (p->vmcs != VB_VMCS_LOADED)
			return "family-without-vmcs";
		if (in == VB_INSN_VMCLEAR && p->target == VB_TARGET_CURRENT &&
		    p->unroll != 1)
			return "vmclear-current-unrolled";
		if (in == VB_INSN_VMXON && p->unroll > 16)
			return "vmxon-vmxoff-over-16";
		return NULL;
	}
	if (p->mode == VB_MODE_ROOT)	/* the VM-exit references are guest's */
		return p->instruction == VB_INSN_CPUID ||
		       p->instruction == VB_INSN_VMCALL ||
		       p->instruction == VB_INSN_RDMSR ||
		       p->instruction == VB_INSN_IO ||
		       p->instruction == VB_INSN_XSETBV ||
		       p->instruction == VB_INSN_INVD ||
		       p->instruction == VB_INSN_CR3_LOAD ?
		       "exit-reference-in-root" : NULL;
	if (family)
		return "family-in-guest";
	if (p->instruction == VB_INSN_ADD || p->instruction == VB_INSN_IMUL ||
	    p->instruction == VB_INSN_CHASE)
		return "chain-in-guest";
	if (p->serialize == VB_SER_CPUID)
		return "cpuid-bracket-in-guest";
	if (p->vmcs != VB_VMCS_LOADED)
		return "vmcs-none-in-guest";
	if (p->tlb != VB_TLB_WARM || p->ad != VB_AD_SET)
		return "tlb-or-ad-in-guest";
	if (p->field && (!exits || p->field == VB_FIELD_GUEST_RIP ||
			 p->field == VB_FIELD_VM_INSN_ERROR))
		return "field-in-guest";
	return NULL;
}

/* The first field the module must refuse, in the ABI's terms; NULL if none. */
static const char *run_invalid(const struct vb_run *r)
{
	uint64_t need = VB_RECORDS_NEEDED((uint64_t)r->point.instruction,
					  (uint64_t)r->point.samples);

	if (r->size != sizeof(*r))
		return "size";
	if (r->abi_version != VB_ABI_VERSION)
		return "abi_version";
	if (point_invalid(&r->point))
		return point_invalid(&r->point);
	if (r->flags)
		return "flags";
	if (r->wait_vmx_ms > VB_MAX_WAIT_VMX_MS)
		return "wait_vmx_ms";
	if (r->nevents > VB_MAX_EVENTS)
		return "nevents";
	if (r->reserved2)
		return "reserved2";
	if (r->nevents && !r->pmc_buf)
		return "pmc_buf-NULL";
	for (uint32_t i = 0; i < r->nevents; i++)
		if (r->events[i].reserved)
			return "events.reserved";
		else if (r->events[i].type == 2 || r->events[i].type == 5)
			/* tracepoint, breakpoint: refused by the module's code
			 * (vb_events_ok), not named in the ABI header */
			return "events.type";
	if (!r->buf)
		return "buf-NULL";
	if (r->buf_len < need)
		return "buf_len";
	if ((r->point.mode == VB_MODE_GUEST) != (r->exit_buf != 0))
		return "exit_buf-with-mode";
	return NULL;
}

/* Where a RUN's records go. */
enum bufloc {
	B_OK, B_MISALIGNED, B_LEN_MAX, B_SHORT_LEN, B_SHORT_MEM, B_NULL, B_LOW,
	B_KERNEL, B_RO, B_GUARD, B_COUNT
};
static const char *const bufloc_name[] = {
	"ok", "misaligned", "buf_len-max", "one-record-short-len",
	"one-record-short-mapping", "NULL", "low-unmapped", "kernel-half",
	"read-only", "in-guard",
};

static bool buf_writable(int b)
{
	return b == B_OK || b == B_MISALIGNED || b == B_LEN_MAX ||
	       b == B_SHORT_LEN || b == B_NULL;
}

/* Set buf and buf_len for @b after every other field is final. */
static int place_buf(struct vb_run *r, int b)
{
	uint64_t need = VB_RECORDS_NEEDED((uint64_t)r->point.instruction,
					  (uint64_t)r->point.samples);
	uint32_t cap = REC_AREA_PAGES * PAGE / REC;
	uint32_t slack = below(3), fit;

	if (need + slack > cap && (b == B_OK || b == B_MISALIGNED ||
				   b == B_SHORT_MEM))
		b = B_LEN_MAX;	/* cannot be real: claim it (never touched) */
	switch (b) {
	case B_OK:
	case B_MISALIGNED:
		fit = cap - (uint32_t)need - slack;
		r->buf = (uintptr_t)(REC_RW + REC * below(fit + 1) +
				     (b == B_MISALIGNED ? 1 + below(REC - 1) : 0));
		if (b == B_MISALIGNED && r->buf + (need + slack) * REC >
					 (uintptr_t)REC_GUARD)
			r->buf -= REC;
		r->buf_len = (uint32_t)(need + slack);
		break;
	case B_LEN_MAX:
		r->buf = (uintptr_t)REC_RW;
		r->buf_len = chance(50) ? 0xffffffff : (uint32_t)(need > 0xffffffffu ? 0xffffffffu : need);
		break;
	case B_SHORT_LEN:
		r->buf = (uintptr_t)REC_RW;
		r->buf_len = need ? (uint32_t)(need - 1) : 0;
		break;
	case B_SHORT_MEM:
		r->buf = (uintptr_t)REC_GUARD - (need ? need - 1 : 0) * REC -
			 (1 + below(REC - 1));
		r->buf_len = (uint32_t)need;
		break;
	case B_NULL:
		r->buf = 0;
		r->buf_len = (uint32_t)need;
		break;
	case B_LOW:
		r->buf = low_addrs[below(4)];
		r->buf_len = (uint32_t)need;
		break;
	case B_KERNEL:
		r->buf = kernel_addrs[below(6)];
		r->buf_len = (uint32_t)need;
		break;
	case B_RO:
		r->buf = (uintptr_t)REC_RO;
		r->buf_len = (uint32_t)need;
		break;
	default:
		r->buf = (uintptr_t)REC_GUARD;
		r->buf_len = (uint32_t)need;
		break;
	}
	if (b != B_NULL && !r->buf)
		r->buf = (uintptr_t)REC_RW;
	return b;
}

/* Where a RUN's counter values go (vb_run.pmc_buf); true if writable. */
static bool place_pmc(struct vb_run *r)
{
	uint64_t need = VB_RECORDS_NEEDED((uint64_t)r->point.instruction,
					  (uint64_t)r->point.samples);
	uint64_t bytes = need * (r->nevents <= VB_MAX_EVENTS ? r->nevents : 0) * 8;
	uint32_t x = below(100);

	if (x < 80 || bytes > 4 * PAGE) {
		r->pmc_buf = (uintptr_t)PMC_RW + (bytes <= 4 * PAGE ?
			8 * below((uint32_t)(4 * PAGE - bytes) / 8 + 1) : 0);
		return true;
	}
	if (x < 84) {
		r->pmc_buf = 0;
		return true;
	}
	if (x < 88)	/* one value short of the mapping */
		r->pmc_buf = (uintptr_t)PMC_GUARD - bytes + 8;
	else if (x < 92)
		r->pmc_buf = (uintptr_t)REC_RO;
	else if (x < 96)
		r->pmc_buf = kernel_addrs[below(6)];
	else
		r->pmc_buf = low_addrs[below(4)];
	return false;
}

/*
 * Where a RUN's exit records go (vb_run.exit_buf, mode=guest's); false if
 * the module cannot write there.  Now and then one where it must not be.
 */
static bool place_exits(struct vb_run *r)
{
	uint32_t x = below(100);

	if (r->point.mode != VB_MODE_GUEST) {
		r->exit_buf = x < 97 ? 0 : (uintptr_t)exit_area;
		return true;
	}
	if (x < 94) {	/* 90 of 100 where it belongs, 4 missing */
		r->exit_buf = x < 90 ? (uintptr_t)exit_area : 0;
		return true;
	}
	r->exit_buf = x < 97 ? (uintptr_t)REC_RO : kernel_addrs[below(6)];
	return false;
}

/* One events field of @r at a boundary value. */
static void mutate_events(struct vb_run *r)
{
	const uint32_t nev[] = { 0, 1, 2, VB_MAX_EVENTS - 1, VB_MAX_EVENTS,
				 VB_MAX_EVENTS + 1, 16, 0x80000000, 0xffffffff };
	const uint32_t types[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 0x7fffffff,
				   0xffffffff };
	uint32_t i = below(VB_MAX_EVENTS);

	switch (below(5)) {
	case 0: r->nevents = PICK(nev); break;
	case 1: r->reserved2 = pool_flags(); break;
	case 2: r->events[i].type = chance(80) ? PICK(types) : (uint32_t)rnd(); break;
	case 3: r->events[i].reserved = pool_flags(); break;
	default:
		r->events[i].config = chance(50) ? rnd() : below(64);
		r->events[i].config1 = chance(50) ? rnd() : 0;
		r->events[i].config2 = chance(50) ? rnd() : 0;
		break;
	}
	if (r->nevents && r->nevents <= VB_MAX_EVENTS && chance(50))
		for (i = 0; i < r->nevents; i++)	/* keep them valid */
			if (r->events[i].type == 2 || r->events[i].type == 5)
				r->events[i].type = 1;
}

static int pick_bufloc(void)
{
	uint32_t x = below(100);

	if (x < 70)
		return B_OK;
	if (x < 76)
		return B_MISALIGNED;
	if (x < 80)
		return B_LEN_MAX;
	return B_SHORT_LEN + (int)below(B_COUNT - B_SHORT_LEN);
}

static bool supported_skip(const struct vb_run *r, uint32_t reason,
			   bool *must, bool *measure_ok, bool *nomem_ok)
{
	const struct vb_point_desc *p = &r->point;
	bool memtype_must = p->memtype == VB_MEM_WT ||
			    (p->memtype != VB_MEM_WB && p->page != VB_PAGE_4K);
	bool flushopt_must = !memtype_must && p->cache == VB_CACHE_FLUSHOPT &&
			     !have_clflushopt;

	*must = memtype_must || flushopt_must;
	*measure_ok = !*must;
	*nomem_ok = p->page != VB_PAGE_4K;
	switch (reason) {
	case VB_SKIP_MEMTYPE:
		return memtype_must ||
		       (!flushopt_must && p->page == VB_PAGE_4K &&
			p->memtype != VB_MEM_WB);
	case VB_SKIP_NO_CLFLUSHOPT:
		return flushopt_must;
	case VB_SKIP_PAGE_SIZE:
		return !*must && p->page != VB_PAGE_4K;
	/*
	 * The CPU's decisions (VPID, the kernel's CR4.OSXSAVE) are taken
	 * before the operand is set up, so they may stand in for a memory
	 * type or page skip the point would also have.
	 */
	case VB_SKIP_NO_VPID:
		return p->mode == VB_MODE_GUEST;
	case VB_SKIP_NO_INVVPID_TYPE:	/* as does IA32_VMX_EPT_VPID_CAP */
		return !*must && p->instruction == VB_INSN_INVVPID;
	case VB_SKIP_NO_INVEPT_TYPE:
		return !*must && p->instruction == VB_INSN_INVEPT;
	case VB_SKIP_NO_OSXSAVE:
		return p->mode == VB_MODE_GUEST &&
		       p->instruction == VB_INSN_XSETBV;
	default:
		return false;
	}
}

#define SAMPLE_FLAGS	(VB_SAMPLE_MISMATCH | VB_SAMPLE_PMC_INVALID)

static const char *const page_name[VB_PAGE_COUNT] = { "4k", "2m", "1g" };
static const char *const mem_name[VB_MEM_COUNT] = { "wb", "wc", "uc-", "wt" };

/* Check a RUN that returned 0 and measured: every record, counted here. */
static bool check_measured(const struct vb_run *in, const struct vb_run *out,
			   const char *desc)
{
	const struct vb_point_desc *p = &in->point;
	uint32_t insn = p->instruction;
	uint32_t need = VB_RECORDS_NEEDED(insn, p->samples);
	uint32_t i, bad_value = 0, bad_order = 0, bad_time = 0, flagged = 0;
	uint64_t flip = broke("stored") ? 1 : 0, chase = 0;
	const uint8_t *base = (const uint8_t *)(uintptr_t)in->buf;
	bool ok = true;

	if (out->page_kib != vb_page_kib(p->page) || out->records != need ||
	    out->windows < 1 || out->result_flags != 0 || out->skip_reason ||
	    out->vmx_wait_ms) {
		violation(desc, "measured RUN: page_kib %u (want %u), records %u (want %u), windows %u, result_flags %#x, skip_reason %u, vmx_wait_ms %u",
			  out->page_kib, vb_page_kib(p->page), out->records,
			  need, out->windows, out->result_flags,
			  out->skip_reason, out->vmx_wait_ms);
		ok = false;
	}
	int fam_vmcs = 1;
	uint64_t fam_want = vb_insn_is_family(insn) ?
			    vb_family_want(p, &fam_vmcs) : 0;

	if (!fam_vmcs ? out->expected != fam_want :
	    p->vmcs == VB_VMCS_NONE ? out->expected != UINT64_MAX :
	    (out->expected == UINT64_MAX || !out->expected ||
	     (out->expected & 0xfff))) {
		violation(desc, "measured RUN: expected %#" PRIx64 " is not %s",
			  (uint64_t)out->expected,
			  !fam_vmcs ? "the family's value" :
			  p->vmcs == VB_VMCS_NONE ? "all ones" :
			  "a page-aligned physical address");
		ok = false;
	}
	for (i = 0; i < need && i < out->records; i++) {
		struct vb_sample s;

		memcpy(&s, base + (size_t)i * REC, REC);
		if (s.instruction == VB_INSN_CHASE) {
			chase = s.stored;
			break;
		}
	}
	for (i = 0; i < need && i < out->records; i++) {
		struct vb_sample s;
		uint32_t pair = insn == VB_INSN_NONE ? i : i / 2;
		uint8_t want_insn = (uint8_t)insn;
		uint64_t want;

		memcpy(&s, base + (size_t)i * REC, REC);
		if (insn != VB_INSN_NONE)
			want_insn = ((pair & 1) == !(i & 1)) ? (uint8_t)insn :
							       VB_INSN_NONE;
		want = record_want(want_insn, out, chase) ^ flip;
		bad_order += s.sample != pair || s.instruction != want_insn;
		bad_value += s.stored != want;
		bad_time += s.tsc_end < s.tsc_begin;
		flagged += !!(s.flags & VB_SAMPLE_MISMATCH);
		bad_order += (s.flags & ~(uint16_t)SAMPLE_FLAGS) != 0;
	}
	if (bad_order || bad_value || bad_time || flagged || out->mismatches) {
		violation(desc, "measured RUN records: %u out of order or with unknown flags, %u stored values wrong (counted here), %u with tsc_end < tsc_begin, %u flagged, module counted %u mismatches",
			  bad_order, bad_value, bad_time, flagged,
			  out->mismatches);
		ok = false;
	}
	return ok;
}

/* The records area outside [from, to) must still hold FILL. */
static bool rec_area_untouched(uintptr_t from, uintptr_t to)
{
	uintptr_t a = (uintptr_t)REC_RW, z = (uintptr_t)REC_GUARD;

	if (broke("untouched"))
		return false;
	if (from < a)
		from = a;
	if (to > z)
		to = z;
	if (from >= to)
		return all_bytes(REC_RW, REC_AREA_PAGES * PAGE, FILL);
	return all_bytes(REC_RW, from - a, FILL) &&
	       all_bytes((const void *)to, z - to, FILL);
}

/*
 * A measured RUN with counters: event_err/event_kind agree, nothing beyond
 * nevents, a counter that was not created or a record marked
 * VB_SAMPLE_PMC_INVALID holds 0, nothing written past the values.
 */
static bool check_events(const struct vb_run *in, const struct vb_run *out,
			 const char *desc)
{
	uint32_t need = VB_RECORDS_NEEDED(in->point.instruction,
					  in->point.samples);
	uint32_t n = in->nevents, i, j, bad_meta = 0, bad_zero = 0;
	const uint8_t *pmc = (const uint8_t *)(uintptr_t)in->pmc_buf;
	const uint8_t *rec = (const uint8_t *)(uintptr_t)in->buf;
	uintptr_t end;

	for (i = 0; i < VB_MAX_EVENTS; i++) {
		bool none = out->event_kind[i] == VB_EVENT_NONE;

		if (i >= n)
			bad_meta += out->event_err[i] != 0 || !none ||
				    out->event_total[i] != 0;
		else
			bad_meta += out->event_err[i] > 0 ||
				    out->event_kind[i] > VB_EVENT_SOFTWARE ||
				    (out->event_err[i] != 0) != none ||
				    (none && out->event_total[i] != 0);
	}
	for (j = 0; n && j < need; j++) {
		struct vb_sample s;

		memcpy(&s, rec + (size_t)j * REC, REC);
		for (i = 0; i < n; i++) {
			uint64_t v;

			memcpy(&v, pmc + ((size_t)j * n + i) * 8, 8);
			bad_zero += v != 0 &&
				    (out->event_kind[i] == VB_EVENT_NONE ||
				     (s.flags & VB_SAMPLE_PMC_INVALID));
		}
	}
	end = n ? (uintptr_t)in->pmc_buf + (uintptr_t)need * n * 8 : 0;
	if (!n && !all_bytes(PMC_RW, 4 * PAGE, FILL))
		bad_zero++;
	else if (n && (!all_bytes(PMC_RW, in->pmc_buf - (uintptr_t)PMC_RW, FILL) ||
		       !all_bytes((const void *)end, (uintptr_t)PMC_GUARD - end,
				  FILL)))
		bad_zero++;
	if (bad_meta || bad_zero) {
		violation(desc, "counters: %u events with inconsistent err/kind/total, %u values where there must be none (or written outside the buffer)",
			  bad_meta, bad_zero);
		return false;
	}
	return true;
}

static void do_run(void)
{
	struct vb_run r, out;
	struct vb_point_desc *p = &r.point;
	unsigned long cmd = VB_IOC_RUN;
	int loc = pick_argloc(), b = pick_bufloc(), got;
	uint32_t mode = below(100), want, k;
	const char *why, *bad;
	char desc[1024];
	bool ok, rw = false, pmc_ok = true, exit_ok;
	void *arg;
	uint32_t salt = (uint32_t)rnd();

	valid_run(&r);
	if (mode < 35) {
		/* valid */
	} else if (mode < 70) {		/* one field at a boundary */
		size_t i = below(N_RUN_IN);

		if (chance(15))
			mutate_events(&r);
		else
		fset(&r, &run_fields[i], run_field_value(i));
	} else if (mode < 85) {		/* several */
		for (k = 2 + below(3); k; k--) {
			size_t i = below(N_RUN_IN);

			fset(&r, &run_fields[i], run_field_value(i));
		}
	} else if (mode < 95) {		/* random bytes */
		uint8_t *bytes = (uint8_t *)&r;
		size_t i;

		for (i = 0; i < sizeof(r); i++)
			bytes[i] = (uint8_t)rnd();
		if (chance(70)) {
			r.size = sizeof(r);
			r.abi_version = VB_ABI_VERSION;
		}
		if (chance(50))
			p->cpu = pick_online_cpu();
	} else {			/* one bit flipped */
		uint32_t bit = below(64 * 8);

		((uint8_t *)&r)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	b = place_buf(&r, b);
	if (mode < 85 || chance(50))
		pmc_ok = place_pmc(&r);
	exit_ok = place_exits(&r);
	/* Never a long real run: keep the sample count small where it could run. */
	if (!run_invalid(&r) && cpu_ok(p->cpu) && p->samples > max_samples &&
	    !big_ok) {
		p->samples = 1 + below(max_samples);
		b = place_buf(&r, b);
		pmc_ok = place_pmc(&r);
	}
	if (chance(3))	/* the kernel takes the command as 32 bits */
		cmd |= (unsigned long)(1 + below(0xffff)) << 32;

	bad = run_invalid(&r);
	if (!arg_readable(loc)) {
		want = M(EFAULT), why = "struct unreadable";
	} else if (bad) {
		want = M(EINVAL), why = bad;
	} else if (!cpu_ok(p->cpu)) {
		want = broke("enxio") ? M(EINVAL) : M(ENXIO);
		why = p->cpu < nr_possible ? "cpu offline" : "cpu beyond nr";
	} else if (!expect_vmx) {
		want = broke("enodev") ? M(EIO) : M(ENODEV), why = "no VMX";
	} else {
		bool must, measure_ok, nomem_ok, bufbad = !buf_writable(b);

		if ((r.nevents && !pmc_ok) || !exit_ok)
			bufbad = true;

		supported_skip(&r, 0, &must, &measure_ok, &nomem_ok);
		why = "VMX run";
		/*
		 * The module proves every buffer it will write writable
		 * before it sets anything up: a bad one is EFAULT whether
		 * the point would be measured or skipped.
		 */
		if (bufbad || loc == A_RO)
			want = broke("efault") ? M(EINVAL) : M(EFAULT);
		else
			want = M(0) | (nomem_ok ? M(ENOMEM) : 0);
		if (bufbad)
			why = "VMX run, bad records buffer";
		else if (loc == A_RO)
			why = "VMX run, read-only struct";
	}
	if (!arg_readable(loc) && broke("efault"))
		want = M(EINVAL);

	describe_run(&r, cmd, loc, bufloc_name[b], desc, sizeof(desc));
	memset(REC_RW, FILL, REC_AREA_PAGES * PAGE);
	memset(PMC_RW, FILL, 4 * PAGE);
	arg = place(loc, &r, sizeof(r), salt);
	got = xioctl(cmd, arg);
	if (verbose)
		printf("# call %lu: %s -> %s\n", call_no, desc, ename(got));
	ok = judge_errno(got, want, why, desc);
	if (arg_readable(loc)) {
		memcpy(&out, arg, sizeof(out));
		rw = true;
	}
	if (got != 0) {
		/* A refused RUN changes nothing the caller owns (EFAULT on the
		 * records buffer may have written part of it). */
		if (rw && memcmp(&out, &r, sizeof(r))) {
			violation(desc, "refused RUN (%s) changed the caller's struct",
				  ename(got));
			ok = false;
		}
		if (got != EFAULT && (!rec_area_untouched(0, 0) ||
				      !all_bytes(PMC_RW, 4 * PAGE, FILL))) {
			violation(desc, "refused RUN (%s) wrote to the records buffer",
				  ename(got));
			ok = false;
		}
		path_hit("RUN %s %s", ename(got), ok ? why : "UNEXPECTED");
		if (ok)
			passed++;
		return;
	}
	/* Success. */
	if (out.result_flags & VB_RUN_SKIPPED) {
		bool must, measure_ok, nomem_ok;

		if (!supported_skip(&r, out.skip_reason, &must, &measure_ok,
				    &nomem_ok) ||
		    out.records != 0 ||
		    (out.skip_reason == VB_SKIP_PAGE_SIZE &&
		     out.page_kib == vb_page_kib(p->page)) ||
		    (out.result_flags & ~(uint32_t)VB_RUN_SKIPPED)) {
			violation(desc, "skipped RUN: reason %u, records %u, page_kib %u, result_flags %#x: not a documented skip for this point",
				  out.skip_reason, out.records, out.page_kib,
				  out.result_flags);
			ok = false;
		}
		if (!rec_area_untouched(0, 0) || !all_bytes(PMC_RW, 4 * PAGE, FILL)) {
			violation(desc, "skipped RUN wrote to the records or counter buffer");
			ok = false;
		}
		path_hit("RUN 0 skipped reason=%u page=%s mem=%s", out.skip_reason,
			 p->page < VB_PAGE_COUNT ? page_name[p->page] : "?",
			 p->memtype < VB_MEM_COUNT ? mem_name[p->memtype] :
			 "?");
	} else {
		uint32_t need = VB_RECORDS_NEEDED(p->instruction, p->samples);
		bool must, measure_ok, nomem_ok;

		bool real = b == B_OK || b == B_MISALIGNED || b == B_LEN_MAX;

		real = real && (!r.nevents || pmc_ok);
		supported_skip(&r, 0, &must, &measure_ok, &nomem_ok);
		if (!measure_ok) {
			violation(desc, "RUN measured a point that must be skipped");
			ok = false;
		}
		if (!real) {	/* already a violation: nothing to read back */
			path_hit("RUN 0 UNEXPECTED");
			return;
		}
		ok &= check_measured(&r, &out, desc);
		ok &= check_events(&r, &out, desc);
		if (!rec_area_untouched((uintptr_t)r.buf,
					(uintptr_t)r.buf + (uintptr_t)need * REC)) {
			violation(desc, "RUN wrote outside its %u records", need);
			ok = false;
		}
		path_hit("RUN 0 measured insn=%u page=%s mem=%s",
			 p->instruction, page_name[p->page],
			 mem_name[p->memtype]);
	}
	if (ok)
		passed++;
}

/* ------------------------------------------------------------ INFO, SELFTEST */

/* What INFO and SELFTEST share: the first fields of their structs. */
struct hdr {
	uint32_t size, abi_version, cpu;
};

union hdr_arg {
	struct hdr h;
	struct vb_info info;
	struct vb_selftest selftest;
};

/*
 * INFO and SELFTEST, each a descriptor: its struct; how the calls are drawn
 * (per cent, cumulative: valid, a bad size, abi_version, cpu; the rest are
 * random bytes); whether it answers any abi_version; and what a success
 * must have written back.
 */
struct hdr_call {
	const char *name;
	unsigned long cmd;
	size_t size;
	uint32_t valid, bad_size, bad_abi, bad_cpu;
	bool any_abi;
	const char *ok_why;
	bool (*answer_ok)(const union hdr_arg *in, const union hdr_arg *out,
			  const char *desc);
};

static bool info_answer_ok(const union hdr_arg *a, const union hdr_arg *b,
			   const char *desc)
{
	/* Defined flags; those that no state here can set. */
	const uint32_t info_known = VB_INFO_VMX | VB_INFO_VMX_IN_USE |
		VB_INFO_FEAT_LOCKED | VB_INFO_FEAT_VMX | VB_INFO_VMX_BASIC |
		VB_INFO_KVM | VB_INFO_NO_COVER | VB_INFO_KERNEL_VMX |
		VB_INFO_RDTSCP | VB_INFO_CPU_STUCK | VB_INFO_GUEST;
	const uint32_t info_never = VB_INFO_VMX_IN_USE | VB_INFO_KVM |
		VB_INFO_NO_COVER | VB_INFO_CPU_STUCK;
	const struct vb_info *in = &a->info, *out = &b->info;
	bool vmx = out->flags & VB_INFO_VMX;

	if (broke("info"))
		vmx = !vmx;
	if (out->size == sizeof(*out) && out->abi_version == VB_ABI_VERSION &&
	    out->cpu == in->cpu &&
	    memchr(out->module_version, 0, sizeof(out->module_version)) &&
	    out->module_version[0] && out->max_samples == VB_MAX_SAMPLES &&
	    !out->reserved && !(out->flags & ~info_known) &&
	    vmx == expect_vmx && !(out->flags & info_never) &&
	    (vmx || !(out->flags & VB_INFO_GUEST)) &&	/* VPID is VMX's */
	    out->online_cpus == nr_online &&
	    (!(out->flags & VB_INFO_VMX_BASIC) ||
	     out->vmcs_revision == (out->vmx_basic & 0x7fffffff)))
		return true;
	violation(desc, "INFO answered size %u abi %u cpu %u flags %#x version '%.16s' max_samples %u online %u (want %u) reserved %u",
		  out->size, out->abi_version, out->cpu, out->flags,
		  out->module_version, out->max_samples, out->online_cpus,
		  nr_online, out->reserved);
	return false;
}

static bool selftest_answer_ok(const union hdr_arg *a, const union hdr_arg *b,
			       const char *desc)
{
	const struct vb_selftest *out = &b->selftest;

	(void)a;
	if (out->trap == (broke("selftest") ? 13 : X86_TRAP_UD) &&
	    out->operand == out->poison)
		return true;
	violation(desc, "SELFTEST: vector %d (want 6, #UD), operand %#" PRIx64 " poison %#" PRIx64,
		  out->trap, (uint64_t)out->operand, (uint64_t)out->poison);
	return false;
}

static const struct hdr_call info_call = {
	.name = "INFO", .cmd = VB_IOC_INFO, .size = sizeof(struct vb_info),
	.valid = 30, .bad_size = 45, .bad_abi = 60, .bad_cpu = 80,
	.any_abi = true, .ok_why = "ok", .answer_ok = info_answer_ok,
};

static const struct hdr_call selftest_call = {
	.name = "SELFTEST", .cmd = VB_IOC_SELFTEST,
	.size = sizeof(struct vb_selftest),
	.valid = 40, .bad_size = 55, .bad_abi = 70, .bad_cpu = 90,
	.any_abi = false, .ok_why = "#UD", .answer_ok = selftest_answer_ok,
};

/* The header as the call draws it: @mode is below(100). */
static void draw_hdr(const struct hdr_call *d, uint32_t mode,
		     union hdr_arg *in)
{
	memset(in, 0, sizeof(*in));
	in->h.size = (uint32_t)d->size;
	in->h.abi_version = VB_ABI_VERSION;
	in->h.cpu = pick_online_cpu();
	if (mode < d->valid) {
		/* valid */
	} else if (mode < d->bad_size) {
		in->h.size = pool_size((uint32_t)d->size);
	} else if (mode < d->bad_abi) {
		in->h.abi_version = pool_abi();
	} else if (mode < d->bad_cpu) {
		in->h.cpu = pool_cpu();
	} else {
		uint8_t *p = (uint8_t *)in;
		size_t i;

		for (i = 0; i < d->size; i++)
			p[i] = (uint8_t)rnd();
		if (chance(60)) {
			in->h.size = (uint32_t)d->size;
			if (!d->any_abi)
				in->h.abi_version = VB_ABI_VERSION;
		}
		if (chance(50))
			in->h.cpu = pick_online_cpu();
	}
}

/* What the module must answer, in the order it checks (set *why). */
static uint32_t hdr_want(const struct hdr_call *d, const struct hdr *h,
			 int loc, const char **why)
{
	if (!arg_readable(loc)) {
		*why = "struct unreadable";
		return broke("efault") ? M(EINVAL) : M(EFAULT);
	}
	if (h->size != d->size) {
		*why = "size";
		return M(EINVAL);
	}
	if (!d->any_abi && h->abi_version != VB_ABI_VERSION) {
		*why = "abi_version";
		return M(EINVAL);
	}
	if (!cpu_ok(h->cpu)) {
		*why = h->cpu < nr_possible ? "cpu offline" : "cpu beyond nr";
		return broke("enxio") ? M(EINVAL) : M(ENXIO);
	}
	if (loc == A_RO) {
		*why = "read-only struct";
		return M(EFAULT);
	}
	*why = d->any_abi && h->abi_version != VB_ABI_VERSION ?
	       "ok, other abi_version" : d->ok_why;
	return M(0);
}

static void do_hdr_call(const struct hdr_call *d)
{
	union hdr_arg in, out;
	unsigned long cmd = d->cmd;
	int loc = pick_argloc(), got;
	uint32_t mode = below(100), want;
	uint32_t salt = (uint32_t)rnd();
	const char *why;
	char desc[320];
	bool ok;
	void *arg;

	draw_hdr(d, mode, &in);
	if (chance(3))
		cmd |= (unsigned long)(1 + below(0xffff)) << 32;

	want = hdr_want(d, &in.h, loc, &why);
	snprintf(desc, sizeof(desc),
		 "%s cmd %#lx arg %s {size=%#x abi_version=%#x cpu=%#x}",
		 d->name, cmd, argloc_name[loc], in.h.size, in.h.abi_version,
		 in.h.cpu);
	arg = place(loc, &in, d->size, salt);
	got = xioctl(cmd, arg);
	if (verbose)
		printf("# call %lu: %s -> %s\n", call_no, desc, ename(got));
	ok = judge_errno(got, want, why, desc);
	if (arg_readable(loc)) {
		memcpy(&out, arg, d->size);
		if (got && memcmp(&out, &in, d->size)) {
			violation(desc, "refused %s (%s) changed the caller's struct",
				  d->name, ename(got));
			ok = false;
		}
		if (!got && !d->answer_ok(&in, &out, desc))
			ok = false;
	}
	path_hit("%s %s %s", d->name, ename(got), ok ? why : "UNEXPECTED");
	if (ok)
		passed++;
}

/* ------------------------------------------------------------ other calls */

static bool is_real_cmd(uint32_t c)
{
	return c == (uint32_t)VB_IOC_INFO || c == (uint32_t)VB_IOC_RUN ||
	       c == (uint32_t)VB_IOC_SELFTEST || c == (uint32_t)VB_IOC_HOLD ||
	       c == (uint32_t)VB_IOC_CONFORM;
}

/*
 * HOLD (tests only): the tests' build of the module (TEST_HOOKS=1) loaded
 * without debug_hold=1, as here, must refuse every HOLD with EOPNOTSUPP
 * before it looks at the argument.  The module users load has no HOLD at
 * all (ENOTTY): the module test checks that one.
 */
static void do_hold(void)
{
	struct vb_hold h = {
		.size = below(4) ? sizeof(h) : (uint32_t)rnd(),
		.abi_version = below(4) ? VB_ABI_VERSION : (uint32_t)rnd(),
		.cpu = below(2) ? pick_online_cpu() : (uint32_t)rnd(),
		.hold = below(3),
	};
	int loc = pick_argloc(), got;
	uint32_t salt = (uint32_t)rnd();
	char desc[160];
	bool ok;

	snprintf(desc, sizeof(desc), "HOLD cpu %u hold %u size %u arg %s",
		 h.cpu, h.hold, h.size, argloc_name[loc]);
	got = xioctl(VB_IOC_HOLD, place(loc, &h, sizeof(h), salt));
	if (verbose)
		printf("# call %lu: %s -> %s\n", call_no, desc, ename(got));
	ok = got == EOPNOTSUPP;	/* beyond M()'s 32 bits: judged here */
	if (!ok)
		violation(desc, "got %s, documented outcome EOPNOTSUPP (HOLD without debug_hold=1)",
			  ename(got));
	path_hit("HOLD %s", ok ? ename(got) : "UNEXPECTED");
	if (ok)
		passed++;
}

/*
 * Types the VFS answers itself before the driver sees the command (FIOCLEX
 * and friends 'T', FS_IOC_* 'f' 'X' 0x15, FICLONE 0x94, FIBMAP 0): not ours,
 * and FIFREEZE would freeze a filesystem.
 */
static bool vfs_type(uint32_t c)
{
	uint32_t t = _IOC_TYPE(c);

	return t == 0 || t == 0x15 || t == 'T' || t == 'X' || t == 'f' ||
	       t == 0x94;
}

static void do_unknown(void)
{
	const uint32_t dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
				  _IOC_READ | _IOC_WRITE };
	uint32_t c, mode = below(100), salt = (uint32_t)rnd();
	int loc = (int)below(A_COUNT), got;
	const char *kind;
	char desc[160];
	uint8_t junk[64];
	size_t i;
	bool ok;

	do {
		if (mode < 40) {	/* our magic, another number */
			c = _IOC(PICK(dirs), VB_IOC_MAGIC, below(256),
				 below(_IOC_SIZEMASK + 1));
			kind = "magic, other number";
		} else if (mode < 70) {	/* a real number, wrong size or direction */
			uint32_t nr = 1 + below(3), s = below(4);
			const uint32_t sizes[] = { sizeof(struct vb_info),
						   sizeof(struct vb_run),
						   sizeof(struct vb_selftest) };
			uint32_t sz = sizes[nr - 1];

			sz = s == 0 ? sz - 8 : s == 1 ? sz + 8 :
			     s == 2 ? 0 : sizes[below(3)];
			c = _IOC(PICK(dirs), VB_IOC_MAGIC, nr, sz);
			kind = "real number, other size/direction";
		} else {
			c = (uint32_t)rnd();
			kind = "random";
		}
		mode = below(100);
	} while (is_real_cmd(c) || vfs_type(c));
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rnd();
	snprintf(desc, sizeof(desc), "unknown ioctl %#x (%s) arg %s", c, kind,
		 argloc_name[loc]);
	got = xioctl(c, place(loc, junk, sizeof(junk), salt));
	if (verbose)
		printf("# call %lu: %s -> %s\n", call_no, desc, ename(got));
	ok = judge_errno(got, M(ENOTTY), "unknown command", desc);
	path_hit("UNKNOWN %s %s", ename(got), ok ? kind : "UNEXPECTED");
	if (ok)
		passed++;
}

/* Without CAP_SYS_RAWIO every command is EPERM, before anything else. */
static void do_eperm(void)
{
	uint32_t what = below(4);
	const char *const names[] = { "INFO", "RUN", "SELFTEST", "unknown" };
	char desc[96];
	int status = 0, got;
	pid_t pid;
	bool ok;

	snprintf(desc, sizeof(desc), "%s without CAP_SYS_RAWIO (child process)",
		 names[what]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];
		struct vb_info i = { .size = sizeof(i),
				     .abi_version = VB_ABI_VERSION };
		struct vb_selftest st = { .size = sizeof(st),
					  .abi_version = VB_ABI_VERSION };
		struct vb_run r;
		int e;

		valid_run(&r);
		place_buf(&r, B_OK);
		if (syscall(SYS_capget, &h, d))
			_exit(101);
		d[CAP_SYS_RAWIO / 32].effective &= ~(1u << (CAP_SYS_RAWIO % 32));
		if (syscall(SYS_capset, &h, d))
			_exit(102);
		e = what == 0 ? xioctl(VB_IOC_INFO, &i) :
		    what == 1 ? xioctl(VB_IOC_RUN, &r) :
		    what == 2 ? xioctl(VB_IOC_SELFTEST, &st) :
		    xioctl(_IO(VB_IOC_MAGIC, 77), NULL);
		_exit(e > 100 ? 100 : e);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		violation(desc, "child did not run or died (status %#x)", status);
		return;
	}
	got = WEXITSTATUS(status);
	if (got > 100) {
		violation(desc, "could not drop CAP_SYS_RAWIO (child exit %d)", got);
		return;
	}
	ok = judge_errno(got, M(EPERM), "no CAP_SYS_RAWIO", desc);
	path_hit("%s %s no CAP_SYS_RAWIO", names[what], ename(got));
	if (ok)
		passed++;
}

static void do_reopen(void)
{
	const int flags[] = { O_RDWR, O_RDONLY, O_WRONLY,
			      O_RDWR | O_NONBLOCK | O_CLOEXEC };
	int f = PICK(flags);

	close(fd);
	fd = open(VB_DEVICE_PATH, f);
	if (fd < 0) {
		violation("reopen", "open %s with flags %#x: %s",
			  VB_DEVICE_PATH, f, strerror(errno));
		fd = open(VB_DEVICE_PATH, O_RDWR);
		if (fd < 0)
			exit(1);
		return;
	}
	path_hit("OPEN flags=%#x", f);
	passed++;
}

static bool write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(s, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* Take a CPU other than 0 offline or bring it back: ENXIO comes and goes. */
static void do_hotplug(void)
{
	char path[96];
	uint32_t cpu = 1 + below(nr_possible - 1);
	bool off = online[cpu];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online",
		 cpu);
	if (write_file(path, off ? "0" : "1"))
		path_hit("HOTPLUG cpu %s", off ? "offline" : "online");
	else
		path_hit("HOTPLUG refused by the kernel");
	refresh_cpus();
	passed++;
}

/* ------------------------------------------------------------ final checks */

static void final_checks(int pat_before)
{
	struct vb_info in = { .size = sizeof(in), .abi_version = VB_ABI_VERSION };
	struct vb_selftest st = { .size = sizeof(st),
				  .abi_version = VB_ABI_VERSION };
	int e, n;

	call_no = ncalls;
	e = xioctl(VB_IOC_INFO, &in);
	if (e || !!(in.flags & VB_INFO_VMX) != expect_vmx ||
	    (in.flags & VB_INFO_VMX_IN_USE))
		violation("final INFO on cpu 0", "%s, flags %#x", ename(e), in.flags);
	else
		passed++;
	e = xioctl(VB_IOC_SELFTEST, &st);
	if (e || st.trap != X86_TRAP_UD || st.operand != st.poison)
		violation("final SELFTEST on cpu 0",
			  "%s, vector %d: VMX left behind?", ename(e), st.trap);
	else
		passed++;
	n = count_lines("/proc/vmallocinfo", "vmptrst_bench");
	if (n > 0)
		violation("/proc/vmallocinfo", "%d vmalloc areas of the module left after the fuzz", n);
	else
		passed++;
	n = count_lines(VB_PAT_LIST, NULL);
	if (pat_before < 0 || n < 0)
		printf("# skip: PAT list not readable\n");
	else if (n != pat_before)
		violation("/sys/kernel/debug/x86/pat_memtype_list",
			  "%d entries after, %d before: a memory type not restored",
			  n, pat_before);
	else
		passed++;
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
	fprintf(stderr, "usage: vb_fuzz --expect-vmx yes|no [--seed N] [--calls N] [--max-samples N] [--no-hotplug] [--verbose] [--break-oracle enxio|enodev|efault|stored|selftest|untouched|info]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool have_expect = false;
	struct timespec t0, t1;
	unsigned int a, b, c, d;
	struct vb_info info = { .size = sizeof(info),
				.abi_version = VB_ABI_VERSION };
	int i, e, pat_before;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect-vmx") && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "yes") && strcmp(argv[i], "no"))
				usage();
			expect_vmx = !strcmp(argv[i], "yes");
			have_expect = true;
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--calls") && i + 1 < argc) {
			ncalls = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--max-samples") && i + 1 < argc) {
			max_samples = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (max_samples < 1 || max_samples > 64)
				usage();
		} else if (!strcmp(argv[i], "--no-hotplug")) {
			hotplug = false;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--break-oracle") && i + 1 < argc) {
			broken = argv[++i];
		} else {
			usage();
		}
	}
	if (!have_expect)
		usage();
	rng = seed;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setup_arena();
	refresh_cpus();
	nr_possible = read_cpulist("/sys/devices/system/cpu/possible", NULL);
	if (nr_possible < 1)
		nr_possible = 1;
	if (hotplug && (nr_possible < 2 ||
			access("/sys/devices/system/cpu/cpu1/online", W_OK)))
		hotplug = false;
	have_clflushopt = __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
			  (b & (1u << 23));
	pat_before = count_lines(VB_PAT_LIST,
					  NULL);

	fd = open(VB_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		printf("not ok - open %s: %s\n", VB_DEVICE_PATH, strerror(errno));
		printf("vb_fuzz: calls=0 distinct_paths=0 violations=1\n");
		printf("vb_fuzz: 0 passed, 1 failed\n");
		return 1;
	}
	e = xioctl(VB_IOC_INFO, &info);
	big_ok = !expect_vmx && !e && !(info.flags & VB_INFO_VMX);
	printf("# vb_fuzz: seed %" PRIu64 ", %lu calls, expect VMX %s (INFO: %s, flags %#x), %u of %u CPUs online, hotplug %s, clflushopt %s, samples <= %u%s%s\n",
	       seed, ncalls, expect_vmx ? "yes" : "no", ename(e), info.flags,
	       nr_online, nr_possible, hotplug ? "yes" : "no",
	       have_clflushopt ? "yes" : "no", max_samples,
	       *broken ? ", BROKEN ORACLE: " : "", broken);
	if (e || !!(info.flags & VB_INFO_VMX) != expect_vmx)
		violation("initial INFO on cpu 0",
			  "%s, VMX flag %s: not what --expect-vmx says", ename(e),
			  info.flags & VB_INFO_VMX ? "set" : "clear");

	for (call_no = 0; call_no < ncalls; call_no++) {
		uint32_t k = below(1000);

		if (k < 550)
			do_run();
		else if (k < 700)
			do_hdr_call(&info_call);
		else if (k < 850)
			do_hdr_call(&selftest_call);
		else if (k < 945)
			do_unknown();
		else if (k < 960)
			do_hold();
		else if (k < 975)
			do_reopen();
		else if (k < 985)
			do_eperm();
		else if (hotplug)
			do_hotplug();
		else
			do_hdr_call(&info_call);
	}
	if (hotplug) {		/* every CPU back */
		uint32_t cpu;
		char path[96];

		for (cpu = 1; cpu < nr_possible; cpu++)
			if (!online[cpu]) {
				snprintf(path, sizeof(path),
					 "/sys/devices/system/cpu/cpu%u/online", cpu);
				write_file(path, "1");
			}
		refresh_cpus();
	}
	final_checks(pat_before);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (a = 0; a < npaths; a++)
		printf("# path %-60s %lu\n", paths[a].key, paths[a].n);
	printf("# undocumented errnos: %lu; %.1f s\n", undocumented, secs);
	printf("vb_fuzz: calls=%lu distinct_paths=%u violations=%lu\n", ncalls,
	       npaths, violations);
	printf("vb_fuzz: %lu passed, %lu failed\n", passed, violations);
	return violations ? 1 : 0;
}
