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
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
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
#include "vb_compat.h"
#include "vb_guest.h"
#include "vb_internal.h"

/* One RUN (or HOLD) at a time: a second caller gets -EBUSY, not a wait. */
DEFINE_MUTEX(vb_run_lock);

/*
 * CPUs left in VMX operation because VMXOFF failed (vb_vmx_off): their
 * VMXON and VMCS pages are leaked on purpose (the CPU may still write
 * them), the crash-time cover is kept and the module pinned; RUN and HOLD
 * refuse them until a reboot.  Under vb_run_lock.
 */
static struct cpumask vb_stuck_cpus;

/* How often a blocked RUN looks again whether VMX and the cover are free. */
#define VB_WAIT_STEP_MS		10

bool vb_cpu_ok(u32 cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu);
}

/* Caller holds vb_run_lock.  -EIO, said once, for a CPU VMXOFF failed on. */
int vb_cpu_usable(u32 cpu)
{
	if (!cpumask_test_cpu(cpu, &vb_stuck_cpus))
		return 0;
	pr_err_ratelimited("CPU %u was left in VMX operation after VMXOFF failed; reboot before measuring on it\n",
			   cpu);
	return -EIO;
}

/*
 * Caller holds vb_run_lock.  VMXOFF failed on @cpu: keep its pages (NULL
 * for none), the cover and the module, and refuse the CPU from now on.
 */
void vb_cpu_stuck(u32 cpu)
{
	pr_err("CPU %u: VMXOFF failed: the CPU stays in VMX operation; its VMX regions are kept, the crash-time VMXOFF callback stays registered, the module cannot be unloaded; reboot\n",
	       cpu);
	if (cpumask_empty(&vb_stuck_cpus))
		__module_get(THIS_MODULE);	/* and so the cover stays */
	cpumask_set_cpu(cpu, &vb_stuck_cpus);
}

/* Read the capabilities of @cpu on @cpu; -ENXIO if it is not there. */
int vb_caps_of(u32 cpu, struct vb_caps *caps)
{
	if (!vb_cpu_ok(cpu))
		return -ENXIO;
	return smp_call_function_single(cpu, vb_read_caps, caps, 1);
}

static long vb_ioctl_info(struct vb_info __user *uarg)
{
	struct vb_info info;
	struct vb_caps caps;
	bool kvm, coverable, stuck;
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
	vb_cover_state(&kvm, &coverable);
	mutex_lock(&vb_run_lock);
	stuck = cpumask_test_cpu(cpu, &vb_stuck_cpus);
	mutex_unlock(&vb_run_lock);

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
		     (caps.have_basic ? VB_INFO_VMX_BASIC : 0) |
		     (kvm ? VB_INFO_KVM : 0) |
		     (coverable ? 0 : VB_INFO_NO_COVER) |
		     (caps.kernel_vmx ? VB_INFO_KERNEL_VMX : 0) |
		     (caps.rdtscp ? VB_INFO_RDTSCP : 0) |
		     (caps.guest ? VB_INFO_GUEST : 0) |
		     (stuck ? VB_INFO_CPU_STUCK : 0);
	info.vmx_basic = caps.vmx_basic;
	info.feature_control = caps.feature_control;
	info.vmcs_revision = VB_BASIC_REVISION(caps.vmx_basic);
	info.vmcs_size = VB_BASIC_SIZE(caps.vmx_basic);
	info.vmcs_memtype = VB_BASIC_MEMTYPE(caps.vmx_basic);
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

/*
 * The fields of a valid point's RUN around it: NULL, or the name of the
 * first one refused.
 */
static const char *vb_run_fields_invalid(const struct vb_run *r)
{
	if (r->flags)
		return "flags";
	if (r->wait_vmx_ms > VB_MAX_WAIT_VMX_MS)
		return "wait_vmx_ms";
	if (r->nevents > VB_MAX_EVENTS || r->reserved2 ||
	    (r->nevents && !r->pmc_buf))
		return "nevents/pmc_buf";
	if (!vb_events_ok(r->events, r->nevents))
		return "events";
	if (r->win_len > VB_MAX_SAMPLES || (r->win_len && !r->win_buf))
		return "win_len/win_buf";
	if (!r->buf || r->buf_len < VB_RECORDS_NEEDED(r->point.instruction,
						       r->point.samples))
		return "buf/buf_len";
	if ((r->point.mode == VB_MODE_GUEST) != !!r->exit_buf)
		return "exit_buf (with mode guest, and only then)";
	return NULL;
}

/*
 * Check every input field (the point's by the ABI's vb_point_invalid());
 * one rate-limited line names the bad one.
 */
static int vb_check_run(const struct vb_run *r)
{
	const char *bad;

	if (r->size != sizeof(*r) || r->abi_version != VB_ABI_VERSION)
		bad = "size/abi_version";
	else
		bad = vb_point_invalid(&r->point) ?: vb_run_fields_invalid(r);
	if (!bad)
		return 0;
	pr_info_ratelimited("RUN: invalid %s\n", bad);
	return -EINVAL;
}

struct page *vb_alloc(u32 cpu, unsigned int order, bool low)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | (low ? GFP_DMA32 : 0);

	return alloc_pages_node(cpu_to_node(cpu), gfp, order);
}

