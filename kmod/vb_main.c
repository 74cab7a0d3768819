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
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
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
int vb_inject_fault;
module_param_named(inject_fault, vb_inject_fault, int, 0600);
MODULE_PARM_DESC(inject_fault,
		 "tests only: make one step of every RUN fail (enum vb_fault in vb_internal.h)");

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
	else if (r->win_len > VB_MAX_SAMPLES || (r->win_len && !r->win_buf))
		bad = "win_len/win_buf";
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

/*
 * Can user space's @len bytes at @uptr be written?  Each page is read and
 * the same byte written back, which faults it in and leaves it unchanged.
 */
static int vb_probe_writable(u64 uptr, size_t len)
{
	u8 __user *p = u64_to_user_ptr(uptr);
	size_t off;
	u8 v;

	if (!len)
		return 0;
	if (!access_ok(p, len))
		return -EFAULT;
	for (off = 0; off < len; off = (off | (PAGE_SIZE - 1)) + 1)
		if (get_user(v, p + off) || put_user(v, p + off))
			return -EFAULT;
	if (get_user(v, p + len - 1) || put_user(v, p + len - 1))
		return -EFAULT;
	return 0;
}

/*
 * Every buffer a RUN writes, the struct included, must be writable before
 * anything is measured: a long run must not end in -EFAULT.  Nothing the
 * caller owns changes here.
 */
static int vb_check_writable(struct vb_run __user *uarg, const struct vb_run *r)
{
	size_t nrec = VB_RECORDS_NEEDED(r->instruction, r->samples);

	if (vb_probe_writable((u64)(uintptr_t)uarg, sizeof(*r)) ||
	    vb_probe_writable(r->buf, nrec * sizeof(struct vb_sample)) ||
	    (r->nevents &&
	     vb_probe_writable(r->pmc_buf, nrec * r->nevents * sizeof(u64))) ||
	    (r->win_len &&
	     vb_probe_writable(r->win_buf, (size_t)r->win_len *
			       sizeof(struct vb_window_stat))))
		return -EFAULT;
	return 0;
}

