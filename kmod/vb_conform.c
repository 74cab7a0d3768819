// SPDX-License-Identifier: GPL-2.0
/*
 * CONFORM: VMPTRST once on each branch of the reference page that CPL 0
 * can reach, on one CPU, in one IRQ-off window covered as a RUN's windows
 * are (vmptrst_bench_abi.h says what each branch is and what is
 * reported).  The module observes; the driver compares with the page.
 *
 * The destinations are in a two-page vmalloc buffer (4 KiB PTEs).  What a
 * destination held is read before and after through the kernel's direct
 * map, so a store that should not have happened is seen wherever the
 * virtual address would have landed had the CPU ignored the fault's cause
 * (a non-canonical address's sign-extended twin, a page whose PTE says
 * not present or read-only).  The #PF branches change one PTE of the
 * buffer inside the window, INVLPG, execute, and put the PTE back exactly
 * as it was (INVLPG) before the next branch: nobody else uses the buffer,
 * and a stale copy of the original PTE in another CPU's TLB is the
 * original.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/traps.h>
#include "vb_compat.h"
#include "vb_internal.h"

/* vb_conform_asm.S: each returns the vector raised, or -1 */
int vb_conf_vmptrst(void *dst, u64 *rflags);
int vb_conf_vmptrst_ss(void *dst, u64 *rflags);
int vb_conf_vmptrst_lock(void *dst, u64 *rflags);
int vb_conf_vmptrst_reg(u64 *rax, u64 *rflags);

#define VB_CPUID7_EBX_RDSEED	BIT(18)

/* Where in the buffer each memory branch writes (page 0 unless split). */
#define VB_CONF_SLOT(br)	(0x100 + 0x40 * (br))
#define VB_CONF_SPLIT		(PAGE_SIZE - 4)	/* 4 bytes in each page */