/*
 * Wait for VMX and the cover to be free again, VB_WAIT_STEP_MS at a time,
 * while r->wait_vmx_ms allows: true to try again, false to stop (with
 * @why set in result_flags, or on a signal).
 */
static bool vb_wait_vmx(struct vb_ctx *c, struct vb_run *r, u32 why)
{
	unsigned long t0 = jiffies;
	u32 budget = r->wait_vmx_ms;

	if (why == VB_RUN_NO_COVER && vb_cover_settling())
		budget = max(budget, (u32)VB_COVER_GRACE_MS);
	if (r->vmx_wait_ms >= budget) {
		r->result_flags |= why;
		return false;
	}
	if (!r->vmx_wait_ms)
		pr_info_ratelimited("CPU %u: %s; waiting up to %u ms\n",
				    c->point.cpu, why == VB_RUN_NO_COVER ?
				    "the crash-time VMXOFF callback cannot cover the run" :
				    "another hypervisor has VMX on",
				    r->wait_vmx_ms);
	msleep_interruptible(VB_WAIT_STEP_MS);
	r->vmx_wait_ms += max(1u, jiffies_to_msecs(jiffies - t0));
	return true;
}

/*
 * Windows on the target CPU until the run is complete or stops.  Each
 * window runs covered by the crash-time VMXOFF (vb_cover.c), holding the
 * cover's lock so that it cannot be handed over in the middle.
 */
static int vb_do_windows(struct vb_ctx *c, struct vb_run *r)
{
	u32 blocked;
	int err;

	while (c->done < c->point.samples) {
		blocked = 0;
		if (!vb_cover_begin()) {
			blocked = VB_RUN_NO_COVER;
		} else {
			err = smp_call_function_single(c->point.cpu, vb_window,
						       c, 1);
			vb_cover_end();
			if (err)
				return err;	/* the IPI failed: CPU went offline */
			if (c->err == -EBUSY)	/* VMX taken between windows */
				blocked = VB_RUN_VMX_TAKEN;
			else if (c->err)
				return c->err;	/* the window failed, VMX undone */
			else
				c->windows++;
		}
		if (blocked && !vb_wait_vmx(c, r, blocked))
			break;
		if (c->done < c->point.samples && signal_pending(current)) {
			r->result_flags |= VB_RUN_INTERRUPTED;
			break;
		}
		cond_resched();
	}
	return 0;
}

/*
 * Can user space's @len bytes at @uptr be written?  Faults the pages in
 * for writing, as a write would, without changing a byte.
 */
