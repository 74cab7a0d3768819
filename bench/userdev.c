// SPDX-License-Identifier: GPL-2.0
/*
 * The user backend: see userdev.h.  This file is its INFO / RUN contract:
 * INFO, RUN's checks (the module's range checks, then what ring 3 refuses),
 * the pinning around a RUN, and the device operations.  The RUN itself, the
 * timing engine in its ring-3 environment, is userengine.c; its operand's
 * memory userpage.c; what it asks the CPU usermachine.c.
 */
#define _GNU_SOURCE	/* sched_setaffinity, CPU_SET */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usermachine.h"
#include "userengine.h"

#define VB_USER_FD	0x5642		/* a token for vb_dev_open(), not an fd */

/* ---- INFO -------------------------------------------------------------- */

int vb_user_info(struct vb_info *info)
{
	uint32_t cpu;
	long n;

	if (info->size != sizeof(*info))	/* any abi_version, as INFO */
		return -EINVAL;
	cpu = info->cpu;
	if (!vb_user_cpu_online(cpu))
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
	info->online_cpus = n > 0 ? (uint32_t)n : 0;
	info->max_samples = VB_MAX_SAMPLES;
	return 0;
}

/* ---- RUN's range checks, as the module's ------------------------------- */

/*
 * The module's range checks (vb_check_run in kmod/vb_main.c, the point's
 * in the ABI's vb_point_invalid()): -EINVAL.
 */
static int check_run(const struct vb_run *r)
{
	if (r->size != sizeof(*r) || r->abi_version != VB_ABI_VERSION ||
	    vb_point_invalid(&r->point) ||
	    r->flags || r->wait_vmx_ms > VB_MAX_WAIT_VMX_MS)
		return -EINVAL;
	if (r->nevents > VB_MAX_EVENTS || r->reserved2 ||
	    (r->nevents && !r->pmc_buf))
		return -EINVAL;
	if (r->win_len > VB_MAX_SAMPLES || (r->win_len && !r->win_buf))
		return -EINVAL;
	if (!r->buf || r->buf_len < VB_RECORDS_NEEDED(r->point.instruction,
							r->point.samples))
		return -EINVAL;
	return 0;
}

/* ---- RUN --------------------------------------------------------------- */

const char *vb_user_refusal(const struct vb_point_desc *p)
{
	if (p->instruction == VB_INSN_VMPTRST)
		return "instruction vmptrst: the user backend runs at ring 3, where VMPTRST raises #UD outside VMX operation and #GP(0) in VMX root operation (SDM, VMPTRST, Operation): never a measurement; measure it with the module, or use mov, none, add, imul or chase";
	if (vb_insn_is_family(p->instruction))
		return "instruction of the VMX family (vmptrld, vmclear, vmread, vmwrite, invvpid, invept, vmxon-vmxoff): VMX instructions need VMX root operation at ring 0 (the module); at ring 3 each raises #UD or #GP(0)";
	if (p->memtype != VB_MEM_WB)
		return "memtype other than wb: setting a page's memory type needs ring 0 (the module)";
	if (p->tlb == VB_TLB_COLD)
		return "tlb cold: INVLPG needs ring 0 (the module)";
	if (p->ad == VB_AD_CLEAR)
		return "ad clear: clearing PTE accessed/dirty bits needs ring 0 (the module)";
	return NULL;
}

const char *vb_user_skip(const struct vb_point_desc *p)
{
	if (p->mode == VB_MODE_GUEST)
		return "mode=guest needs the module (VMX non-root operation with the module as the guest's hypervisor): the user backend runs at ring 3 without VMX";
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
static int pin(uint32_t cpu, cpu_set_t *old)
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
	if (!vb_user_cpu_online(r->point.cpu))
		return -ENXIO;
	if (vb_user_skip(&r->point) || vb_user_refusal(&r->point))
		return -EOPNOTSUPP;
	reset_out(r);
	ret = pin(r->point.cpu, &old);
	if (ret)
		return ret;
	ret = vb_user_run_pinned(m && m->cpuid ? m : &vb_user_real_machine, r);
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
		return -EOPNOTSUPP;
	default:	/* HOLD too: a test build's ioctl, as in the module
			   users load */
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
