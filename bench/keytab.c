// SPDX-License-Identifier: GPL-2.0
/*
 * The table of sweep keys (see keys.h): each key's name, type, range, value
 * names, default and help, and the longer text of the key reference
 * (keyref.c).  The one place a key or a value is described.
 */
#define _GNU_SOURCE	/* CPU_SETSIZE */
#include <sched.h>
#include <stddef.h>

#include "keys.h"

const char *const vb_insn_names[VB_INSN_COUNT + 1] = {
	[VB_INSN_NONE] = "none",
	[VB_INSN_VMPTRST] = "vmptrst",
	[VB_INSN_MOV] = "mov",
	[VB_INSN_ADD] = "add",
	[VB_INSN_IMUL] = "imul",
	[VB_INSN_CHASE] = "chase",
};

const char *const vb_vmcs_names[VB_VMCS_COUNT + 1] = {
	[VB_VMCS_LOADED] = "loaded",
	[VB_VMCS_NONE] = "none",
};

const char *const vb_serialize_names[VB_SER_COUNT + 1] = {
	[VB_SER_LFENCE] = "lfence",
	[VB_SER_CPUID] = "cpuid",
	[VB_SER_MFENCE] = "mfence",
};

const char *const vb_cache_names[VB_CACHE_COUNT + 1] = {
	[VB_CACHE_HOT] = "hot",
	[VB_CACHE_FLUSHED] = "flushed",
	[VB_CACHE_FLUSHOPT] = "flushopt",
};

const char *const vb_memtype_names[VB_MEM_COUNT + 1] = {
	[VB_MEM_WB] = "wb",
	[VB_MEM_WC] = "wc",
	[VB_MEM_UC_MINUS] = "uc-",
	[VB_MEM_WT] = "wt",
};

const char *const vb_pagesize_names[VB_PAGE_COUNT + 1] = {
	[VB_PAGE_4K] = "4k",
	[VB_PAGE_2M] = "2m",
	[VB_PAGE_1G] = "1g",
};

const char *const vb_tlb_names[VB_TLB_COUNT + 1] = {
	[VB_TLB_WARM] = "warm",
	[VB_TLB_COLD] = "cold",
};

const char *const vb_ad_names[VB_AD_COUNT + 1] = {
	[VB_AD_SET] = "set",
	[VB_AD_CLEAR] = "clear",
};

const char *const vb_bool_names[3] = { "no", "yes", NULL };

const char *const vb_offset_names[VB_OFF_NAMES + 1] = {
	[VB_OFF_ALIGNED] = "aligned",
	[VB_OFF_MISALIGNED] = "misaligned",
	[VB_OFF_LINE_SPLIT] = "line-split",
	[VB_OFF_PAGE_SPLIT] = "page-split",
};

#define ENUM_KEY(n, names_, def_, arg_, help_) \
	{ n, VB_KT_ENUM, 1, 0, 0, names_, def_, arg_, help_ }

const struct vb_key_def vb_keys[VB_KEY_COUNT] = {
	[VB_KEY_INSTRUCTION] = ENUM_KEY("instruction", vb_insn_names,
		"vmptrst", "INSN", "instruction under test; mov is the control store, none the baseline alone (the others interleave the baseline); add, imul and chase are known-latency references (1-cycle add chain, 3-cycle imul chain, L1 pointer chase) for measuring the harness"),
	[VB_KEY_CPU] = { "cpu", VB_KT_UINT, 1, 0, CPU_SETSIZE - 1, NULL, "0",
		"CPUS", "target CPU(s), run one after the other, each pinned; a list may hold ranges (0-3)" },
	[VB_KEY_OFFSET] = { "offset", VB_KT_OFFSET, 1, 0,
		VB_MAX_OFFSET(VB_PAGE_1G), vb_offset_names, "0", "OFFSET",
		"operand offset, bytes (offset + 8 <= 8192 for 4k pages, <= 4 MiB for 2m and 1g), or aligned (0), misaligned (1), line-split (60), page-split (page size - 4; not with 1g)" },
	[VB_KEY_CACHE] = ENUM_KEY("cache", vb_cache_names, "hot", "STATE",
		"operand's cache lines before each window; flushed and flushopt need unroll 1"),
	[VB_KEY_MEMTYPE] = ENUM_KEY("memtype", vb_memtype_names, "wb", "TYPE",
		"memory type of the operand's pages (wt: always skipped, the kernel has no setter)"),
	[VB_KEY_PAGE] = ENUM_KEY("page", vb_pagesize_names, "4k", "SIZE",
		"size of the page that must map the operand"),
	[VB_KEY_TLB] = ENUM_KEY("tlb", vb_tlb_names, "warm", "STATE",
		"TLB state before each window; cold needs unroll 1"),
	[VB_KEY_AD] = ENUM_KEY("ad", vb_ad_names, "set", "STATE",
		"PTE accessed/dirty bits before each window; clear needs unroll 1 and page 4k"),
	[VB_KEY_VMCS] = ENUM_KEY("vmcs", vb_vmcs_names, "loaded", "STATE",
		"a current VMCS (loaded) or none (VMPTRST stores all ones)"),
	[VB_KEY_SERIALIZE] = ENUM_KEY("serialize", vb_serialize_names,
		"lfence", "SEQ", "serialisation around the timed block"),
	[VB_KEY_UNROLL] = { "unroll", VB_KT_POW2, 1, 1, VB_MAX_UNROLL, NULL,
		"1", "U", "instructions per timed window, a power of two" },
	[VB_KEY_SAMPLES] = { "samples", VB_KT_UINT, 0, 1, VB_MAX_SAMPLES,
		NULL, "10000", "N", "samples of the instruction per point; the interleaved baseline adds as many" },
	[VB_KEY_EVENTS] = { "events", VB_KT_EVENTS, 0, 0, VB_MAX_EVENT_NAMES,
		NULL, NULL, "LIST", "PMU events counted per sample, a comma list of libpfm4 names (EVENT.UMASK, pmu::EVENT:UMASK, cpu-clock; 'vmptrst-bench events' lists them), or none; more than the counters: several passes" },
	[VB_KEY_REQUIRE_EVENTS] = { "require-events", VB_KT_BOOL, 0, 0, 0,
		vb_bool_names, "no", NULL, "fail (exit 1) when no hardware counter can be created, instead of measuring the TSC only" },
	[VB_KEY_CROSS_CHECK] = { "cross-check", VB_KT_BOOL, 0, 0, 0,
		vb_bool_names, "no", NULL, "count the events from user space too (perf_event_open around each RUN) and compare in meta.csv" },
	[VB_KEY_WAIT_VMX] = { "wait-vmx", VB_KT_UINT, 0, 0,
		VB_MAX_WAIT_VMX_MS / 1000, NULL, "0", "SECONDS", "how long each RUN may wait, in all, while another hypervisor has VMX on on its CPU (KVM while it has VMs) or kvm keeps the module from covering a crash (6.12+); 0: refuse at once; a RUN still blocked stops the run there, its rows kept (exit 1)" },
};