static int vb_probe_writable(u64 uptr, size_t len)
{
	char __user *p = u64_to_user_ptr(uptr);

	if (!len)
		return 0;
	if (!access_ok(p, len) || fault_in_safe_writeable(p, len))
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
	const struct vb_point_desc *p = &r->point;
	size_t nrec = VB_RECORDS_NEEDED(p->instruction, p->samples);

	if (vb_probe_writable((u64)(uintptr_t)uarg, sizeof(*r)) ||
	    vb_probe_writable(r->buf, nrec * sizeof(struct vb_sample)) ||
	    (r->nevents &&
	     vb_probe_writable(r->pmc_buf, nrec * r->nevents * sizeof(u64))) ||
	    (r->win_len &&
	     vb_probe_writable(r->win_buf, (size_t)r->win_len *
			       sizeof(struct vb_window_stat))) ||
	    (r->exit_buf &&
	     vb_probe_writable(r->exit_buf, nrec * sizeof(struct vb_exit_rec))))
		return -EFAULT;
	return 0;
}

/*
 * Can a RUN start on r->point.cpu?  0, or -errno with the reason in the
 * kernel log.  VMX on there, or no crash-time cover, is -EBUSY unless the RUN
 * may wait for them (the windows do the waiting).
 */
static int vb_run_admit(const struct vb_run *r, struct vb_caps *caps)
{
	bool kvm, coverable;
	int err = vb_cpu_usable(r->point.cpu);

	if (!err)
		err = vb_caps_of(r->point.cpu, caps);
	if (!err)
		err = vb_check_caps(caps, r->point.cpu);
	if (err == -EBUSY && r->wait_vmx_ms)
		err = 0;
	if (err)
		return err;
	vb_cover_state(&kvm, &coverable);
	if (!coverable && !r->wait_vmx_ms) {
		pr_info_ratelimited("CPU %u: RUN refused: %s is loaded, so the kernel's crash-time VMXOFF callback cannot cover the run (see kmod/vb_cover.c); unload kvm_intel and kvm for the run\n",
				    r->point.cpu, VB_SLOT_OWNER);
		return -EBUSY;
	}
	return 0;
}

/* A positive VB_SKIP_* if the CPU cannot run the point's blocks at all. */
static int vb_point_unavailable(const struct vb_run *r,
				const struct vb_caps *caps)
{
	if (r->point.serialize == VB_SER_CPUID &&
	    (!caps->rdtscp || vb_injected(VB_FAULT_NO_RDTSCP)))
		return VB_SKIP_NO_RDTSCP;
	if (r->point.mode == VB_MODE_GUEST &&
	    (!caps->guest || vb_injected(VB_FAULT_NO_VPID)))
		return VB_SKIP_NO_VPID;
	if (r->point.mode == VB_MODE_GUEST &&
	    (vb_fred_on() || vb_injected(VB_FAULT_FRED)))
		return VB_SKIP_FRED;
	/*
	 * The guest's CR4 is the kernel's: without OSXSAVE XSETBV is #UD,
	 * not an exit.  The kernel sets CR4.OSXSAVE on every CPU alike
	 * (fpu__init_cpu_xstate()): this CPU's CR4 shadow says it.
	 */
	if (r->point.instruction == VB_INSN_XSETBV &&
	    (!(vb_cr4_read() & X86_CR4_OSXSAVE) ||
	     vb_injected(VB_FAULT_NO_OSXSAVE)))
		return VB_SKIP_NO_OSXSAVE;
	return 0;
}

static int vb_alloc_records(struct vb_ctx *c, const struct vb_run *r)
{
	u32 nrec = VB_RECORDS_NEEDED(c->point.instruction, c->point.samples);

	c->rec = kvcalloc(nrec, sizeof(*c->rec), GFP_KERNEL);
	if (r->nevents)
		c->pmc = kvcalloc((size_t)nrec * r->nevents, sizeof(u64),
				  GFP_KERNEL);
	if (r->win_len)
		c->win = kvcalloc(r->win_len, sizeof(*c->win), GFP_KERNEL);
	c->win_len = r->win_len;
	if (!c->rec || (r->nevents && !c->pmc) || (r->win_len && !c->win))
		return -ENOMEM;
	return 0;
}

