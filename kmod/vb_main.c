// SPDX-License-Identifier: GPL-2.0
/*
 * vmptrst_bench: measures the VMX instruction VMPTRST on one CPU.
 *
 * /dev/vmptrst_bench, mode 0600; every ioctl also needs CAP_SYS_RAWIO.
 * The module measures and validates; it never formats or aggregates.  The
 * ABI is kmod/vmptrst_bench_abi.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <asm/pgtable_types.h>
#include <asm/tsc.h>
#include "vb_internal.h"

#define VB_BASIC_32BIT_ADDR	BIT_ULL(48)
#define VB_OPERAND_ORDER	1	/* two pages: VB_OPERAND_SPAN */

static_assert(PAGE_SIZE << VB_OPERAND_ORDER == VB_OPERAND_SPAN);

/* One RUN at a time: a second caller gets -EBUSY, not a wait. */
static DEFINE_MUTEX(vb_run_lock);

static bool vb_cpu_ok(u32 cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu);
}

/* Read the capabilities of @cpu on @cpu; -ENXIO if it is not there. */
static int vb_caps_of(u32 cpu, struct vb_caps *caps)
{
	if (!vb_cpu_ok(cpu))
		return -ENXIO;
	return smp_call_function_single(cpu, vb_read_caps, caps, 1);
}

static long vb_ioctl_info(struct vb_info __user *uarg)
{
	struct vb_info info;
	struct vb_caps caps;
	u32 cpu;
	int err;

	if (copy_from_user(&info, uarg, sizeof(info)))
		return -EFAULT;
	if (info.size != sizeof(info))	/* any abi_version: see the ABI */
		return -EINVAL;
	cpu = info.cpu;
	err = vb_caps_of(cpu, &caps);
	if (err)
		return err;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = VB_ABI_VERSION;
	info.cpu = cpu;
	strscpy(info.module_version, VB_MODULE_VERSION,
		sizeof(info.module_version));
	info.flags = (caps.vmx ? VB_INFO_VMX : 0) |
		     (caps.vmxe ? VB_INFO_VMX_IN_USE : 0) |
		     (caps.feature_control & FEAT_CTL_LOCKED ?
		      VB_INFO_FEAT_LOCKED : 0) |
		     (caps.feature_control & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX ?
		      VB_INFO_FEAT_VMX : 0) |
		     (caps.have_basic ? VB_INFO_VMX_BASIC : 0);
	info.vmx_basic = caps.vmx_basic;
	info.feature_control = caps.feature_control;
	info.vmcs_revision = caps.vmx_basic & 0x7fffffff;
	info.vmcs_size = (caps.vmx_basic >> 32) & 0x1fff;
	info.vmcs_memtype = (caps.vmx_basic >> 50) & 0xf;
	info.tsc_khz = tsc_khz;
	info.online_cpus = num_online_cpus();
	info.max_samples = VB_MAX_SAMPLES;
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

/* Range-check every input field; one rate-limited line names the bad one. */
static int vb_check_run(const struct vb_run *r)
{
	const char *bad = NULL;

	if (r->size != sizeof(*r) || r->abi_version != VB_ABI_VERSION)
		bad = "size/abi_version";
	else if (r->instruction >= VB_INSN_COUNT)
		bad = "instruction";
	else if (!is_power_of_2(r->unroll) || r->unroll > VB_MAX_UNROLL)
		bad = "unroll";
	else if (r->samples == 0 || r->samples > VB_MAX_SAMPLES)
		bad = "samples";
	else if (r->vmcs >= VB_VMCS_COUNT)
		bad = "vmcs";
	else if (r->serialize >= VB_SER_COUNT)
		bad = "serialize";
	else if (r->offset > VB_MAX_OFFSET)
		bad = "offset";
	else if (r->flags)
		bad = "flags";
	else if (!r->buf ||
		 r->buf_len < VB_RECORDS_NEEDED(r->instruction, r->samples))
		bad = "buf/buf_len";
	if (!bad)
		return 0;
	pr_info_ratelimited("RUN: invalid %s\n", bad);
	return -EINVAL;
}

static struct page *vb_alloc(u32 cpu, unsigned int order, bool low)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | (low ? GFP_DMA32 : 0);

	return alloc_pages_node(cpu_to_node(cpu), gfp, order);
}

/* KiB of the page that maps @addr in the kernel's page tables. */
static u32 vb_page_kib(void *addr)
{
	unsigned int level;

	if (!lookup_address((unsigned long)addr, &level))
		return 0;
	switch (level) {
	case PG_LEVEL_4K:
		return 4;
	case PG_LEVEL_2M:
		return 2048;
	case PG_LEVEL_1G:
		return 1024 * 1024;
	default:
		return 0;
	}
}

/* Windows on the target CPU until the run is complete or stops. */
static int vb_do_windows(struct vb_ctx *c, struct vb_run *r)
{
	int err;

	while (c->done < c->samples) {
		err = smp_call_function_single(c->cpu, vb_window, c, 1);
		if (err)
			return err;	/* the IPI failed: CPU went offline */
		if (c->err)
			return c->err;	/* the window failed, VMX undone */
		c->windows++;
		if (c->done < c->samples && signal_pending(current)) {
			r->result_flags |= VB_RUN_INTERRUPTED;
			break;
		}
		cond_resched();
	}
	return 0;
}

