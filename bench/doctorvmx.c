// SPDX-License-Identifier: GPL-2.0
/*
 * `vmptrst-bench doctor`: can VMX measure on this CPU: the CPU and whether
 * it runs under a hypervisor, the module and its INFO, the firmware's
 * IA32_FEATURE_CONTROL, who owns VMX, RDTSCP.  See doctor.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
#include "doctor.h"
#include "sysstate.h"
#include "vmxowner.h"

#define FEAT_LOCK	(1ull << 0)
#define FEAT_VMX	(1ull << 2)	/* VMX outside SMX */
#define MSR_FEATURE_CONTROL	0x3a


static void check_cpu(struct doctor *d)
{
	struct vb_cpu_id id;
	unsigned int r[4];
	int vmx;

	vb_cpu_identify(d->env->cpuid, &id);
	d->env->cpuid(1, 0, r);
	vmx = !!(r[2] & (1u << 5));
	if (strcmp(id.vendor, "GenuineIntel"))
		vb_doctor_line(d, FAIL, "cpu", "run on an Intel CPU with VT-x",
			       "%s, family %u model %u: VMPTRST is Intel VMX only",
			       id.vendor, id.family, id.model);
	else if (!vmx)
		vb_doctor_line(d, FAIL, "cpu", id.hypervisor ? "enable nested virtualization for this guest (kvm_intel nested=1 on the host, and a CPU model with vmx), or run on the host" :
			       "run on a CPU with VT-x",
			       "GenuineIntel family %u model %u without VMX (CPUID.1:ECX.VMX = 0)%s",
			       id.family, id.model, id.hypervisor ?
			       ": the hypervisor hides it" : "");
	else
		vb_doctor_line(d, PASS, "cpu", NULL, "GenuineIntel family %u model %u stepping %u with VMX (CPUID.1:ECX.VMX = 1)",
			       id.family,
			       id.model, id.stepping);
	if (id.hypervisor)
		vb_doctor_line(d, WARN, "hypervisor", "run on bare metal for a machine's own numbers",
			       "running under a hypervisor (%s): every number would be a guest's, VMPTRST's cost including the VM exits",
			       id.hv_signature[0] ? id.hv_signature :
			       "unnamed");
	else
		vb_doctor_line(d, PASS, "hypervisor", NULL, "none (CPUID.1:ECX hypervisor bit clear): bare metal");
}

static void check_module(struct doctor *d)
{
	const struct vb_env *env = d->env;
	struct vb_dev dev;
	int ret;

	ret = vb_dev_open(&dev, env->dev_ops, env->dev_priv, env->device_path,
			  env->root);
	if (ret) {
		int absent = ret == -ENOENT || ret == -ENXIO || ret == -ENODEV;

		vb_doctor_line(d, FAIL, "module", absent ? "make -C kmod && sudo insmod kmod/vmptrst_bench.ko" : ret == -EACCES || ret == -EPERM ?
			       "run as root" : "see dmesg", "%s%s: %s", absent ?
			       "not loaded: " : "", env->device_path,
			       strerror(-ret));
		return;
	}
	ret = vb_dev_info(&dev, d->cpu, &d->info);
	if (ret) {
		char msg[512];

		vb_dev_explain(&dev, VB_OP_INFO, -ret, d->cpu, msg,
			       sizeof(msg));
		vb_doctor_line(d, FAIL, "module", ret == -EPROTO ||
			       ret == -EINVAL || ret == -ENOTTY ? "rebuild module and driver from one checkout, then rmmod and insmod" : ret == -EPERM ||
			       ret == -EACCES ? "run as root" : "see dmesg",
			       "%s", msg);
	} else {
		d->have_info = d->loaded = 1;
		vb_doctor_line(d, PASS, "module", NULL, "loaded (%s), version %s, ABI %u as the driver's",
			       env->device_path, d->info.module_version,
			       (unsigned int)VB_ABI_VERSION);
	}
	vb_dev_close(&dev);
}

