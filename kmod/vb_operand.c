// SPDX-License-Identifier: GPL-2.0
/*
 * Where the operand lives: a buffer mapped with the page size and memory
 * type a point asks for, checked in the page tables, and put back as it was.
 *
 *   page 4k, memtype wb      vmalloc(): 4 KiB PTEs
 *   page 4k, memtype wc/uc-  two direct-map pages, set_memory_wc/uc() (which
 *                            splits the direct map down to 4 KiB there),
 *                            one pair per memory type, kept from its first
 *                            use until the module is unloaded: fresh pages
 *                            at every point would split the direct map anew
 *                            every time, for good
 *   page 2m                  vmalloc_huge(): 2 MiB PMD mappings
 *   page 1g                  four contiguous MiB of the direct map, usable
 *                            where the kernel maps that memory with 1 GiB pages
 *
 * What cannot be had is a skip with a reason, never a measurement on the
 * wrong setup: WT (no setter is exported to modules), WC without PAT, any
 * memory type other than WB on a large page (changing it splits the page),
 * a page size the page tables do not show, CLFLUSHOPT on a CPU without it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/memtype.h>
#include <asm/set_memory.h>
#include "vb_internal.h"


/* KiB of the page that maps @addr in the kernel's page tables, 0 if none. */
static u32 vb_mapped_kib(const void *addr)
{
	unsigned int level;

	if (!lookup_address((unsigned long)addr, &level))
		return 0;
	switch (level) {
	case PG_LEVEL_4K:
		return vb_page_kib(VB_PAGE_4K);
	case PG_LEVEL_2M:
		return vb_page_kib(VB_PAGE_2M);
	case PG_LEVEL_1G:
		return vb_page_kib(VB_PAGE_1G);
	default:
		return 0;
	}
}

/* Positive VB_SKIP_* if this kernel and CPU cannot give the point's setup. */
static int vb_operand_unavailable(const struct vb_point_desc *p)
{
	if (p->memtype == VB_MEM_WT ||
	    (p->memtype == VB_MEM_WC && !pat_enabled()) ||
	    (p->memtype != VB_MEM_WB && p->page != VB_PAGE_4K))
		return VB_SKIP_MEMTYPE;
	if (p->cache == VB_CACHE_FLUSHOPT &&
	    !boot_cpu_has(X86_FEATURE_CLFLUSHOPT))
		return VB_SKIP_NO_CLFLUSHOPT;
	return 0;
}

/*
 * The kept WC and UC- pages (vb_mt_get), one pair per memory type, on the
 * node of the first CPU that asked.  Under the RUN lock (vb_main.c).
 */
static struct page *vb_mt_pages[VB_MEM_COUNT];

static int vb_set_memtype(unsigned long addr, u32 memtype)
{
	return memtype == VB_MEM_WC ? set_memory_wc(addr, VB_SPAN_4K / PAGE_SIZE) :
				      set_memory_uc(addr, VB_SPAN_4K / PAGE_SIZE);
}

/* The pages of @memtype, allocated and given the type on first use. */
static int vb_mt_get(struct vb_operand *o, u32 memtype, int node)
{
	struct page *pages = vb_mt_pages[memtype];
	int err;

	if (!pages) {
		pages = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO,
					 get_order(VB_SPAN_4K));
		if (!pages)
			return -ENOMEM;
		err = vb_set_memtype((unsigned long)page_address(pages),
				     memtype);
		if (err) {
			pr_info_ratelimited("set_memory_%s failed (%d)\n",
					    memtype == VB_MEM_WC ? "wc" : "uc",
					    err);
			/* cpa may have changed part of the range */
			if (!set_memory_wb((unsigned long)page_address(pages),
					   VB_SPAN_4K / PAGE_SIZE))
				__free_pages(pages, get_order(VB_SPAN_4K));
			return VB_SKIP_MEMTYPE;
		}
		vb_mt_pages[memtype] = pages;
	}
	o->base = page_address(pages);
	if (vb_injected(VB_FAULT_MEMTYPE_ALLOC))
		return -ENOMEM;	/* after the memory type was set */
	return 0;
}