static int vb_run_locked(struct vb_run *r, struct vb_ctx *c)
{
	u32 nrec = VB_RECORDS_NEEDED(r->instruction, r->samples);
	struct page *vmxon, *vmcs, *operand;
	struct vb_caps caps;
	bool low;
	int err;

	err = vb_caps_of(r->cpu, &caps);
	if (!err)
		err = vb_check_caps(&caps, r->cpu);
	if (err)
		return err;

	low = caps.vmx_basic & VB_BASIC_32BIT_ADDR;
	err = -ENOMEM;
	c->rec = kvcalloc(nrec, sizeof(*c->rec), GFP_KERNEL);
	if (!c->rec)
		return err;
	vmxon = vb_alloc(r->cpu, 0, low);
	if (!vmxon)
		goto out_free_rec;
	vmcs = vb_alloc(r->cpu, 0, low);
	if (!vmcs)
		goto out_free_vmxon;
	operand = vb_alloc(r->cpu, VB_OPERAND_ORDER, false);
	if (!operand)
		goto out_free_vmcs;

	/* Both regions start with the VMCS revision identifier, bit 31 clear. */
	*(u32 *)page_address(vmxon) = caps.vmx_basic & 0x7fffffff;
	*(u32 *)page_address(vmcs) = caps.vmx_basic & 0x7fffffff;
	c->vmxon_pa = page_to_phys(vmxon);
	c->vmcs_pa = page_to_phys(vmcs);
	c->operand = (u8 *)page_address(operand) + r->offset;
	c->expected = r->vmcs == VB_VMCS_LOADED ? c->vmcs_pa : ~0ULL;

	err = vb_do_windows(c, r);
	if (err)
		goto out_free_operand;

	r->records = VB_RECORDS_NEEDED(r->instruction, c->done);
	r->expected = c->expected;
	r->poison = VB_POISON;
	r->mismatches = c->mismatches;
	r->windows = c->windows;
	r->max_window_tsc = c->max_window_tsc;
	r->page_kib = vb_page_kib(c->operand);
	if (copy_to_user(u64_to_user_ptr(r->buf), c->rec,
			 (size_t)r->records * sizeof(*c->rec)))
		err = -EFAULT;

out_free_operand:
	__free_pages(operand, VB_OPERAND_ORDER);
out_free_vmcs:
	__free_page(vmcs);
out_free_vmxon:
	__free_page(vmxon);
out_free_rec:
	kvfree(c->rec);
	return err;
}

static long vb_ioctl_run(struct vb_run __user *uarg)
{
	struct vb_run r;
	struct vb_ctx c = { 0 };
	int err;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	err = vb_check_run(&r);
	if (err)
		return err;
	if (!vb_cpu_ok(r.cpu))
		return -ENXIO;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;

	c.cpu = r.cpu;
	c.instruction = r.instruction;
	c.unroll = r.unroll;
	c.samples = r.samples;
	c.vmcs = r.vmcs;
	c.budget_tsc = tsc_khz ? (u64)tsc_khz * VB_WINDOW_US / 1000 :
				 VB_WINDOW_TSC_FALLBACK;
	r.result_flags = 0;
	err = vb_run_locked(&r, &c);
	mutex_unlock(&vb_run_lock);
	if (err)
		return err;
	return copy_to_user(uarg, &r, sizeof(r)) ? -EFAULT : 0;
}

static long vb_ioctl_selftest(struct vb_selftest __user *uarg)
{
	struct vb_selftest st;
	struct vb_selftest_ctx t = { 0 };
	int err;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	if (st.size != sizeof(st) || st.abi_version != VB_ABI_VERSION)
		return -EINVAL;
	if (!vb_cpu_ok(st.cpu))
		return -ENXIO;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;
	err = smp_call_function_single(st.cpu, vb_selftest_on_cpu, &t, 1);
	mutex_unlock(&vb_run_lock);
	if (!err)
		err = t.err;
	if (err)
		return err;
	st.trap = t.trap;
	st.operand = t.operand;
	st.poison = VB_POISON;
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long vb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	switch (cmd) {
	case VB_IOC_INFO:
		return vb_ioctl_info(uarg);
	case VB_IOC_RUN:
		return vb_ioctl_run(uarg);
	case VB_IOC_SELFTEST:
		return vb_ioctl_selftest(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vb_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vb_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VB_DEVICE_NAME,
	.fops = &vb_fops,
	.mode = 0600,
};

static int __init vb_init(void)
{
	int err = misc_register(&vb_dev);

	if (err)
		return err;
	pr_info("version %s, ABI %d, /dev/%s\n", VB_MODULE_VERSION,
		VB_ABI_VERSION, VB_DEVICE_NAME);
	return 0;
}

static void __exit vb_exit(void)
{
	misc_deregister(&vb_dev);
}

module_init(vb_init);
module_exit(vb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VMPTRST microbenchmark");
MODULE_VERSION(VB_MODULE_VERSION);