/* mode=guest: the exits of each record, and the guest (vb_guest.c). */
static int vb_alloc_guest(struct vb_ctx *c, const struct vb_caps *caps)
{
	u32 nrec = VB_RECORDS_NEEDED(c->point.instruction, c->point.samples);
	struct vb_guest *g;

	if (c->point.mode != VB_MODE_GUEST)
		return 0;
	c->exits = kvcalloc(nrec, sizeof(*c->exits), GFP_KERNEL);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	c->guest = g;
	if (!c->exits || !g)
		return -ENOMEM;
	g->stack_top = __get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!g->stack_top)
		return -ENOMEM;
	g->stack_top += PAGE_SIZE;
	g->msr_store = (struct vb_msr_slot *)get_zeroed_page(GFP_KERNEL);
	if (!g->msr_store)
		return -ENOMEM;
	g->cpu = c->point.cpu;
	g->vpid = VB_GUEST_VPID;
	g->invvpid_type = caps->invvpid_type;
	return 0;
}

static void vb_free_records(struct vb_ctx *c)
{
	if (c->guest && c->guest->stack_top)
		free_page(c->guest->stack_top - PAGE_SIZE);
	if (c->guest)
		free_page((unsigned long)c->guest->msr_store);
	kfree(c->guest);
	kvfree(c->exits);
	kvfree(c->win);
	kvfree(c->pmc);
	kvfree(c->rec);
}

/* The records, counter values and window descriptions, to the caller. */
static int vb_copy_out(struct vb_run *r, const struct vb_ctx *c)
{
	int err = 0;

	r->records = VB_RECORDS_NEEDED(r->point.instruction, c->done);
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
	if (r->exit_buf &&
	    copy_to_user(u64_to_user_ptr(r->exit_buf), c->exits,
			 (size_t)r->records * sizeof(*c->exits)))
		err = -EFAULT;
	r->win_written = c->win_written;
	if (c->win_written &&
	    copy_to_user(u64_to_user_ptr(r->win_buf), c->win,
			 (size_t)c->win_written * sizeof(*c->win)))
		err = -EFAULT;
	return err;
}

/* The VMXON region and the VMCS: one page each, revision id first. */
int vb_alloc_regions(struct vb_ctx *c, const struct vb_caps *caps,
			    struct page **vmxon, struct page **vmcs)
{
	bool low = VB_BASIC_32BIT_ADDR(caps->vmx_basic);

	*vmxon = vb_alloc(c->point.cpu, 0, low);
	*vmcs = vb_alloc(c->point.cpu, 0, low);
	if (!*vmxon || !*vmcs)
		return -ENOMEM;
	*(u32 *)page_address(*vmxon) = VB_BASIC_REVISION(caps->vmx_basic);
	*(u32 *)page_address(*vmcs) = VB_BASIC_REVISION(caps->vmx_basic);
	c->vmxon_pa = page_to_phys(*vmxon);
	c->vmcs_pa = page_to_phys(*vmcs);
	return 0;
}

/* Freed, unless VMXOFF failed: then the CPU may still use them. */
void vb_free_regions(struct vb_ctx *c, struct page *vmxon, struct page *vmcs)
{
	if (c->stuck) {
		vb_cpu_stuck(c->point.cpu);
		return;
	}
	if (vmcs)
		__free_page(vmcs);
	if (vmxon)
		__free_page(vmxon);
}

/* The measured part of a RUN: counters, windows, results out. */
static int vb_measure(struct vb_run *r, struct vb_ctx *c)
{
	int err;

	if (!vb_insn_is_family(r->point.instruction))	/* else vb_family_setup()'s */
		c->expected = r->point.vmcs == VB_VMCS_LOADED ? c->vmcs_pa :
								~0ULL;
	vb_pmu_create(&c->pmu, r->events, r->nevents, r->point.cpu);
	err = vb_do_windows(c, r);
	vb_pmu_totals(&c->pmu, r->event_total);
	vb_pmu_release(&c->pmu);
	memcpy(r->event_err, c->pmu.err, sizeof(r->event_err));
	memcpy(r->event_kind, c->pmu.kind, sizeof(r->event_kind));
	return err ? err : vb_copy_out(r, c);
}

