// SPDX-License-Identifier: GPL-2.0
/*
 * The user backend: see userdev.h.  This is the ring-3 environment of the
 * timing engine, as kmod/vb_window.c is its kernel one: the hooks and
 * struct vb_ctx below, then kmod/vb_engine.h itself (no copy of its code).
 *
 * What differs from the module, and why:
 *   - interrupts, preemption and migration stay possible: the thread is
 *     pinned (sched_setaffinity) and SIGINT/SIGTERM are held back during a
 *     window, nothing more.  A window is at most VB_WINDOW_US by the
 *     TSC or VB_WINDOW_MAX_SAMPLES samples, like the module's, and is
 *     counted (vb_run.windows, max_window_tsc), but it is not IRQ-off;
 *   - no counters: every event asked for is reported not created
 *     (event_err -EOPNOTSUPP, kind VB_EVENT_NONE, values 0);
 *   - no VMCS: `mov` stores vb_run.expected, which is all ones for
 *     vmcs=none and, for vmcs=loaded, the address of a page-aligned
 *     stand-in region, so the control store writes the same kind of value;
 *   - the operand's page size is set up with mmap/madvise and verified in
 *     /proc/self/smaps (KernelPageSize, AnonHugePages of its VMA) and, where
 *     the kernel gives PFNs (root), /proc/self/pagemap; checked again after
 *     the samples, since THP can be split or collapsed meanwhile.
 */
#define _GNU_SOURCE	/* sched_setaffinity, CPU_SET, MAP_HUGETLB, madvise */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "userdev.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

#define SZ_4K		4096UL
#define SZ_2M		(2UL << 20)
#define SZ_1G		(1UL << 30)
#define VB_USER_FD	0x5642		/* a token for vb_dev_open(), not an fd */

/* ---- the engine's environment at ring 3 -------------------------------- */

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define noinline	__attribute__((noinline))
#define asm		__asm__		/* -std=c11 has no plain `asm` */

static unsigned int vb_user_bugs;

/* "Cannot happen" (an unroll count the engine has no block for). */
static void vb_user_bug(const char *file, int line)
{
	if (!vb_user_bugs++)
		fprintf(stderr, "userdev: internal error at %s:%d\n", file,
			line);
}

#define VB_ENV_BUG()	vb_user_bug(__FILE__, __LINE__)

/* One RUN in progress: the fields vb_engine.h uses. */
struct vb_ctx {
	u32 instruction, unroll, samples, serialize, cache;
	void *operand;		/* may be unaligned: offset inside the buffer */
	void *line[2];		/* the cache lines the operand touches */
	unsigned int nlines;
	u64 expected;		/* what `mov` stores */
	struct vb_sample *rec;	/* the caller's buffer */
	u32 done;		/* samples taken */
	u32 mismatches;
	u32 windows;
};

struct vb_env_rec {
	u32 unused;	/* nothing to remember per record at ring 3 */
};

