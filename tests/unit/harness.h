/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the unit test programs: a fake /dev/vmptrst_bench, a fake
 * CPUID and CPU pinning, captured stdout/stderr, and scratch directories.
 */
#ifndef VB_TEST_HARNESS_H
#define VB_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"

struct fake_dev {
	/* behaviour: positive errno values, 0 = succeed */
	int open_err, info_err, run_err, selftest_err;
	struct vb_info info;		/* INFO's answer (size/abi/cpu set by it) */
	uint32_t module_abi;		/* INFO answers this abi_version if set */
	int flags_change_after;		/* nonzero: INFO calls after this many */
	uint32_t changed_flags;		/* ...answer these flags instead */
	uint64_t expected, poison;
	uint32_t page_kib;		/* nonzero: report it; 0: the page asked */
	uint32_t skip_memtypes;		/* bits: VB_SKIP_MEMTYPE (WT by default) */
	uint32_t skip_pages;		/* bits: VB_SKIP_PAGE_SIZE, page_kib 4 */
	int no_clflushopt;		/* cache=flushopt: VB_SKIP_NO_CLFLUSHOPT */
	int no_rdtscp;			/* serialize=cpuid: VB_SKIP_NO_RDTSCP */
	int no_vpid;			/* mode=guest: VB_SKIP_NO_VPID */
	int fred;			/* mode=guest: VB_SKIP_FRED */
	uint32_t no_inv_types;		/* bits (1 << VB_TYPE_*): invvpid and
					   invept skip those types */
	uint32_t vmfail[8], n_vmfail;	/* family records in VMfail (flagged
					   VMFAIL and MISMATCH, counted) */
	uint32_t skipped_records;	/* a broken module: records when skipping */
	uint32_t bad[8], n_bad;		/* records with a wrong stored value */
	int flag_bad;			/* set VB_SAMPLE_MISMATCH on them */
	int32_t count_delta;		/* the module's count is off by this */
	/*
	 * mode=guest: exit_buf must be set (and 0 in mode root); each record
	 * of vmptrst, cpuid or vmcall gets unroll exits, the last one as the
	 * reference and the guest's encoding say; none and mov none.  The
	 * records in exit_bad[] get exit_fault wrong instead (counted and,
	 * with flag_bad, flagged as a module does).
	 */
	uint32_t exit_bad[8], n_exit_bad;
	enum fake_exit_fault {
		FAKE_EXIT_QUAL = 1,	/* qualification 0x1230 */
		FAKE_EXIT_INFO,		/* instruction information: base RAX */
		FAKE_EXIT_COUNT,	/* one exit fewer (none and mov: one) */
		FAKE_EXIT_REASON,	/* basic reason 12 (HLT) */
		FAKE_EXIT_LEN,		/* length one longer */
	} exit_fault;
	int exits_unwritten;		/* broken: in this RUN (1-based; -1:
					   every RUN) no exit record written */
	/*
	 * The exit/entry split of a record with exits: tsc_stored 20 ticks
	 * after its tsc_begin, tsc_handler_in 15 + i % 3 after that,
	 * tsc_handler_out 20 after that (exit half 15 + i % 3, entry half
	 * what is left to tsc_end).  The records in split_bad[] get their
	 * handler_in before tsc_stored instead, flagged VB_SAMPLE_SPLIT_BAD
	 * unless split_unflagged (a module that disagrees); split_flag_ok[]
	 * records keep their order but are flagged (the other way round).
	 */
	uint32_t split_bad[8], n_split_bad;
	int split_unflagged;
	uint32_t split_flag_ok[8], n_split_flag_ok;
	uint32_t stop_after;		/* nonzero: interrupted after so many */
	uint32_t stop_flag;		/* ...with this flag (0: VB_RUN_INTERRUPTED) */
	uint32_t vmx_wait_ms;		/* every RUN reports it waited so long */
	int raise_sig;			/* raise this signal inside RUN */
	int stop_at_run;		/* nonzero: those two only in this RUN (1-based) */
	int fail_at_run;		/* nonzero: run_err only in this RUN */
	/* events: values (config & 0xffff) * 100000 + record index */
	int hw_err;			/* errno for every non-software event */
	uint64_t err_config;		/* nonzero: the event with this config... */
	int err_config_errno;		/* ...fails with this errno */
	uint32_t pmc_invalid_every;	/* nonzero: records i % it == 0 invalid */
	/*
	 * noise: windows of 64 records, each described in win_buf while
	 * win_len allows: tsc_begin 1000 * first + 50, tsc_end 1000 * end
	 * + 150, mperf 2000000, aperf 2000000 + 100000 * window, smi 0, nmi
	 * the NMI-flagged records in it
	 */
	uint32_t nmi_rec[8], n_nmi;	/* records flagged VB_SAMPLE_NMI */
	uint32_t smi_window;		/* nonzero: window (1-based) with an SMI */
	int no_smi_msr;			/* smi VB_NOT_READ */
	int no_aperf;			/* aperf = mperf = 0 */
	uint32_t extra_windows;		/* counted beyond those described */
	uint32_t win_overrun;		/* broken: win_written beyond win_len */
	/*
	 * CONFORM answers conf[] (conf_rows of them): harness_init fills them
	 * as a CPU that does what the reference page says (fake_conf_good());
	 * a test changes a row, or skips one (fake_conf_skip()); conform_err
	 * fails the ioctl.
	 */
	int conform_err;
	struct vb_conf_row conf[VB_BR_COUNT];
	uint32_t conf_rows;
	/*
	 * HOLD: hold_err fails it (ENOTTY by default, as the module users load
	 * answers; EOPNOTSUPP: the tests' build without debug_hold=1; 0: with
	 * it), hold_off_err fails the release alone; held is the CPU held, -1
	 * none; hold_hook runs first in each HOLD.
	 */
	int hold_err, hold_off_err;
	int held;
	void (*hold_hook)(struct fake_dev *f, const struct vb_hold *h);
	/*
	 * A RUN without win_buf is the conformance table's vmx-non-root probe
	 * (bench/conformprobe.c): answered as a guest RUN (the machine's skips
	 * included) but counted apart (conf_runs, conf_run) and spared what the
	 * sweep's tests script (run_err, fail_at_run, stop_*, raise_sig, bad,
	 * exit_bad, run_hook); conf_run_err fails it, conf_exit_fault makes
	 * the exits of its VMPTRST records wrong.
	 */
	int conf_run_err;
	enum fake_exit_fault conf_exit_fault;
	/* called at the start of every RUN, before anything else */
	void (*run_hook)(struct fake_dev *f, const struct vb_run *run);
	void *hook_arg;
	struct vb_selftest st;		/* SELFTEST's answer */
	/* observations */
	int opens, closes, info_calls, run_calls, selftest_calls;
	int conform_calls, hold_calls, conf_runs;
	uint32_t conform_cpu, hold_log[8];	/* HOLD's hold values in order */
	int pinned_at_conform, pinned_at_hold;	/* fake_pinned_cpu then */
	struct vb_run conf_run;			/* the last probe RUN */
	struct vb_run last_run;
	struct vb_run runs[64];		/* the first 64 RUNs as asked */
	int pinned_at_run[64];		/* fake_pinned_cpu during each */
};

