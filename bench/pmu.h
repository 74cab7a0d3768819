/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PMU event names through libpfm4: a name as the user writes it
 * (INST_RETIRED.ANY, pmu::EVENT:UMASK, cpu-clock) into the perf_event_attr
 * words the module takes, with libpfm4's own error and the closest names it
 * knows; the PMU of a hybrid CPU's core type; the generic counters of a
 * PMU; the list of what this CPU offers.  libpfm4 honours LIBPFM_FORCE_PMU
 * when it initialises (vb_pmu_init), which the tests use.
 */
#ifndef VB_PMU_H
#define VB_PMU_H

#include <stddef.h>
#include <stdio.h>

#include "keys.h"

struct vb_event_enc {
	char name[VB_EVENT_NAME_MAX];	/* as the user wrote it */
	char fstr[256];			/* libpfm4's fully qualified name */
	char pmu[32];			/* libpfm4's PMU name */
	struct vb_event ev;		/* what the module gets */
	int hw;				/* needs a hardware counter */
	unsigned int counters;		/* generic counters of its PMU, 0: unknown */
};

/* 0, or -1 with libpfm4's reason in err.  Once; vb_pmu_fini undoes it. */
int vb_pmu_init(char *err, size_t len);
void vb_pmu_fini(void);

/*
 * Encodes name for libpfm4's PMU `pmu` (NULL: libpfm4's own choice among
 * the active PMUs; ignored when name says pmu::).  0, or -1 with
 * "libpfm4's message (did you mean A, B?)" in err.
 */
int vb_pmu_encode(const char *name, const char *pmu, struct vb_event_enc *out,
		  char *err, size_t len);

/*
 * The closest event names libpfm4 knows (EVENT and EVENT:UMASK of the
 * active PMUs, or of pmu:: when name has one), best first, ", "-joined in
 * buf in the user's spelling (. or :); 0 when none is close.
 */
unsigned int vb_pmu_suggest(const char *name, char *buf, size_t len);

/*
 * The perf PMU of cpu's core type on a hybrid CPU, from
 * root/sys/bus/event_source/devices/{cpu_core,cpu_atom}/cpus: "cpu_core",
 * "cpu_atom", or NULL (not hybrid, or cpu in neither list).
 */
const char *vb_pmu_core_type(const char *root, unsigned int cpu);
/* libpfm4's PMU for a core type ("cpu_core" -> "adl_glc"), or NULL. */
const char *vb_pmu_for_core_type(const char *core_type);

/* 1 if cpu is in the cpulist text ("0-3,8,10-11"), else 0. */
int vb_cpulist_has(const char *list, unsigned int cpu);

/*
 * Prints "NAME  description" for every event and umask of the active PMUs
 * whose name matches pattern (NULL: all; a substring, or a glob with * ?
 * [, case-insensitive; EVENT.UMASK matches EVENT:UMASK too).  Returns how
 * many, or -1 with the reason in err.
 */
int vb_pmu_list(FILE *f, const char *pattern, char *err, size_t len);

#endif /* VB_PMU_H */
