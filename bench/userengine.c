// SPDX-License-Identifier: GPL-2.0
/*
 * The user backend's RUN: see userengine.h.  This is the ring-3 environment
 * of the timing engine, as kmod/vb_window.c is its kernel one: the hooks and
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
 *     the kernel gives PFNs (root), /proc/self/pagemap (userpage.c); checked
 *     again after the samples, since THP can be split or collapsed meanwhile.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "usermachine.h"
#include "userpage.h"
#include "userengine.h"

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
	struct vb_point_desc point;	/* the RUN's */
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
	while (c->done < c->point.samples) {
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
		if (sig && c->done < c->point.samples) {
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

int vb_user_run_pinned(const struct vb_user_machine *m, struct vb_run *r)
{
	struct vb_ctx c = { 0 };
	struct vb_user_buf b;
	u8 *op;
	int ret;

	if (r->point.cache == VB_CACHE_FLUSHOPT &&
	    !vb_user_have_clflushopt(m)) {
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_NO_CLFLUSHOPT;
		return 0;
	}
	if (r->point.serialize == VB_SER_CPUID && !vb_user_have_rdtscp(m)) {
		/* the engine would execute RDTSCP and take #UD */
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_NO_RDTSCP;
		return 0;
	}
	ret = vb_user_buf_setup(&b, r->point.page, r->point.offset,
				&r->page_kib);
	if (ret > 0) {
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = (u32)ret;
		ret = 0;
	}
	if (ret || (r->result_flags & VB_RUN_SKIPPED))
		goto out_free;

	op = b.base + r->point.offset;
	c.point = r->point;
	c.operand = op;
	c.line[0] = (void *)((unsigned long)op & ~(VB_LINE - 1));
	c.line[1] = (void *)((unsigned long)(op + 7) & ~(VB_LINE - 1));
	c.nlines = c.line[0] == c.line[1] ? 1 : 2;
	c.expected = r->point.vmcs == VB_VMCS_LOADED ?
		     (u64)(uintptr_t)vb_user_vmcs_standin : ~0ULL;
	c.rec = (struct vb_sample *)(uintptr_t)r->buf;
	take_windows(&c, r);

	r->expected = c.expected;
	r->windows = c.windows;
	if (vb_user_span_kib(op) != r->page_kib) {
		/* the page changed under the samples: measured on no one size */
		r->page_kib = vb_user_span_kib(op);
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = VB_SKIP_PAGE_SIZE;
		goto out_free;
	}
	r->records = VB_RECORDS_NEEDED(r->point.instruction, c.done);
	r->mismatches = c.mismatches;
out_free:
	no_events(r, r->records);
	vb_user_buf_free(&b);
	return ret;
}