static int vb_run_locked(struct vb_run __user *uarg, struct vb_run *r,
			 struct vb_ctx *c)
{
	struct vb_operand operand = { 0 };
	struct page *vmxon = NULL, *vmcs = NULL;
	struct vb_caps caps;
	int err;

	err = vb_run_admit(r, &caps);
	if (!err)
		err = vb_check_writable(uarg, r);
	if (err)
		return err;
	r->skip_reason = vb_point_unavailable(r, &caps);
	if (r->skip_reason) {
		r->result_flags |= VB_RUN_SKIPPED;
		return 0;
	}

	err = vb_alloc_records(c, r);
	if (!err)
		err = vb_alloc_guest(c, &caps);
	if (!err)
		err = vb_alloc_regions(c, &caps, &vmxon, &vmcs);
	if (!err)
		err = vb_operand_setup(&operand, c, &r->page_kib);
	if (!err)
		err = vb_family_setup(c, &caps);
	if (err > 0) {		/* this point cannot be set up here */
		r->result_flags |= VB_RUN_SKIPPED;
		r->skip_reason = err;
		err = 0;
	} else if (!err) {
		err = vb_measure(r, c);
	}
	vb_operand_free(&operand);
	vb_family_free(c);
	vb_free_regions(c, vmxon, vmcs);
	vb_free_records(c);
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
	if (!vb_cpu_ok(r.point.cpu))
		return -ENXIO;
	if (!mutex_trylock(&vb_run_lock))
		return -EBUSY;

	c.point = r.point;
	c.budget_tsc = tsc_khz ? (u64)tsc_khz * VB_WINDOW_US / 1000 :
				 VB_WINDOW_TSC_FALLBACK;
	r.result_flags = 0;
	r.skip_reason = VB_SKIP_NONE;
	r.records = 0;
	r.page_kib = 0;
	r.vmx_wait_ms = 0;
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
	case VB_IOC_CONFORM:
		return vb_ioctl_conform(uarg);
	case VB_IOC_HOLD:	/* test builds only, else -ENOTTY */
		return vb_ioctl_hold(uarg);
	case VB_IOC_GUEST_PROBE:	/* test builds only, else -ENOTTY */
		return vb_ioctl_guest_probe(uarg);
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

	/* the ABI's layout, as its header states it: no padding */
	BUILD_BUG_ON(sizeof(struct vb_point_desc) != 14 * sizeof(__u32));
	BUILD_BUG_ON(offsetof(struct vb_run, buf) != 72);
	BUILD_BUG_ON(sizeof(struct vb_run) != 560);
	BUILD_BUG_ON(sizeof(struct vb_exit_rec) != 48);
	/* vb_guest_asm.S: VB_GR_TSC_IN, VB_GR_TSC_OUT */
	BUILD_BUG_ON(offsetof(struct vb_guest_regs, tsc_in) != 80);
	BUILD_BUG_ON(offsetof(struct vb_guest_regs, tsc_out) != 88);
	err = vb_test_hooks_init();
	if (err)
		return err;
	err = vb_cover_init();
	if (err)
		goto out_test_hooks;
	err = misc_register(&vb_dev);
	if (err)
		goto out_cover;
	pr_info("version %s, ABI %d, /dev/%s%s\n", VB_MODULE_VERSION,
		VB_ABI_VERSION, VB_DEVICE_NAME, vb_test_hooks_note());
	return 0;

out_cover:
	vb_cover_exit();
out_test_hooks:
	vb_test_hooks_exit();
	return err;
}

static void __exit vb_exit(void)
{
	misc_deregister(&vb_dev);
	vb_test_hooks_exit();
	vb_cover_exit();
	vb_operand_exit();
}

module_init(vb_init);
module_exit(vb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VMPTRST microbenchmark");
MODULE_VERSION(VB_MODULE_VERSION);