static __always_inline u64 vb_env_load64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __always_inline void vb_env_store64(void *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

static __always_inline u64 vb_env_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

/* No counters at ring 3 (the RUN reports every event as not created). */
static __always_inline void vb_env_pmc_read(struct vb_ctx *c, u64 *v)
{
	(void)c;
	(void)v;
}

/* A/D bits and INVLPG need ring 0: RUN refuses ad=clear and tlb=cold. */
static __always_inline void vb_env_prepare_paging(struct vb_ctx *c)
{
	(void)c;
}

static __always_inline void vb_env_record_begin(struct vb_ctx *c,
						struct vb_env_rec *s)
{
	(void)c;
	s->unused = 0;
}

struct vb_reading;	/* vb_engine.h */

static __always_inline void vb_env_record_end(struct vb_ctx *c,
					      struct vb_sample *r, u32 index,
					      const struct vb_reading *rd,
					      struct vb_env_rec *s)
{
	(void)c;
	(void)r;
	(void)index;
	(void)rd;
	(void)s;
}

#include "vb_engine.h"

/* ---- the machine ------------------------------------------------------- */

static void real_cpuid(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

static const struct vb_user_machine real_machine = { .cpuid = real_cpuid };

/*
 * Bit @bit of register @reg (0 EAX .. 3 EDX) of CPUID leaf @leaf, subleaf 0;
 * false when the leaf is beyond the highest one of its range.
 */
static bool cpuid_bit(const struct vb_user_machine *m, unsigned int leaf,
		      int reg, int bit)
{
	unsigned int r[4];

	m->cpuid(leaf & 0x80000000u, 0, r);
	if (r[0] < leaf)
		return false;
	m->cpuid(leaf, 0, r);
	return r[reg] & (1u << bit);
}

/* CPUID.(EAX=7,ECX=0):EBX[23] */
static bool have_clflushopt(const struct vb_user_machine *m)
{
	return cpuid_bit(m, 7, 1, 23);
}

/* CPUID.80000001H:EDX[27] */
static bool have_rdtscp(const struct vb_user_machine *m)
{
	return cpuid_bit(m, 0x80000001u, 3, 27);
}

static u64 clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* RDTSC kept in program order with the clock reads around it. */
static u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	asm volatile("lfence\n\trdtsc\n\tlfence"
		     : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

/* The TSC against CLOCK_MONOTONIC_RAW over ~20 ms, kHz. */
static unsigned int measure_tsc_khz(void)
{
	u64 t0, t1, n0, n1, a, b;

	clock_ns();	/* the first call may fault the vDSO in */
	a = rdtsc_ordered();
	n0 = clock_ns();
	b = rdtsc_ordered();
	t0 = a + (b - a) / 2;
	do {
		a = rdtsc_ordered();
		n1 = clock_ns();
		b = rdtsc_ordered();
	} while (n1 - n0 < 20000000ULL);
	t1 = a + (b - a) / 2;
	return (unsigned int)(((t1 - t0) * 1000000ULL + (n1 - n0) / 2) /
			      (n1 - n0));
}

/*
 * CPUID.15H (TSC/crystal ratio and crystal frequency, Intel, where all
 * three are reported), else measured.
 */
unsigned int vb_user_tsc_khz(void)
{
	static unsigned int khz;

	if (khz)
		return khz;
	if (__get_cpuid_max(0, NULL) >= 0x15) {
		unsigned int a, b, c, d;

		__cpuid(0x15, a, b, c, d);
		(void)d;
		if (a && b && c)
			khz = (unsigned int)((u64)c * b / a / 1000);
	}
	if (!khz)
		khz = measure_tsc_khz();
	return khz;
}

/* Is @cpu in /sys/devices/system/cpu/online ("0-3,5")? */
static bool cpu_online(u32 cpu)
{
	char buf[1024], *p, *end;
	bool found = false;
	FILE *f;

	if (cpu >= CPU_SETSIZE)
		return false;
	f = fopen("/sys/devices/system/cpu/online", "re");
	if (!f)
		return cpu < (u32)sysconf(_SC_NPROCESSORS_ONLN);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (p = buf; *p && *p != '\n' && !found; p = end) {
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			break;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		found = cpu >= lo && cpu <= hi;
		if (*end == ',')
			end++;
	}
	return found;
}

/* ---- INFO -------------------------------------------------------------- */

int vb_user_info(struct vb_info *info)
{
	u32 cpu;
	long n;

	if (info->size != sizeof(*info))	/* any abi_version, as INFO */
		return -EINVAL;
	cpu = info->cpu;
	if (!cpu_online(cpu))
		return -ENXIO;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_version = VB_ABI_VERSION;
	info->cpu = cpu;
	snprintf(info->module_version, sizeof(info->module_version), "%s",
		 VB_USER_MODULE_VERSION);
	info->flags = 0;	/* no VMX used, whatever the CPU has */
	info->tsc_khz = vb_user_tsc_khz();
	n = sysconf(_SC_NPROCESSORS_ONLN);
	info->online_cpus = n > 0 ? (u32)n : 0;
	info->max_samples = VB_MAX_SAMPLES;
	return 0;
}

/* ---- the operand's buffer ---------------------------------------------- */

struct vb_user_buf {
	void *map;	/* what to munmap */
	size_t len;
	u8 *base;	/* the VB_SPAN(page) bytes the offset counts from */
};

struct smaps_vma {
	unsigned long start, end;
	unsigned long kernel_kib, thp_kib;	/* KernelPageSize, AnonHugePages */
};

/* The VMA of /proc/self/smaps holding @addr: 0, or -1 if not found. */
static int smaps_find(unsigned long addr, struct smaps_vma *v)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512], perm[8];
	bool in = false, found = false;
	unsigned long s, e, kib;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) == 3) {
			if (found)
				break;		/* the next VMA: done */
			in = addr >= s && addr < e;
			if (in) {
				found = true;
				memset(v, 0, sizeof(*v));
				v->start = s;
				v->end = e;
			}
		} else if (in && sscanf(line, "KernelPageSize: %lu kB",
					&kib) == 1) {
			v->kernel_kib = kib;
		} else if (in && sscanf(line, "AnonHugePages: %lu kB",
					&kib) == 1) {
			v->thp_kib = kib;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

/*
 * /proc/self/pagemap entry of @addr's 4 KiB page: bit 63 present, bits
 * 54:0 the PFN (0 unless the caller has CAP_SYS_ADMIN).  0 if unreadable.
 */
static u64 pagemap_entry(unsigned long addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	u64 e = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (off_t)(addr / SZ_4K * sizeof(e))) !=
	    (ssize_t)sizeof(e))
		e = 0;
	close(fd);
	return e;
}

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN		((1ULL << 55) - 1)

