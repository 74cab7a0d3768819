// SPDX-License-Identifier: GPL-2.0
/*
 * The user backend's operand buffer: see userpage.h.  The page size is set
 * up with mmap/madvise and verified in /proc/self/smaps (KernelPageSize,
 * AnonHugePages of its VMA) and, where the kernel gives PFNs (root),
 * /proc/self/pagemap; userengine.c checks it again after the samples, since
 * THP can be split or collapsed meanwhile.
 */
#define _GNU_SOURCE	/* MAP_HUGETLB, madvise */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vmptrst_bench_abi.h"
#include "userpage.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << MAP_HUGE_SHIFT)
#endif

#define SZ_4K		vb_page_bytes(VB_PAGE_4K)
#define SZ_2M		vb_page_bytes(VB_PAGE_2M)
#define SZ_1G		vb_page_bytes(VB_PAGE_1G)
#define KIB_4K		vb_page_kib(VB_PAGE_4K)
#define KIB_2M		vb_page_kib(VB_PAGE_2M)

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
static uint64_t pagemap_entry(unsigned long addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t e = 0;

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
	uint64_t e = pagemap_entry(addr), h;

	if (!e)
		return true;	/* no pagemap: smaps is the evidence */
	if (!(e & PM_PRESENT))
		return false;
	if (!(e & PM_PFN) || kib == KIB_4K)
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
static uint32_t page_kib_of(const void *p)
{
	unsigned long addr = (unsigned long)p, kib = 0;
	struct smaps_vma v;

	if (smaps_find(addr, &v))
		return 0;
	if (v.kernel_kib > KIB_4K)
		kib = v.kernel_kib;
	else if (v.thp_kib && v.thp_kib * 1024 == v.end - v.start)
		kib = KIB_2M;
	else if (!v.thp_kib)
		kib = KIB_4K;
	if (kib && !pagemap_agrees(addr, kib))
		kib = 0;
	return (uint32_t)kib;
}

uint32_t vb_user_span_kib(const uint8_t *op)
{
	uint32_t a = page_kib_of(op), b = page_kib_of(op + 7);

	return a == b ? a : 0;
}

void vb_user_buf_free(struct vb_user_buf *b)
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
	uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *a;

	if (m == MAP_FAILED)
		return -ENOMEM;
	a = (uint8_t *)(((unsigned long)m + SZ_2M - 1) & ~(SZ_2M - 1));
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

int vb_user_buf_setup(struct vb_user_buf *b, uint32_t page, uint32_t offset,
		      uint32_t *kib)
{
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
	*kib = vb_user_span_kib(b->base + offset);
	if (page == VB_PAGE_2M && *kib != KIB_2M) {
		/* THP refused: a reserved hugetlbfs page, if there is one */
		struct vb_user_buf h;

		if (!map_hugetlb(&h, VB_SPAN_LARGE, MAP_HUGE_2MB)) {
			buf_touch(&h, span);
			if (vb_user_span_kib(h.base + offset) == KIB_2M) {
				vb_user_buf_free(b);
				*b = h;
				*kib = KIB_2M;
			} else {
				vb_user_buf_free(&h);
			}
		}
	}
	return *kib == vb_page_kib(page) ? 0 : VB_SKIP_PAGE_SIZE;
}
