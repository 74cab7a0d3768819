// SPDX-License-Identifier: GPL-2.0
/* `vmptrst-bench info`, `selftest` and `events`: look, don't measure. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "commands.h"
#include "diag.h"
#include "pmu.h"
#include "vmxowner.h"

static int open_dev(struct vb_dev *dev, const struct vb_opts *o,
		    const struct vb_env *env)
{
	int ret = vb_dev_open(dev, env->dev_ops, env->dev_priv,
			      env->device_path, env->root);

	if (ret) {
		char msg[512];

		vb_dev_explain(dev, VB_OP_OPEN, -ret, o->cpu, msg, sizeof(msg));
		vb_err(env, "%s", msg);
	}
	return ret;
}

static const char *yes_no(int b)
{
	return b ? "yes" : "no";
}

static const char *memtype_name(uint32_t t)
{
	return t == 0 ? "UC" : t == 6 ? "WB" : "other";
}

static void print_info(const struct vb_info *in, unsigned int cpu,
		       const char *root, FILE *f)
{
	uint32_t fl = in->flags;
	char why[1024];

	fprintf(f, "cpu              %u\n", cpu);
	fprintf(f, "vmx              %s\n", yes_no(fl & VB_INFO_VMX));
	fprintf(f, "kernel vmx       %s\n", (fl & VB_INFO_KERNEL_VMX) ? "yes (X86_FEATURE_VMX: the kernel found VMX enabled for its mode)" : "no (X86_FEATURE_VMX clear: firmware disabled VMX for the kernel's mode, SMX/TXT considered)");
	fprintf(f, "vmx in use       %s%s\n", yes_no(fl & VB_INFO_VMX_IN_USE),
		(fl & VB_INFO_VMX_IN_USE) ?
		" (CR4.VMXE set: another hypervisor owns VMX)" : "");
	fprintf(f, "kvm              %s\n", (fl & VB_INFO_KVM) ? "loaded (it owns the kernel's crash-time VMXOFF callback)" : "not loaded");
	fprintf(f, "crash cover      %s\n", (fl & VB_INFO_NO_COVER) ? "no (KVM holds the kernel's crash-time VMXOFF callback: a RUN is refused)" : "yes (a crash or kdump during a RUN turns VMX off)");
	fprintf(f, "cpu stuck        %s\n", (fl & VB_INFO_CPU_STUCK) ? "yes (VMXOFF failed earlier: left in VMX operation, RUNs refused until reboot)" : "no");
	fprintf(f, "rdtscp           %s\n", (fl & VB_INFO_RDTSCP) ? "yes" : "no (serialize=cpuid points are skipped)");
	fprintf(f, "feature control  0x%016" PRIx64 " (%s, VMX outside SMX %s)\n",
		(uint64_t)in->feature_control,
		(fl & VB_INFO_FEAT_LOCKED) ? "locked" : "not locked",
		(fl & VB_INFO_FEAT_VMX) ? "enabled" : "disabled");
	if (in->flags & VB_INFO_VMX_BASIC) {
		fprintf(f, "vmx basic        0x%016" PRIx64 "\n",
			(uint64_t)in->vmx_basic);
		fprintf(f, "  vmcs revision  %" PRIu32 "\n", in->vmcs_revision);
		fprintf(f, "  vmcs size      %" PRIu32 " bytes\n",
			in->vmcs_size);
		fprintf(f, "  vmcs memtype   %" PRIu32 " (%s)\n",
			in->vmcs_memtype, memtype_name(in->vmcs_memtype));
	} else {
		fprintf(f, "vmx basic        unavailable\n");
	}
	if (in->tsc_khz)
		fprintf(f, "tsc khz          %" PRIu32 "\n", in->tsc_khz);
	else
		fprintf(f, "tsc khz          unknown\n");
	fprintf(f, "online cpus      %" PRIu32 "\n", in->online_cpus);
	fprintf(f, "max samples      %" PRIu32 "\n", in->max_samples);
	fprintf(f, "module version   %s\n", in->module_version);
	fprintf(f, "abi              %" PRIu32 " (driver %u)\n",
		in->abi_version, (unsigned int)VB_ABI_VERSION);
	if (vb_info_refuses(in, cpu, root, why, sizeof(why)))
		fprintf(f, "run              not possible: %s\n", why);
	else
		fprintf(f, "run              possible\n");
}

int vb_cmd_info(const struct vb_opts *o, const struct vb_env *env)
{
	struct vb_info info;
	struct vb_dev dev;
	int ret;

	if (open_dev(&dev, o, env))
		return VB_EXIT_ERROR;
	ret = vb_dev_info(&dev, o->cpu, &info);
	if (ret) {
		char msg[512];

		vb_dev_explain(&dev, VB_OP_INFO, -ret, o->cpu, msg, sizeof(msg));
		vb_dev_close(&dev);
		vb_err(env, "%s", msg);
		return VB_EXIT_ERROR;
	}
	vb_dev_close(&dev);
	print_info(&info, o->cpu, env->root, env->out);
	return VB_EXIT_OK;
}

const char *vb_trap_name(int trap)
{
	switch (trap) {
	case -1:	return "no fault";
	case 6:		return "#UD";
	case 12:	return "#SS";
	case 13:	return "#GP";
	case 14:	return "#PF";
	default:	return "unexpected vector";
	}
}

int vb_cmd_selftest(const struct vb_opts *o, const struct vb_env *env)
{
	struct vb_selftest st;
	struct vb_dev dev;
	int ret, pass;

	if (open_dev(&dev, o, env))
		return VB_EXIT_ERROR;
	ret = vb_dev_selftest(&dev, o->cpu, &st);
	if (ret) {
		char msg[512];

		vb_dev_explain(&dev, VB_OP_SELFTEST, -ret, o->cpu, msg,
			       sizeof(msg));
		vb_dev_close(&dev);
		vb_err(env, "%s", msg);
		return VB_EXIT_ERROR;
	}
	vb_dev_close(&dev);
	pass = st.trap == 6 && st.operand == st.poison;
	fprintf(env->out, "cpu      %u\n", o->cpu);
	fprintf(env->out, "trap     %" PRId32 " (%s)\n", st.trap,
		vb_trap_name(st.trap));
	fprintf(env->out, "poison   0x%016" PRIx64 "\n", (uint64_t)st.poison);
	fprintf(env->out, "operand  0x%016" PRIx64 " (%s)\n",
		(uint64_t)st.operand,
		st.operand == st.poison ? "unchanged" : "overwritten");
	fprintf(env->out, "result   %s\n", pass ? "pass: VMPTRST outside VMX operation raised #UD and stored nothing" : "FAIL: expected #UD with the operand unchanged");
	if (!pass)
		vb_err(env, "selftest failed on CPU %u: trap %" PRId32 " (%s), operand %s",
		       o->cpu, st.trap, vb_trap_name(st.trap),
		       st.operand == st.poison ? "unchanged" : "overwritten");
	return pass ? VB_EXIT_OK : VB_EXIT_CHECK;
}

int vb_cmd_events(const struct vb_opts *o, const struct vb_env *env)
{
	char err[256];
	int n = vb_pmu_list(env->out, o->pattern, err, sizeof(err));

	if (n < 0) {
		vb_err(env, "events: %s", err);
		return VB_EXIT_ERROR;
	}
	if (n == 0) {
		vb_err(env, "events: %s", o->pattern ? "no event matches that pattern (a substring or a glob, any case)" :
		       "libpfm4 knows no event on this CPU");
		return VB_EXIT_ERROR;
	}
	return VB_EXIT_OK;
}