static void vb_invlpg(const void *addr)
{
	asm volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

/* The 8 bytes at @off of the buffer, through the direct map. */
static u64 vb_conf_peek(const struct vb_conf_ctx *k, unsigned long off)
{
	u8 b[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		b[i] = k->alias[(off + i) / PAGE_SIZE][(off + i) % PAGE_SIZE];
	return get_unaligned((u64 *)b);
}

/* The same 8 bytes set to the poison, through the direct map. */
static void vb_conf_poke(struct vb_conf_ctx *k, unsigned long off)
{
	u8 b[8];
	unsigned int i;

	put_unaligned(VB_POISON, (u64 *)b);
	for (i = 0; i < 8; i++)
		k->alias[(off + i) / PAGE_SIZE][(off + i) % PAGE_SIZE] = b[i];
}

static struct vb_conf_row *vb_conf_row(struct vb_conf_ctx *k, u32 br)
{
	struct vb_conf_row *r = &k->out->row[br];

	r->flags |= VB_CONF_RAN;
	r->skip = VB_CONF_SKIP_NONE;
	return r;
}

/*
 * One execution of @fn at buffer offset @off, or through @addr if it is
 * not 0 (the non-canonical twin); PTE @pg of the buffer given the value @pte
 * for the execution when @pte is not 0.
 */
static void vb_conf_mem(struct vb_conf_ctx *k, u32 br,
			int (*fn)(void *dst, u64 *rflags), unsigned long off,
			unsigned long addr, unsigned int pg, pteval_t pte)
{
	struct vb_conf_row *r = vb_conf_row(k, br);
	void *dst = addr ? (void *)addr : k->buf + off;
	pte_t saved = pte ? *k->pte[pg] : __pte(0);

	vb_conf_poke(k, off);
	r->before = vb_conf_peek(k, off);
	r->address = (unsigned long)dst;
	r->expected = k->vc.expected;
	if (pte) {
		set_pte(k->pte[pg], __pte(pte));
		vb_invlpg(k->buf + pg * PAGE_SIZE);
	}
	native_write_cr2(0);
	r->vector = fn(dst, &r->rflags);
	if (r->vector == X86_TRAP_PF)
		r->cr2 = native_read_cr2();
	if (pte) {
		set_pte(k->pte[pg], saved);
		vb_invlpg(k->buf + pg * PAGE_SIZE);
	}
	r->after = vb_conf_peek(k, off);
	if (r->vector >= 0)
		r->rflags = 0;
}

/* Not in VMX operation (before VMXON): #UD. */
static void vb_conf_outside(struct vb_conf_ctx *k)
{
	vb_conf_mem(k, VB_BR_OUTSIDE_VMX, vb_conf_vmptrst,
		    VB_CONF_SLOT(VB_BR_OUTSIDE_VMX), 0, 0, 0);
}

/* VMX root, the window's VMCS current: every branch but the last. */
void vb_conf_root(struct vb_conf_ctx *k)
{
	struct vb_conf_row *r;
	pteval_t p0, p1;
	u64 rax = VB_POISON;

	vb_conf_mem(k, VB_BR_STORE, vb_conf_vmptrst,
		    VB_CONF_SLOT(VB_BR_STORE), 0, 0, 0);
	vb_conf_mem(k, VB_BR_LOCK, vb_conf_vmptrst_lock,
		    VB_CONF_SLOT(VB_BR_LOCK), 0, 0, 0);

	r = vb_conf_row(k, VB_BR_REGISTER);
	r->before = rax;
	r->vector = vb_conf_vmptrst_reg(&rax, &r->rflags);
	r->after = rax;
	if (r->vector >= 0)
		r->rflags = 0;

	/* bit 63 of a kernel address flipped: non-canonical */
	vb_conf_mem(k, VB_BR_NONCANON_DS, vb_conf_vmptrst,
		    VB_CONF_SLOT(VB_BR_NONCANON_DS),
		    (unsigned long)(k->buf + VB_CONF_SLOT(VB_BR_NONCANON_DS)) ^
		    BIT_ULL(63), 0, 0);
	vb_conf_mem(k, VB_BR_NONCANON_SS, vb_conf_vmptrst_ss,
		    VB_CONF_SLOT(VB_BR_NONCANON_SS),
		    (unsigned long)(k->buf + VB_CONF_SLOT(VB_BR_NONCANON_SS)) ^
		    BIT_ULL(63), 0, 0);

	if (k->skip_pf) {
		k->out->row[VB_BR_PF_NOT_PRESENT].skip = k->skip_pf;
		k->out->row[VB_BR_PF_READ_ONLY].skip = k->skip_pf;
		k->out->row[VB_BR_PF_SPLIT].skip = k->skip_pf;
		return;
	}
	p0 = pte_val(*k->pte[0]);
	p1 = pte_val(*k->pte[1]);
	vb_conf_mem(k, VB_BR_PF_NOT_PRESENT, vb_conf_vmptrst,
		    VB_CONF_SLOT(VB_BR_PF_NOT_PRESENT), 0, 0,
		    p0 & ~(pteval_t)_PAGE_PRESENT);
	if (native_read_cr0() & X86_CR0_WP) {
		k->out->row[VB_BR_PF_READ_ONLY].flags |= VB_CONF_WP;
		vb_conf_mem(k, VB_BR_PF_READ_ONLY, vb_conf_vmptrst,
			    VB_CONF_SLOT(VB_BR_PF_READ_ONLY), 0, 0,
			    p0 & ~(pteval_t)_PAGE_RW);
	} else {
		k->out->row[VB_BR_PF_READ_ONLY].skip = VB_CONF_SKIP_NO_WP;
	}
	vb_conf_mem(k, VB_BR_PF_SPLIT, vb_conf_vmptrst, VB_CONF_SPLIT, 0, 1,
		    p1 & ~(pteval_t)_PAGE_PRESENT);
}

/* After VMCLEAR: no current VMCS, all ones stored. */
void vb_conf_no_vmcs(struct vb_conf_ctx *k)
{
	k->vc.expected = ~0ULL;
	vb_conf_mem(k, VB_BR_NO_VMCS, vb_conf_vmptrst,
		    VB_CONF_SLOT(VB_BR_NO_VMCS), 0, 0, 0);
}

/* Every branch from @first on that has not run: not run, for @why. */
static void vb_conf_skip(struct vb_conform *out, u32 first, u32 why)
{
	u32 br;

	for (br = first; br < VB_BR_COUNT; br++)
		if (!(out->row[br].flags & VB_CONF_RAN) && !out->row[br].skip)
			out->row[br].skip = why;
}

/* The window, on the target CPU with interrupts off (vb_vmx.c enters VMX). */
static void vb_conform_on_cpu(void *arg)
{
	struct vb_conf_ctx *k = arg;
	u32 a, b, c, d;

	cpuid_count(7, 0, &a, &b, &c, &d);
	if (b & VB_CPUID7_EBX_RDSEED)
		k->out->row[VB_BR_REGISTER].flags |= VB_CONF_RDSEED;
	if ((vb_cr4_read() | vb_cr4_read_raw()) & X86_CR4_VMXE) {
		/* maybe in someone else's VMX operation: execute nothing */
		vb_conf_skip(k->out, 0, VB_CONF_SKIP_VMX_OWNED);
		return;
	}
	vb_conf_outside(k);
	if (k->skip_root) {
		vb_conf_skip(k->out, 0, k->skip_root);
		return;
	}
	vb_conform_window(k);
	if (k->vc.err)
		vb_conf_skip(k->out, 0, k->vc.err == -EBUSY ?
			     VB_CONF_SKIP_VMX_OWNED : VB_CONF_SKIP_VMX_FAILED);
}

/* The buffer: two 4 KiB-mapped pages, their PTEs and direct-map twins. */
static int vb_conf_buffer(struct vb_conf_ctx *k, u32 cpu)
{
	unsigned int level, i;

	k->buf = vmalloc_node(2 * PAGE_SIZE, cpu_to_node(cpu));
	if (!k->buf)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		k->pte[i] = lookup_address((unsigned long)k->buf +
					   i * PAGE_SIZE, &level);
		k->alias[i] = page_address(vmalloc_to_page(k->buf +
							   i * PAGE_SIZE));
		if (!k->pte[i] || level != PG_LEVEL_4K ||
		    !(pte_val(*k->pte[i]) & _PAGE_PRESENT))
			k->skip_pf = VB_CONF_SKIP_NO_PTE;
	}
	return 0;
}

/* What stops the CPL 0 branches in VMX root before any is tried. */
static u32 vb_conf_admit(struct vb_conf_ctx *k, const struct vb_caps *caps)
{
	bool kvm, coverable;

	switch (vb_check_caps(caps, k->vc.point.cpu)) {
	case 0:
		break;
	case -EBUSY:
		return VB_CONF_SKIP_VMX_OWNED;
	default:
		return VB_CONF_SKIP_NO_VMX;
	}
	vb_cover_state(&kvm, &coverable);
	return coverable ? 0 : VB_CONF_SKIP_NO_COVER;
}

/* Caller holds vb_run_lock. */
static int vb_conform_locked(struct vb_conf_ctx *k)
{
	struct vb_ctx *c = &k->vc;
	struct page *vmxon = NULL, *vmcs = NULL;
	struct vb_caps caps;
	bool covered;
	int err;

	err = vb_cpu_usable(c->point.cpu) ?: vb_caps_of(c->point.cpu, &caps) ?:
	      vb_conf_buffer(k, c->point.cpu);
	if (err)
		goto out;
	k->skip_root = vb_conf_admit(k, &caps);
	if (!k->skip_root) {
		err = vb_alloc_regions(c, &caps, &vmxon, &vmcs);
		if (err)
			goto out;
		c->expected = c->vmcs_pa;
		c->operand = k->buf + VB_CONF_SLOT(VB_BR_COUNT);
	}
	covered = !k->skip_root && vb_cover_begin();
	if (!k->skip_root && !covered)
		k->skip_root = VB_CONF_SKIP_NO_COVER;
	err = smp_call_function_single(c->point.cpu, vb_conform_on_cpu, k, 1);
	if (covered)
		vb_cover_end();
	if (!err && k->vc.stuck)
		err = -EIO;
out:
	vb_free_regions(c, vmxon, vmcs);
	vfree(k->buf);
	return err;
}

long vb_ioctl_conform(struct vb_conform __user *uarg)
{
	struct vb_conf_ctx *k;
	u32 cpu, br;
	int err;

	if (get_user(cpu, &uarg->cpu))
		return -EFAULT;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->out = kzalloc(sizeof(*k->out), GFP_KERNEL);
	err = k->out ? 0 : -ENOMEM;
	if (!err && copy_from_user(k->out, uarg, sizeof(*k->out)))
		err = -EFAULT;
	if (!err && (k->out->size != sizeof(*k->out) ||
		     k->out->abi_version != VB_ABI_VERSION))
		err = -EINVAL;
	if (!err && !vb_cpu_ok(cpu))
		err = -ENXIO;
	if (!err && !mutex_trylock(&vb_run_lock))
		err = -EBUSY;
	if (err)
		goto out;

	memset(k->out->row, 0, sizeof(k->out->row));
	k->out->rows = VB_BR_COUNT;
	for (br = 0; br < VB_BR_COUNT; br++) {
		k->out->row[br].branch = br;
		k->out->row[br].vector = -1;
	}
	k->vc.point.cpu = cpu;
	k->vc.point.vmcs = VB_VMCS_LOADED;
	err = vb_conform_locked(k);
	mutex_unlock(&vb_run_lock);
	if (!err && copy_to_user(uarg, k->out, sizeof(*k->out)))
		err = -EFAULT;
out:
	kfree(k->out);
	kfree(k);
	return err;
}
