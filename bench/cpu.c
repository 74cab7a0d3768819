// SPDX-License-Identifier: GPL-2.0
/* The CPU's identity: see cpu.h. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "sysfs.h"

void vb_cpuid_native(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

int vb_pin_native(unsigned int cpu)
{
	cpu_set_t set;

	if (cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

void vb_cpu_decode_signature(unsigned int eax, unsigned int *family,
			     unsigned int *model, unsigned int *stepping)
{
	unsigned int fam = (eax >> 8) & 0xf, mod = (eax >> 4) & 0xf;

	*stepping = eax & 0xf;
	*family = fam == 0xf ? fam + ((eax >> 20) & 0xff) : fam;
	*model = (fam == 0x6 || fam == 0xf) ? mod + (((eax >> 16) & 0xf) << 4)
					    : mod;
}

static void regs_string(char *dst, unsigned int a, unsigned int b,
			unsigned int c)
{
	memcpy(dst, &a, 4);
	memcpy(dst + 4, &b, 4);
	memcpy(dst + 8, &c, 4);
	dst[12] = '\0';
}

int vb_cpu_has_rdtscp(vb_cpuid_fn cpuid)
{
	unsigned int r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000001 || r[0] > 0x8000ffff)
		return 0;
	cpuid(0x80000001, 0, r);
	return !!(r[3] & (1u << 27));
}

void vb_cpu_identify(vb_cpuid_fn cpuid, struct vb_cpu_id *id)
{
	unsigned int r[4];

	memset(id, 0, sizeof(*id));
	cpuid(0, 0, r);
	regs_string(id->vendor, r[1], r[3], r[2]);	/* EBX, EDX, ECX */
	if (r[0] >= 1) {
		cpuid(1, 0, r);
		vb_cpu_decode_signature(r[0], &id->family, &id->model,
					&id->stepping);
		id->hypervisor = !!(r[2] & (1u << 31));
	}
	if (id->hypervisor) {
		cpuid(0x40000000, 0, r);
		regs_string(id->hv_signature, r[1], r[2], r[3]);
	}
}

int vb_cpu_microcode(const char *root, unsigned int cpu, char *buf, size_t len)
{
	char path[96];
	int ret;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%u/microcode/version", cpu);
	ret = vb_sys_read_line(root, path, buf, len);
	if (ret || !*buf)
		ret = vb_cpuinfo_field(root, cpu, "microcode", buf, len);
	if (ret || !*buf) {
		snprintf(buf, len, "unknown");
		return ret ? ret : -ENODATA;
	}
	return 0;
}

int vb_cpu_model_name(const char *root, unsigned int cpu, char *buf, size_t len)
{
	int ret = vb_cpuinfo_field(root, cpu, "model name", buf, len);

	if (ret || !*buf) {
		snprintf(buf, len, "unknown");
		return ret ? ret : -ENODATA;
	}
	return 0;
}
