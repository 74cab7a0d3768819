/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's identity: CPUID (vendor, family/model/stepping, hypervisor),
 * microcode and model name from /proc and /sys, and pinning to a CPU.
 */
#ifndef VB_CPU_H
#define VB_CPU_H

#include <stddef.h>

#include "bench.h"

struct vb_cpu_id {
	char vendor[13];
	unsigned int family, model, stepping;	/* as Intel displays them */
	int hypervisor;				/* CPUID.1:ECX[31] */
	char hv_signature[13];			/* CPUID.40000000H, "" if none */
};

void vb_cpuid_native(unsigned int leaf, unsigned int sub, unsigned int r[4]);
int vb_pin_native(unsigned int cpu);	/* sched_setaffinity: 0 or -errno */

/* CPUID.1:EAX -> DisplayFamily, DisplayModel, Stepping (Intel SDM vol. 2A). */
void vb_cpu_decode_signature(unsigned int eax, unsigned int *family,
			     unsigned int *model, unsigned int *stepping);
void vb_cpu_identify(vb_cpuid_fn cpuid, struct vb_cpu_id *id);
/* CPUID.80000001H:EDX[27] (RDTSCP), the leaf checked against 80000000H. */
int vb_cpu_has_rdtscp(vb_cpuid_fn cpuid);

/* 0 with the value in buf, or -errno with "unknown" in buf. */
int vb_cpu_microcode(const char *root, unsigned int cpu, char *buf, size_t len);
int vb_cpu_model_name(const char *root, unsigned int cpu, char *buf, size_t len);

#endif /* VB_CPU_H */