/*
 * The pagemap's word on @addr mapped by a page of @kib: present, and where
 * PFNs are given, the PFN of @addr is the one @kib's alignment implies.
 */
static bool pagemap_agrees(unsigned long addr, unsigned long kib)
{
	unsigned long bytes = kib * 1024, head = addr & ~(bytes - 1);
	u64 e = pagemap_entry(addr), h;

	if (!e)
		return true;	/* no pagemap: smaps is the evidence */
	if (!(e & PM_PRESENT))
		return false;
	if (!(e & PM_PFN) || kib == 4)
		return true;	/* no PFNs without privilege */
	h = pagemap_entry(head);
	if (!(h & PM_PRESENT) || (h & PM_PFN) % (bytes / SZ_4K))
		return false;
	return (e & PM_PFN) - (h & PM_PFN) == (addr - head) / SZ_4K;
}

/*
 * KiB of the page that maps @addr, from smaps: KernelPageSize for
 * hugetlbfs; for anonymous memory 2048 only if the whole VMA is THP
 * (AnonHugePages cannot say which part is), 4 if none of it is; 0 if it
 * cannot be told or pagemap disagrees.
 */
static u32 page_kib_of(const void *p)
{
	unsigned long addr = (unsigned long)p, kib = 0;
	struct smaps_vma v;

	if (smaps_find(addr, &v))
		return 0;
	if (v.kernel_kib > 4)
		kib = v.kernel_kib;
	else if (v.thp_kib && v.thp_kib * 1024 == v.end - v.start)
		kib = 2048;
	else if (!v.thp_kib)
		kib = 4;
	if (kib && !pagemap_agrees(addr, kib))
		kib = 0;
	return (u32)kib;
}

/* The operand's two ends agree on one page size: that size, else 0. */
static u32 span_kib(const u8 *op)
{
	u32 a = page_kib_of(op), b = page_kib_of(op + 7);

	return a == b ? a : 0;
}

static void buf_free(struct vb_user_buf *b)
{
	if (b->map)
		munmap(b->map, b->len);
	memset(b, 0, sizeof(*b));
}

static int map_4k(struct vb_user_buf *b)
{
	b->len = VB_SPAN_4K;
	b->map = mmap(NULL, b->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -ENOMEM;
	}
	madvise(b->map, b->len, MADV_NOHUGEPAGE);
	b->base = b->map;
	return 0;
}

