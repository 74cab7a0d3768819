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
#include <linux/perf_event.h>
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

/*
 * The event types a RUN may ask for: the generic hardware, cache and raw
 * types, software events, and dynamic PMU types (hybrid cores); whether a
 * dynamic type is a core PMU is checked once the counter exists.
 */
static bool vb_events_ok(const struct vb_event *ev, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (ev[i].reserved)
			return false;
		if (ev[i].type == PERF_TYPE_TRACEPOINT ||
		    ev[i].type == PERF_TYPE_BREAKPOINT)
			return false;
	}
	return true;
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
	else if (r->cache >= VB_CACHE_COUNT)
		bad = "cache";
	else if (r->memtype >= VB_MEM_COUNT)
		bad = "memtype";
	else if (r->page >= VB_PAGE_COUNT)
		bad = "page";
	else if (r->tlb >= VB_TLB_COUNT)
		bad = "tlb";
	else if (r->ad >= VB_AD_COUNT)
		bad = "ad";
	else if (r->offset > VB_MAX_OFFSET(r->page))
		bad = "offset";
	else if (r->flags || r->reserved)
		bad = "flags/reserved";
	else if (r->unroll != 1 && (r->cache != VB_CACHE_HOT ||
				    r->tlb != VB_TLB_WARM ||
				    r->ad != VB_AD_SET))
		bad = "unroll (a per-sample setup needs unroll 1)";
	else if (r->ad == VB_AD_CLEAR && r->page != VB_PAGE_4K)
		bad = "ad (clear needs page 4k)";
	else if (r->nevents > VB_MAX_EVENTS || r->reserved2 ||
		 (r->nevents && !r->pmc_buf))
		bad = "nevents/pmc_buf";
	else if (!vb_events_ok(r->events, r->nevents))
		bad = "events";
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
	struct vb_operand operand;
	struct page *vmxon, *vmcs;
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
	if (r->nevents) {
		c->pmc = kvcalloc((size_t)nrec * r->nevents, sizeof(u64),
				  GFP_KERNEL);
		if (!c->pmc)
			goto out_free_rec;
	}
	vmxon = vb_alloc(r->cpu, 0, low);
	if (!vmxon)
		goto out_free_rec;
	vmcs = vb_alloc(r->cpu, 0, low);
	if (!vmcs)
		goto out_free_vmxon;
	err = vb_operand_setup(&operand, c, r->offset, &r->page_kib);
	if (err > 0) {		/* this point cannot be set up here */
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = err;
		err = 0;
		goto out_free_operand;
	}
	if (err)
		goto out_free_operand;

	/* Both regions start with the VMCS revision identifier, bit 31 clear. */
	*(u32 *)page_address(vmxon) = caps.vmx_basic & 0x7fffffff;
	*(u32 *)page_address(vmcs) = caps.vmx_basic & 0x7fffffff;
	c->vmxon_pa = page_to_phys(vmxon);
	c->vmcs_pa = page_to_phys(vmcs);
	c->expected = r->vmcs == VB_VMCS_LOADED ? c->vmcs_pa : ~0ULL;

	vb_pmu_create(&c->pmu, r->events, r->nevents, r->cpu);
	err = vb_do_windows(c, r);
	vb_pmu_totals(&c->pmu, r->event_total);
	vb_pmu_release(&c->pmu);
	memcpy(r->event_err, c->pmu.err, sizeof(r->event_err));
	memcpy(r->event_kind, c->pmu.kind, sizeof(r->event_kind));
	if (err)
		goto out_free_operand;

	r->records = VB_RECORDS_NEEDED(r->instruction, c->done);
	r->expected = c->expected;
	r->poison = VB_POISON;
	r->mismatches = c->mismatches;
	r->windows = c->windows;
	r->max_window_tsc = c->max_window_tsc;
	if (copy_to_user(u64_to_user_ptr(r->buf), c->rec,
			 (size_t)r->records * sizeof(*c->rec)))
		err = -EFAULT;
	if (r->nevents &&
	    copy_to_user(u64_to_user_ptr(r->pmc_buf), c->pmc,
			 (size_t)r->records * r->nevents * sizeof(u64)))
		err = -EFAULT;

out_free_operand:
	vb_operand_free(&operand);
	__free_page(vmcs);
out_free_vmxon:
	__free_page(vmxon);
out_free_rec:
	kvfree(c->pmc);
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
	c.serialize = r.serialize;
	c.cache = r.cache;
	c.memtype = r.memtype;
	c.page = r.page;
	c.tlb = r.tlb;
	c.ad = r.ad;
	c.budget_tsc = tsc_khz ? (u64)tsc_khz * VB_WINDOW_US / 1000 :
				 VB_WINDOW_TSC_FALLBACK;
	r.result_flags = 0;
	r.skip_reason = VB_SKIP_NONE;
	r.records = 0;
	r.page_kib = 0;
	r.reserved_out = 0;
	memset(r.event_err, 0, sizeof(r.event_err));
	memset(r.event_kind, 0, sizeof(r.event_kind));
	memset(r.event_total, 0, sizeof(r.event_total));
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
