/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user backend's operand buffer (userpage.c): mapped at the page size a
 * RUN asks for (mmap/madvise, THP or hugetlbfs), and the page size checked
 * in /proc/self/smaps and, where the kernel gives PFNs, /proc/self/pagemap.
 */
#ifndef VB_USERPAGE_H
#define VB_USERPAGE_H

#include <stddef.h>
#include <stdint.h>

struct vb_user_buf {
	void *map;	/* what to munmap */
	size_t len;
	uint8_t *base;	/* the VB_SPAN(page) bytes the offset counts from */
};

/*
 * The operand's buffer for @page, mapped and verified: 0 with *kib the
 * page size found (the one asked for); VB_SKIP_PAGE_SIZE with *kib what
 * was found instead; -ENOMEM.  vb_user_buf_free() undoes it either way.
 */
int vb_user_buf_setup(struct vb_user_buf *b, uint32_t page, uint32_t offset,
		      uint32_t *kib);
void vb_user_buf_free(struct vb_user_buf *b);

/* The operand's two ends agree on one page size: that size, else 0. */
uint32_t vb_user_span_kib(const uint8_t *op);

#endif /* VB_USERPAGE_H */