static int vb_run_locked(struct vb_run __user *uarg, struct vb_run *r,
			 struct vb_ctx *c)
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
	if (!err)
		err = vb_check_writable(uarg, r);
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
	if (r->win_len) {
		c->win = kvcalloc(r->win_len, sizeof(*c->win), GFP_KERNEL);
		if (!c->win)
			goto out_free_rec;
		c->win_len = r->win_len;
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
	if (vb_injected(VB_FAULT_COPY_OUT) ||
	    copy_to_user(u64_to_user_ptr(r->buf), c->rec,
			 (size_t)r->records * sizeof(*c->rec)))
		err = -EFAULT;
	if (r->nevents &&
	    copy_to_user(u64_to_user_ptr(r->pmc_buf), c->pmc,
			 (size_t)r->records * r->nevents * sizeof(u64)))
		err = -EFAULT;
	r->win_written = c->win_written;
	if (c->win_written &&
	    copy_to_user(u64_to_user_ptr(r->win_buf), c->win,
			 (size_t)c->win_written * sizeof(*c->win)))
		err = -EFAULT;

out_free_operand:
	vb_operand_free(&operand);
	__free_page(vmcs);
out_free_vmxon:
	__free_page(vmxon);
out_free_rec:
	kvfree(c->win);
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
	r.win_written = 0;
	err = vb_run_locked(uarg, &r, &c);
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

/* HOLD (debug only): the CPU whose VMX we keep on, and its VMXON region. */
static bool debug_hold;
module_param(debug_hold, bool, 0444);
MODULE_PARM_DESC(debug_hold,
		 "allow the HOLD ioctl, which keeps VMX on on a CPU between ioctls (tests only)");
static int vb_held_cpu = -1;
static struct page *vb_held_vmxon;

/* Release the hold, on its CPU; the caller holds vb_run_lock. */
static int vb_release_held(void)
{
	struct vb_hold_ctx h = { .cpu = vb_held_cpu };
	int err;

	err = smp_call_function_single(vb_held_cpu, vb_release_on_cpu, &h, 1);
	if (!err)
		err = h.err;
	if (err) {	/* VMX may still be on there: keep its region */
		pr_err("CPU %d: could not release the VMX hold (%d)\n",
		       vb_held_cpu, err);
		return err;
	}
	__free_page(vb_held_vmxon);
	vb_held_vmxon = NULL;
	vb_held_cpu = -1;
	return 0;
}

static int vb_hold_locked(u32 cpu)
{
	struct vb_hold_ctx h = { .cpu = cpu };
	struct vb_caps caps;
	int err;

	if (vb_held_cpu >= 0)
		return -EBUSY;
	err = vb_caps_of(cpu, &caps);
	if (!err)
		err = vb_check_caps(&caps, cpu);
	if (err)
		return err;
	vb_held_vmxon = vb_alloc(cpu, 0, caps.vmx_basic & VB_BASIC_32BIT_ADDR);
	if (!vb_held_vmxon)
		return -ENOMEM;
	*(u32 *)page_address(vb_held_vmxon) = caps.vmx_basic & 0x7fffffff;
	h.vmxon_pa = page_to_phys(vb_held_vmxon);
	err = smp_call_function_single(cpu, vb_hold_on_cpu, &h, 1);
	if (!err)
		err = h.err;
	if (err) {
		__free_page(vb_held_vmxon);
		vb_held_vmxon = NULL;
		return err;
	}
	vb_held_cpu = cpu;
	pr_info("CPU %u: VMX held on (debug_hold)\n", cpu);
	return 0;
}

static long vb_ioctl_hold(struct vb_hold __user *uarg)
{
	struct vb_hold h;
	int err;

	if (!debug_hold)
		return -EOPNOTSUPP;
	if (copy_from_user(&h, uarg, sizeof(h)))
		return -EFAULT;
	if (h.size != sizeof(h) || h.abi_version != VB_ABI_VERSION ||
	    h.hold > 1)
		return -EINVAL;
	if (!vb_cpu_ok(h.cpu))
		return -ENXIO;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;
	if (h.hold)
		err = vb_hold_locked(h.cpu);
	else
		err = vb_held_cpu == (int)h.cpu ? vb_release_held() : -EINVAL;
	mutex_unlock(&vb_run_lock);
	return err;
}

/* A CPU going offline must not keep VMX on: INIT is blocked in VMX root. */
static int vb_cpu_down(unsigned int cpu)
{
	struct vb_hold_ctx h = { .cpu = cpu };
	unsigned long flags;

	mutex_lock(&vb_run_lock);
	if (vb_held_cpu == (int)cpu) {
		local_irq_save(flags);
		vb_release_on_cpu(&h);
		local_irq_restore(flags);
		if (!h.err) {
			__free_page(vb_held_vmxon);
			vb_held_vmxon = NULL;
			vb_held_cpu = -1;
		}
	}
	mutex_unlock(&vb_run_lock);
	return 0;
}

static enum cpuhp_state vb_cpuhp_state;

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
	case VB_IOC_HOLD:
		return vb_ioctl_hold(uarg);
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
	int err;

	err = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					"vmptrst_bench:online", NULL,
					vb_cpu_down);
	if (err < 0)
		return err;
	vb_cpuhp_state = err;
	err = misc_register(&vb_dev);
	if (err) {
		cpuhp_remove_state_nocalls(vb_cpuhp_state);
		return err;
	}
	pr_info("version %s, ABI %d, /dev/%s%s\n", VB_MODULE_VERSION,
		VB_ABI_VERSION, VB_DEVICE_NAME,
		debug_hold ? " (debug_hold on)" : "");
	return 0;
}

static void __exit vb_exit(void)
{
	misc_deregister(&vb_dev);
	mutex_lock(&vb_run_lock);
	if (vb_held_cpu >= 0)
		vb_release_held();
	mutex_unlock(&vb_run_lock);
	cpuhp_remove_state_nocalls(vb_cpuhp_state);
}

module_init(vb_init);
module_exit(vb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VMPTRST microbenchmark");
MODULE_VERSION(VB_MODULE_VERSION);