/*
 * At unload: back to WB, then free.  If WB cannot be restored the pages
 * are leaked on purpose: handing UC or WC pages back to the page allocator
 * would be worse.
 */
void vb_operand_exit(void)
{
	u32 t;

	for (t = 0; t < VB_MEM_COUNT; t++) {
		struct page *pages = vb_mt_pages[t];

		if (!pages)
			continue;
		vb_mt_pages[t] = NULL;
		if (set_memory_wb((unsigned long)page_address(pages),
				  VB_SPAN_4K / PAGE_SIZE)) {
			pr_err("could not restore WB on %u pages; leaking them\n",
			       VB_SPAN_4K / (u32)PAGE_SIZE);
			continue;
		}
		__free_pages(pages, get_order(VB_SPAN_4K));
	}
}

static int vb_operand_alloc(struct vb_operand *o,
			    const struct vb_point_desc *p)
{
	int node = cpu_to_node(p->cpu);

	switch (p->page) {
	case VB_PAGE_4K:
		if (p->memtype != VB_MEM_WB)
			return vb_mt_get(o, p->memtype, node);
		o->base = vmalloc_node(VB_SPAN_4K, node);
		break;
	case VB_PAGE_2M:
		o->base = vmalloc_huge(VB_SPAN_LARGE, GFP_KERNEL);
		break;
	default:
		o->order = get_order(VB_SPAN_LARGE);
		o->pages = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO |
					    __GFP_NOWARN, o->order);
		o->base = o->pages ? page_address(o->pages) : NULL;
		break;
	}
	return o->base ? 0 : -ENOMEM;
}

/*
 * Set up the operand for @c's point: 0 with c->operand and the lines,
 * pages and PTEs it touches filled in; -ENOMEM; or a positive VB_SKIP_*
 * reason, with *page_kib saying what the page tables showed.  Whatever it
 * returns, vb_operand_free() undoes it.
 */
int vb_operand_setup(struct vb_operand *o, struct vb_ctx *c, u32 *page_kib)
{
	const struct vb_point_desc *p = &c->point;
	u64 pg = vb_page_bytes(p->page);
	u8 *op, *last;
	int ret;

	memset(o, 0, sizeof(*o));
	ret = vb_operand_unavailable(p);
	if (!ret)
		ret = vb_operand_alloc(o, p);
	if (ret)
		return ret;

	op = (u8 *)o->base + p->offset;
	last = op + vb_operand_bytes(p->instruction) - 1;
	*page_kib = vb_mapped_kib(op);
	if (*page_kib != vb_page_kib(p->page) ||
	    vb_mapped_kib(last) != vb_page_kib(p->page))
		return VB_SKIP_PAGE_SIZE;

	c->operand = op;
	c->line[0] = PTR_ALIGN_DOWN(op, VB_LINE);
	c->line[1] = PTR_ALIGN_DOWN(last, VB_LINE);
	c->nlines = c->line[0] == c->line[1] ? 1 : 2;
	c->pg[0] = PTR_ALIGN_DOWN(op, pg);
	c->pg[1] = PTR_ALIGN_DOWN(last, pg);
	c->npages = c->pg[0] == c->pg[1] ? 1 : 2;
	if (p->page == VB_PAGE_4K) {
		unsigned int level, i;

		for (i = 0; i < c->npages; i++)
			c->pte[i] = lookup_address((unsigned long)c->pg[i],
						   &level);
	}
	return 0;
}

/* Free what vb_operand_setup() allocated (the kept pages stay). */
void vb_operand_free(struct vb_operand *o)
{
	if (o->pages)
		__free_pages(o->pages, o->order);
	else if (is_vmalloc_addr(o->base))
		vfree(o->base);
	/* else nothing, or a kept WC/UC- pair: vb_operand_exit() frees it */
}
