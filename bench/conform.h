/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conformance table: what VMPTRST did on every branch of the reference
 * page (shared/reference/VMPTRST.txt) beside what the page says.
 * conform.c: the 14 branches in conformance.csv's order, the verdict
 * rules and the CSV writer; conformprobe.c gathers the observations (the
 * module's CONFORM at CPL 0, ring 3 in 64-bit and compatibility mode, a
 * guest RUN for VMX non-root); conformcmd.c is `vmptrst-bench conform`
 * and the table `run` writes into every run folder.
 */
#ifndef VB_CONFORM_H
#define VB_CONFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "ring3.h"

struct vb_meta;

/* The branches, conformance.csv's rows in order. */
enum vb_cbranch {
	VB_CB_OUTSIDE_CPL0,	/* the module: VB_BR_OUTSIDE_VMX */
	VB_CB_OUTSIDE_CPL3,	/* ring 3, VMX off */
	VB_CB_STORE,		/* the module: VB_BR_STORE ... */
	VB_CB_NO_VMCS,
	VB_CB_LOCK,
	VB_CB_REGISTER,
	VB_CB_NONCANON_DS,
	VB_CB_NONCANON_SS,
	VB_CB_PF_NOT_PRESENT,
	VB_CB_PF_READ_ONLY,
	VB_CB_PF_SPLIT,		/* ... the module: VB_BR_PF_SPLIT */
	VB_CB_CPL3_VMX_64,	/* ring 3, VMX on: 64-bit mode */
	VB_CB_CPL3_VMX_COMPAT,	/* ring 3, VMX on: compatibility mode */
	VB_CB_NON_ROOT,		/* a guest RUN's VM exit */
	VB_CB_COUNT
};

/* Vectors: the exception's number, or one of these. */
#define VB_VEC_NONE	(-1)	/* completed: VMsucceed */
#define VB_VEC_EXIT	(-2)	/* a VM exit */

struct vb_cbranch_def {
	const char *name;
	unsigned int cpl;
	const char *operation;	/* outside-vmx, vmx-root, vmx-non-root */
	const char *condition;	/* the page's words */
	int vector;		/* what the page says */
	const char *error_code;	/* ... its error code ("" none) */
	int module;		/* enum vb_branch of the module's row, or -1 */
};

extern const struct vb_cbranch_def vb_cbranches[VB_CB_COUNT];

enum vb_verdict { VB_AS_DOCUMENTED, VB_DIFFERS, VB_NOT_REACHABLE,
		  VB_VERDICT_COUNT };
extern const char *const vb_verdict_names[VB_VERDICT_COUNT + 1];

/* What one branch's execution showed. */
struct vb_cobs {
	int ran;		/* executed: what follows holds */
	int vector;		/* the exception, VB_VEC_NONE or VB_VEC_EXIT */
	char error_code[96];	/* as observed; "" not observable or none */
	int code_hidden;	/* a fault whose error code the module's
				   exception fixup does not see */
	int mem;		/* before/after: the 8 bytes of the destination */
	int reg;		/* before/after: RAX (the register form) */
	uint64_t address, before, after;
	uint64_t expected;	/* what a completed execution must store */
	int has_cr2;
	uint64_t cr2;
	int has_flags;		/* rflags: after a completion */
	uint64_t rflags;
	int rdseed;		/* CPUID.(EAX=7,ECX=0):EBX[18] on that CPU */
	uint32_t exits;		/* a guest record's VM exits */
	uint32_t exit_reason;	/* the last one's */
	const char *exit_wrong;	/* vb_exit_rec_invalid()'s field, or NULL */
	char note[400];		/* not reachable: why (never empty); else a
				   note for the reason column */
};

struct vb_conformance {
	unsigned int cpu;
	struct vb_cobs obs[VB_CB_COUNT];
	/* vb_conform_judge(): */
	enum vb_verdict verdict[VB_CB_COUNT];
	char reason[VB_CB_COUNT][640];
	unsigned int count[VB_VERDICT_COUNT];
};

/* Where the observations come from (conformprobe.c). */
struct vb_conf_src {
	const struct vb_env *env;
	struct vb_dev *dev;		/* the module, open; NULL: none */
	const char *nodev;		/* ...why not, for its rows */
	const struct vb_info *info;	/* INFO of cpu, or NULL */
	unsigned int cpu;		/* the caller is pinned there */
	int user;			/* --backend user: no module */
};

/*
 * Every branch on s->cpu observed, or not reachable with why: the module's
 * CONFORM (CPL 0), a guest RUN (VMX non-root), VMPTRST at CPL 3 on this
 * thread (outside VMX; in VMX root when another hypervisor has VMX on, or
 * while the tests' build's HOLD keeps it on: SIGINT and the like wait for
 * the release); then judged.  Never fails: a failure is a row's reason.
 */
void vb_conform_probe(const struct vb_conf_src *s, struct vb_conformance *c);

/* Row o not executed: why (printf). */
void vb_cobs_unreachable(struct vb_cobs *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The verdict of branch b's observation and why (the reason column). */
enum vb_verdict vb_conform_verdict(enum vb_cbranch b, const struct vb_cobs *o,
				   char *reason, size_t len);
/* Every row's verdict and reason, and the counts. */
void vb_conform_judge(struct vb_conformance *c);

/* The arithmetic flags set in rflags, "CF PF AF ZF SF OF" in that order,
   or "none". */
const char *vb_flags_set(uint64_t rflags, char *buf, size_t len);
/* "#UD", "#GP", "#SS", "#PF", "none", "vm-exit", "vector N". */
const char *vb_vector_name(int vector, char *buf, size_t len);
/* The page's error code of branch b ("reason 22" from vb_guest_exit_want()). */
const char *vb_cbranch_code(enum vb_cbranch b, char *buf, size_t len);
/* memory_changed: "no", "yes", "partial" (pf-split: the first page's
   bytes alone), "" (no destination in memory, or not executed). */
const char *vb_cobs_memory(enum vb_cbranch b, const struct vb_cobs *o);

/* conformance.csv: the header and the 14 rows.  0, or -1 (errno). */
int vb_conform_csv(FILE *f, const struct vb_conformance *c);
/* The terminal's table: a line per branch (branch, expected, observed,
   verdict, reason). */
void vb_conform_print(FILE *f, const struct vb_conformance *c);
/* "N as documented, N differ, N not reachable here". */
const char *vb_conform_counts(const struct vb_conformance *c, char *buf,
			      size_t len);

/* DIR/conformance.csv, written to a .tmp and renamed: 0, or -1 and msg. */
int vb_conform_write(const struct vb_conformance *c, const char *dir,
		     char *msg, size_t len);
/*
 * `run`, before its sweep (pinned to s->cpu, its device and INFO in s):
 * dir/conformance.csv and meta.csv's `conformance` (what it holds, or why
 * it is missing); a progress line on a terminal.  Never stops the run: a
 * file that cannot be written is one warning line.
 */
void vb_run_conformance(const struct vb_conf_src *s, const char *dir,
			struct vb_meta *meta);

#endif /* VB_CONFORM_H */