/* 4 MiB, 2 MiB-aligned, MADV_HUGEPAGE, touched after the advice. */
static int map_thp(struct vb_user_buf *b)
{
	size_t len = VB_SPAN_LARGE + SZ_2M;
	u8 *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u8 *a;

	if (m == MAP_FAILED)
		return -ENOMEM;
	a = (u8 *)(((unsigned long)m + SZ_2M - 1) & ~(SZ_2M - 1));
	if (a > m)
		munmap(m, (size_t)(a - m));
	if (a + VB_SPAN_LARGE < m + len)
		munmap(a + VB_SPAN_LARGE, (size_t)(m + len - a - VB_SPAN_LARGE));
	b->map = a;
	b->len = VB_SPAN_LARGE;
	b->base = a;
	madvise(a, VB_SPAN_LARGE, MADV_HUGEPAGE);
	return 0;
}

/* hugetlbfs pages of @flag (MAP_HUGE_2MB, MAP_HUGE_1GB) for @len bytes. */
static int map_hugetlb(struct vb_user_buf *b, size_t len, int flag)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       MAP_ANONYMOUS | MAP_HUGETLB | flag, -1, 0);

	if (m == MAP_FAILED)
		return -ENOMEM;
	b->map = m;
	b->len = len;
	b->base = m;
	return 0;
}

/* Fault the span in (after any advice) and keep it resident if allowed. */
static void buf_touch(struct vb_user_buf *b, size_t span)
{
	size_t off;

	for (off = 0; off < span; off += SZ_4K)
		b->base[off] = 0;
	mlock(b->base, span);	/* best effort: RLIMIT_MEMLOCK may say no */
}

/*
 * The operand's buffer for @page, mapped and verified: 0 with *kib the
 * page size found (the one asked for); VB_SKIP_PAGE_SIZE with *kib what
 * was found instead; -ENOMEM.  buf_free() undoes it either way.
 */
static int buf_setup(struct vb_user_buf *b, u32 page, u32 offset, u32 *kib)
{
	static const u32 want_kib[VB_PAGE_COUNT] = { 4, 2048, 1024 * 1024 };
	size_t span = VB_SPAN(page);
	int err;

	memset(b, 0, sizeof(*b));
	if (page == VB_PAGE_4K)
		err = map_4k(b);
	else if (page == VB_PAGE_1G &&
		 !map_hugetlb(b, SZ_1G, MAP_HUGE_1GB))
		err = 0;
	else
		err = map_thp(b);
	if (err)
		return err;
	buf_touch(b, span);
	*kib = span_kib(b->base + offset);
	if (page == VB_PAGE_2M && *kib != 2048) {
		/* THP refused: a reserved hugetlbfs page, if there is one */
		struct vb_user_buf h;

		if (!map_hugetlb(&h, VB_SPAN_LARGE, MAP_HUGE_2MB)) {
			buf_touch(&h, span);
			if (span_kib(h.base + offset) == 2048) {
				buf_free(b);
				*b = h;
				*kib = 2048;
			} else {
				buf_free(&h);
			}
		}
	}
	return *kib == want_kib[page] ? 0 : VB_SKIP_PAGE_SIZE;
}

/* ---- RUN --------------------------------------------------------------- */

static bool power_of_2(u32 x)
{
	return x && !(x & (x - 1));
}