extern const struct vb_dev_ops fake_dev_ops;

/* The buffer of the fake module's CONFORM: its two 4 KiB pages. */
#define FAKE_CONF_BASE	0xffffc90000a40000ull
/* conf[] of a CPU that does what the page says (no RDSEED, CR0.WP set). */
void fake_conf_good(struct fake_dev *f);
/* Branch b not executed, for that reason. */
void fake_conf_skip(struct fake_dev *f, enum vb_branch b, enum vb_conf_skip why);

/* The cross-check's perf_event_open, faked: every read gives `count`. */
struct fake_perf {
	int open_err;			/* positive errno */
	uint64_t count;
	int multiplexed;		/* running < enabled */
	int opens, closes, reads;
	unsigned int cpu;		/* of the last open */
};

extern const struct vb_perf_ops fake_perf_ops;

/* VB_ABI_VERSION as a string, for expected messages. */
#define VB_STR_(x)	#x
#define VB_STR(x)	VB_STR_(x)
#define ABI_STR		VB_STR(VB_ABI_VERSION)

struct harness {
	struct fake_dev fake;
	struct fake_perf perf;
	struct vb_env env;
	FILE *out, *err;
	char *out_buf, *err_buf;
	size_t out_len, err_len;
	char dir[64];		/* scratch directory, removed by harness_fini */
};

