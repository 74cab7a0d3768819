/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `vmptrst-bench doctor`, between its units: doctor.c runs the checks in
 * order and prints the summary; doctorvmx.c checks the CPU, the module and
 * VMX; doctorhost.c the kernel (building and loading the module) and what
 * makes the numbers noisy; doctorline.c prints and counts each line.
 */
#ifndef VB_DOCTOR_H
#define VB_DOCTOR_H

#include "bench.h"

enum verdict { PASS, WARN, FAIL };

struct doctor {
	const struct vb_env *env;
	const char *root;
	unsigned int cpu;
	unsigned int n[3];
	int loaded;		/* the device opened and INFO answered */
	int have_info;
	struct vb_info info;
};

/* One line: "PASS  what: detail", "WARN  what: detail (fix: fix)". */
void vb_doctor_line(struct doctor *d, enum verdict v, const char *what,
		    const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* cpu, hypervisor, module, vt-x firmware, vmx owner, rdtscp */
void vb_doctor_vmx(struct doctor *d);
/*
 * kernel headers, module loading, secure boot, pmu, nmi watchdog, smt,
 * turbo, governor, isolation (after vb_doctor_vmx(): d->loaded is known)
 */
void vb_doctor_host(struct doctor *d);

#endif /* VB_DOCTOR_H */