/* The module's range checks (vb_check_run in kmod/vb_main.c): -EINVAL. */
static int check_run(const struct vb_run *r)
{
	if (r->size != sizeof(*r) || r->abi_version != VB_ABI_VERSION ||
	    r->instruction >= VB_INSN_COUNT ||
	    !power_of_2(r->unroll) || r->unroll > VB_MAX_UNROLL ||
	    r->samples == 0 || r->samples > VB_MAX_SAMPLES ||
	    r->vmcs >= VB_VMCS_COUNT || r->serialize >= VB_SER_COUNT ||
	    r->cache >= VB_CACHE_COUNT || r->memtype >= VB_MEM_COUNT ||
	    r->page >= VB_PAGE_COUNT || r->tlb >= VB_TLB_COUNT ||
	    r->ad >= VB_AD_COUNT || r->offset > VB_MAX_OFFSET(r->page) ||
	    r->flags || r->wait_vmx_ms > VB_MAX_WAIT_VMX_MS)
		return -EINVAL;
	if (r->unroll != 1 && (r->cache != VB_CACHE_HOT ||
			       r->tlb != VB_TLB_WARM || r->ad != VB_AD_SET))
		return -EINVAL;
	if (r->ad == VB_AD_CLEAR && r->page != VB_PAGE_4K)
		return -EINVAL;
	if (r->nevents > VB_MAX_EVENTS || r->reserved2 ||
	    (r->nevents && !r->pmc_buf))
		return -EINVAL;
	if (r->win_len > VB_MAX_SAMPLES || (r->win_len && !r->win_buf))
		return -EINVAL;
	if (!r->buf || r->buf_len < VB_RECORDS_NEEDED(r->instruction,
							r->samples))
		return -EINVAL;
	return 0;
}

const char *vb_user_refusal(const struct vb_run *r)
{
	if (r->instruction == VB_INSN_VMPTRST)
		return "instruction vmptrst: the user backend runs at ring 3, where VMPTRST raises #UD outside VMX operation and #GP(0) in VMX root operation (SDM, VMPTRST, Operation): never a measurement; measure it with the module, or use mov, none, add, imul or chase";
	if (r->memtype != VB_MEM_WB)
		return "memtype other than wb: setting a page's memory type needs ring 0 (the module)";
	if (r->tlb == VB_TLB_COLD)
		return "tlb cold: INVLPG needs ring 0 (the module)";
	if (r->ad == VB_AD_CLEAR)
		return "ad clear: clearing PTE accessed/dirty bits needs ring 0 (the module)";
	return NULL;
}

/* What the RUN writes, reset as the module resets it. */
static void reset_out(struct vb_run *r)
{
	r->records = 0;
	r->expected = 0;
	r->poison = VB_POISON;
	r->mismatches = 0;
	r->windows = 0;
	r->max_window_tsc = 0;
	r->result_flags = 0;
	r->page_kib = 0;
	r->skip_reason = VB_SKIP_NONE;
	r->vmx_wait_ms = 0;	/* no VMX here: nothing to wait for */
	memset(r->event_err, 0, sizeof(r->event_err));
	memset(r->event_kind, 0, sizeof(r->event_kind));
	memset(r->event_total, 0, sizeof(r->event_total));
	r->win_written = 0;
}

/* Pin the calling thread to @cpu, keeping its mask in @old: 0 or -ENXIO. */
static int pin(u32 cpu, cpu_set_t *old)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(*old), old))
		return -ENXIO;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    sched_getcpu() != (int)cpu) {
		sched_setaffinity(0, sizeof(*old), old);
		return -ENXIO;
	}
	return 0;
}

/*
 * Windows until the run is complete, or SIGINT/SIGTERM arrived: held back
 * during a window and let in after it, so that a signal stops the run at
 * the end of a window with what it measured, as the module does.
 */
static void take_windows(struct vb_ctx *c, struct vb_run *r)
{
	u64 budget = (u64)vb_user_tsc_khz() * VB_WINDOW_US / 1000;
	sigset_t stop, old, pending;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	while (c->done < c->samples) {
		u64 t0, t1;
		bool sig;

		pthread_sigmask(SIG_BLOCK, &stop, &old);
		t0 = vb_env_rdtsc();
		vb_engine_take_samples(c, t0 + budget);
		t1 = vb_env_rdtsc();
		c->windows++;
		if (t1 - t0 > r->max_window_tsc)
			r->max_window_tsc = t1 - t0;
		sig = !sigpending(&pending) && (sigismember(&pending, SIGINT) ||
						sigismember(&pending, SIGTERM));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (sig && c->done < c->samples) {
			r->result_flags |= VB_RUN_INTERRUPTED;
			break;
		}
	}
}

/* Stand-in for the VMCS region: `mov` stores its address (vmcs=loaded). */
static _Alignas(4096) u8 vb_user_vmcs_standin[4096];