extern unsigned int fake_cpuid_signature;	/* CPUID.1:EAX */
extern int fake_cpuid_hypervisor;
extern int fake_cpuid_no_vmx;			/* CPUID.1:ECX.VMX clear */
extern int fake_cpuid_no_rdtscp;		/* CPUID.80000001H:EDX[27] clear */
extern const char *fake_cpuid_vendor;		/* 12 characters */
extern const char *fake_cpuid_hv_signature;	/* 12 characters */
extern int fake_pin_err;			/* positive errno */
extern int fake_pinned_cpu;
void fake_cpuid(unsigned int leaf, unsigned int sub, unsigned int r[4]);

/*
 * Fake device with VMX usable (INFO: vmx, feat_locked, feat_vmx, vmx_basic,
 * kernel_vmx, rdtscp), fixture root "dell", streams captured.
 */
void harness_init(struct harness *h);
void harness_fini(struct harness *h);
/* cmocka group/test fixtures: a fresh harness in *state, freed after. */
int harness_setup(void **state);
int harness_teardown(void **state);
/* vb_main on a NULL-terminated argument list (without the program name). */
int harness_main(struct harness *h, ...);
/* h->dir/name, in a static buffer: a run's output directory. */
const char *harness_outdir(struct harness *h, const char *name);
/* meta.csv in dir holds the row "key,want" (an unquoted value). */
void assert_meta_row(const char *dir, const char *key, const char *want);
/* Lines in s (each ends in '\n'). */
size_t count_lines(const char *s);
/* Whole file, NUL-terminated, malloc'd; NULL if unreadable. */
char *slurp(const char *path);
char *slurp_in(const char *dir, const char *name);
int rm_rf(const char *path);
/*
 * Writes text to h->dir/root/rel, parents created; returns the tree's root
 * (h->dir/root, a static buffer) for env.root.
 */
const char *harness_put(struct harness *h, const char *rel, const char *text);
/* Writes text to h->dir/name; returns the path (malloc'd). */
char *harness_file(struct harness *h, const char *name, const char *text);

/*
 * libpfm4 reads LIBPFM_FORCE_PMU once per process (pfm_terminate does not
 * forget a forced PMU), so each forced PMU gets its own process: without
 * arguments the program runs itself once per group (fork + execv, so
 * valgrind --trace-children follows); with a group's name it runs that
 * group with LIBPFM_FORCE_PMU set to g->force (NULL: unset).
 */
struct CMUnitTest;
struct test_group {
	const char *name, *force;
	const struct CMUnitTest *tests;
	size_t n;
};
int run_test_groups(int argc, char **argv, const struct test_group *g,
		    size_t n);

/* Unquoted CSV as the driver writes it (CRLF, no quoted fields): rows
   of fields, the header row 0; a cell by row and column name. */
struct csv_table {
	char *text;
	char **cell;		/* rows * cols */
	size_t rows, cols;
};

void csv_table_read(struct csv_table *t, const char *dir, const char *name);
const char *csv_cell(const struct csv_table *t, size_t row, const char *col);
void csv_table_free(struct csv_table *t);

#endif /* VB_TEST_HARNESS_H */