/* IA32_FEATURE_CONTROL through root/dev/cpu/N/msr: 0 or -errno. */
static int read_msr(const char *root, unsigned int cpu, uint64_t *v)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/cpu/%u/msr", root, cpu);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, v, sizeof(*v), MSR_FEATURE_CONTROL);
	close(fd);
	if (n < 0)
		return -errno;
	return n == sizeof(*v) ? 0 : -EIO;
}

static void judge_feature_control(struct doctor *d, uint64_t fc,
				  const char *src)
{
	if ((fc & FEAT_LOCK) && (fc & FEAT_VMX))
		vb_doctor_line(d, PASS, "vt-x firmware", NULL, "enabled: IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX on; %s)",
			       fc, src);
	else if (fc & FEAT_LOCK)
		vb_doctor_line(d, FAIL, "vt-x firmware", "enable Intel Virtualization Technology (VT-x) in the firmware setup",
			       "disabled by firmware: IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX off; %s)",
			       fc, src);
	else
		vb_doctor_line(d, FAIL, "vt-x firmware", "enable VT-x in the firmware setup; a kernel from 5.6 on locks the MSR at boot",
			       "IA32_FEATURE_CONTROL = 0x%" PRIx64 " is not locked (%s): VMXON would fault",
			       fc, src);
}

static void check_firmware(struct doctor *d)
{
	uint32_t fl = d->info.flags;
	uint64_t fc = d->info.feature_control;
	int ret;

	/*
	 * The kernel's verdict (X86_FEATURE_VMX) weighs SMX/TXT too: VMX
	 * outside SMX on and still off means the kernel runs in SMX.
	 */
	if (d->have_info && (fl & VB_INFO_VMX) && !(fl & VB_INFO_KERNEL_VMX) &&
	    (fc & FEAT_LOCK) && (fc & FEAT_VMX)) {
		vb_doctor_line(d, FAIL, "vt-x firmware", "enable VT-x in the firmware setup (with Intel TXT: VT-x inside SMX too)", "firmware disabled VMX for the mode the kernel runs in: X86_FEATURE_VMX is clear though CPUID.1:ECX.VMX = 1 and IA32_FEATURE_CONTROL = 0x%" PRIx64 " allows VMX outside SMX (SMX/TXT considered; from the module's INFO)", fc);
		return;
	}
	if (d->have_info && (fl & VB_INFO_KERNEL_VMX) && (fc & FEAT_LOCK) &&
	    !(fc & FEAT_VMX)) {
		vb_doctor_line(d, PASS, "vt-x firmware", NULL, "enabled for the kernel's mode: X86_FEATURE_VMX set, IA32_FEATURE_CONTROL = 0x%" PRIx64 " (locked, VMX outside SMX off: VMX inside SMX, Intel TXT; from the module's INFO)", fc);
		return;
	}
	if (d->have_info) {
		judge_feature_control(d, fc, "from the module's INFO");
		return;
	}
	ret = read_msr(d->root, d->cpu, &fc);
	if (!ret) {
		char src[64];

		snprintf(src, sizeof(src), "from /dev/cpu/%u/msr", d->cpu);
		judge_feature_control(d, fc, src);
		return;
	}
	vb_doctor_line(d, WARN, "vt-x firmware", ret == -ENOENT ||
		       ret == -ENXIO || ret == -ENODEV ? "load the module and run 'vmptrst-bench info', or 'modprobe msr' and 'rdmsr 0x3a' (msr-tools): bits 0 and 2 must be set" : "as root: 'vmptrst-bench info' with the module loaded, or 'rdmsr 0x3a' (msr-tools): bits 0 and 2 must be set",
		       "unknown: no module INFO, and /dev/cpu/%u/msr: %s",
		       d->cpu, strerror(-ret));
}

#define KVM_FIX "'rmmod kvm_intel kvm' (no VM may run), or on Linux 6.12+ keep kvm with VMX off: 'modprobe kvm enable_virt_at_load=0' (kvm.enable_virt_at_load=0 at boot)"