/* The counters asked for: none can be created at ring 3. */
static void no_events(struct vb_run *r, u32 records)
{
	u64 *pmc = (u64 *)(uintptr_t)r->pmc_buf;
	u32 i;

	for (i = 0; i < r->nevents; i++) {
		r->event_err[i] = -EOPNOTSUPP;
		r->event_kind[i] = VB_EVENT_NONE;
	}
	if (r->nevents)
		memset(pmc, 0, (size_t)records * r->nevents * sizeof(*pmc));
}

static int run_pinned(const struct vb_user_machine *m, struct vb_run *r)
{
	struct vb_ctx c = { 0 };
	struct vb_user_buf b;
	u8 *op;
	int ret;

	if (r->cache == VB_CACHE_FLUSHOPT && !have_clflushopt(m)) {
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_NO_CLFLUSHOPT;
		return 0;
	}
	if (r->serialize == VB_SER_CPUID && !have_rdtscp(m)) {
		/* the engine would execute RDTSCP and take #UD */
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_NO_RDTSCP;
		return 0;
	}
	ret = buf_setup(&b, r->page, r->offset, &r->page_kib);
	if (ret > 0) {
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = (u32)ret;
		ret = 0;
	}
	if (ret || (r->result_flags & VB_RUN_SKIPPED))
		goto out_free;

	op = b.base + r->offset;
	c.instruction = r->instruction;
	c.unroll = r->unroll;
	c.samples = r->samples;
	c.serialize = r->serialize;
	c.cache = r->cache;
	c.operand = op;
	c.line[0] = (void *)((unsigned long)op & ~(VB_LINE - 1));
	c.line[1] = (void *)((unsigned long)(op + 7) & ~(VB_LINE - 1));
	c.nlines = c.line[0] == c.line[1] ? 1 : 2;
	c.expected = r->vmcs == VB_VMCS_LOADED ?
		     (u64)(uintptr_t)vb_user_vmcs_standin : ~0ULL;
	c.rec = (struct vb_sample *)(uintptr_t)r->buf;
	take_windows(&c, r);

	r->expected = c.expected;
	r->windows = c.windows;
	if (span_kib(op) != r->page_kib) {
		/* the page changed under the samples: measured on no one size */
		r->page_kib = span_kib(op);
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_PAGE_SIZE;
		goto out_free;
	}
	r->records = VB_RECORDS_NEEDED(r->instruction, c.done);
	r->mismatches = c.mismatches;
out_free:
	no_events(r, r->records);
	buf_free(&b);
	return ret;
}

int vb_user_run(struct vb_run *r)
{
	return vb_user_run_on(NULL, r);
}

int vb_user_run_on(const struct vb_user_machine *m, struct vb_run *r)
{
	cpu_set_t old;
	int ret;

	ret = check_run(r);
	if (ret)
		return ret;
	if (!cpu_online(r->cpu))
		return -ENXIO;
	if (vb_user_refusal(r))
		return -EOPNOTSUPP;
	reset_out(r);
	ret = pin(r->cpu, &old);
	if (ret)
		return ret;
	ret = run_pinned(m && m->cpuid ? m : &real_machine, r);
	sched_setaffinity(0, sizeof(old), &old);
	return ret;
}

/* ---- the device operations --------------------------------------------- */

static int user_open(void *priv, const char *path)
{
	(void)priv;
	(void)path;
	return VB_USER_FD;
}

static int user_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	if (fd != VB_USER_FD)
		return -EBADF;
	switch (req) {
	case VB_IOC_INFO:
		return vb_user_info(arg);
	case VB_IOC_RUN:
		return vb_user_run_on(priv, arg);
	case VB_IOC_SELFTEST:	/* VMPTRST in the kernel: the module's */
	case VB_IOC_HOLD:
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
}

static void user_close(void *priv, int fd)
{
	(void)priv;
	(void)fd;
}

const struct vb_dev_ops vb_dev_user_ops = {
	.open = user_open,
	.ioctl = user_ioctl,
	.close = user_close,
};

const struct vb_dev_ops *vb_user_dev_ops(void)
{
	return &vb_dev_user_ops;
}