static void check_kvm(struct doctor *d)
{
	enum vb_tri kvm = vb_kvm_intel_loaded(d->root);
	enum vb_tri at_load = vb_sys_bool(d->root, "/sys/module/kvm/parameters/enable_virt_at_load");
	enum vb_vmx_block b = d->have_info ? vb_vmx_block(&d->info) :
			      VB_BLOCK_NONE;
	enum vb_vmx_owner o = vb_vmx_owner(d->have_info ? &d->info : NULL,
					   d->root);

	if (b == VB_BLOCK_STUCK)
		vb_doctor_line(d, FAIL, "vmx owner", "reboot before measuring on it", "CPU %u was left in VMX operation after VMXOFF failed (INFO: cpu_stuck): the module refuses RUNs there", d->cpu);
	else if (b == VB_BLOCK_IN_USE)
		vb_doctor_line(d, FAIL, "vmx owner", vb_vmx_fix(b, o, 1), "VMX is already on on CPU %u (CR4.VMXE, from INFO): %s", d->cpu, vb_vmx_cause(b, o));
	else if (b == VB_BLOCK_NO_COVER)
		vb_doctor_line(d, FAIL, "vmx owner", vb_vmx_fix(b, o, 1), "%s (INFO: no_cover on CPU %u)", vb_vmx_cause(b, o), d->cpu);
	else if (kvm == VB_YES && at_load == VB_YES && !d->have_info)
		vb_doctor_line(d, FAIL, "vmx owner", KVM_FIX, "kvm_intel is loaded with enable_virt_at_load=Y (Linux 6.12+): VMX is on on every CPU");
	else if (kvm == VB_YES)
		vb_doctor_line(d, WARN, "vmx owner", "unload it ('rmmod kvm_intel kvm'), start no VM during a run, or run with --wait-vmx SECONDS", "kvm_intel is loaded%s, VMX %s: a VM started during a run takes VMX and stops the run there", at_load == VB_NO ? " with enable_virt_at_load=N" : at_load == VB_UNKNOWN ? " (before 6.12: VMX on only while a VM exists)" : "", d->have_info ? "off on this CPU now (INFO)" : "off until a VM starts");
	else if (kvm == VB_UNKNOWN && !d->have_info)
		vb_doctor_line(d, WARN, "vmx owner", "'lsmod | grep kvm_intel'; load the module and run 'vmptrst-bench info'", "unknown: neither /proc/modules nor /sys/module readable, and no module INFO");
	else
		vb_doctor_line(d, PASS, "vmx owner", NULL,
			       "kvm_intel not loaded%s", d->have_info ?
			       "; VMX off on this CPU (INFO)" : "");
}

/* serialize=cpuid ends its bracket in RDTSCP: without it, skipped. */
static void check_rdtscp(struct doctor *d)
{
	int have = d->have_info ? !!(d->info.flags & VB_INFO_RDTSCP) :
		   vb_cpu_has_rdtscp(d->env->cpuid);
	const char *src = d->have_info ? "the module's INFO" :
			  "CPUID.80000001H:EDX[27]";

	if (have)
		vb_doctor_line(d, PASS, "rdtscp", NULL, "present (%s)", src);
	else
		vb_doctor_line(d, WARN, "rdtscp", "use serialize=lfence or mfence", "absent (%s): serialize=cpuid points will be skipped", src);
}

/* mode=guest needs VPID and INVVPID, which only the module can read. */
static void check_guest(struct doctor *d)
{
	if (!d->have_info || !(d->info.flags & VB_INFO_VMX))
		vb_doctor_line(d, WARN, "vmx guest", "load the module: make run does", "unknown without the module's INFO on a CPU with VMX: mode=guest needs VPID and INVVPID");
	else if (d->info.flags & VB_INFO_GUEST)
		vb_doctor_line(d, PASS, "vmx guest", NULL, "VPID and INVVPID present (the module's INFO): mode=guest can run");
	else
		vb_doctor_line(d, WARN, "vmx guest", "measure mode=root only", "no VPID or INVVPID (the module's INFO): mode=guest points will be skipped");
}

void vb_doctor_vmx(struct doctor *d)
{
	check_cpu(d);
	check_module(d);
	check_firmware(d);
	check_kvm(d);
	check_rdtscp(d);
	check_guest(d);
}
