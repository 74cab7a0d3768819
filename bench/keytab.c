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
	[VB_INSN_CPUID] = "cpuid",
	[VB_INSN_VMCALL] = "vmcall",
	[VB_INSN_VMPTRLD] = "vmptrld",
	[VB_INSN_VMCLEAR] = "vmclear",
	[VB_INSN_VMREAD] = "vmread",
	[VB_INSN_VMWRITE] = "vmwrite",
	[VB_INSN_INVVPID] = "invvpid",
	[VB_INSN_INVEPT] = "invept",
	[VB_INSN_VMXON] = "vmxon-vmxoff",
	[VB_INSN_RDMSR] = "rdmsr",
	[VB_INSN_IO] = "io",
	[VB_INSN_XSETBV] = "xsetbv",
	[VB_INSN_INVD] = "invd",
	[VB_INSN_CR3_LOAD] = "cr3-load",
};

const char *const vb_mode_names[VB_MODE_COUNT + 1] = {
	[VB_MODE_ROOT] = "root",
	[VB_MODE_GUEST] = "guest",
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

/* "" is not applicable: an empty field, never a value to give (keys.h) */
const char *const vb_target_names[VB_TARGET_COUNT + 1] = {
	[VB_TARGET_NA] = "",
	[VB_TARGET_SAME] = "same",
	[VB_TARGET_OTHER] = "other",
	[VB_TARGET_CURRENT] = "current",
};

const char *const vb_field_names[VB_FIELD_COUNT + 1] = {
	[VB_FIELD_NA] = "",
	[VB_FIELD_GUEST_CS_SEL] = "guest-cs-sel",
	[VB_FIELD_EXCEPTION_BITMAP] = "exception-bitmap",
	[VB_FIELD_GUEST_DEBUGCTL] = "guest-debugctl",
	[VB_FIELD_GUEST_RIP] = "guest-rip",
	[VB_FIELD_VM_INSN_ERROR] = "vm-instruction-error",
};

const char *const vb_type_names[VB_TYPE_COUNT + 1] = {
	[VB_TYPE_NA] = "",
	[VB_TYPE_ADDRESS] = "address",
	[VB_TYPE_SINGLE] = "single",
	[VB_TYPE_ALL] = "all",
	[VB_TYPE_SINGLE_GLOBAL] = "single-global",
	[VB_TYPE_GLOBAL] = "global",
};

const char *const vb_bool_names[3] = { "no", "yes", NULL };

const char *const vb_offset_names[VB_OFF_NAMES + 1] = {
	[VB_OFF_ALIGNED] = "aligned",
	[VB_OFF_MISALIGNED] = "misaligned",
	[VB_OFF_LINE_SPLIT] = "line-split",
	[VB_OFF_PAGE_SPLIT] = "page-split",
};

/* An axis whose values are names. */
#define ENUM_KEY(n, names_, def_, arg_, help_, more_) { .name = n, \
	.type = VB_KT_ENUM, .axis = 1, .names = names_, .def = def_, \
	.arg = arg_, .help = help_, .more = more_ }
/* A variant of the family: by default every value the instruction takes. */
#define VARIANT_KEY(n, names_, arg_, help_, more_) { .name = n, \
	.type = VB_KT_ENUM, .axis = 1, .names = names_, \
	.def_doc = "every value the instruction takes", .arg = arg_, \
	.help = help_, .more = more_ }

/*
 * .help is the one line of --help (no markdown); .more, when set, follows
 * it in the key reference (keyref.c) only: markdown with `code` spans,
 * whole sentences.
 */
const struct vb_key_def vb_keys[VB_KEY_COUNT] = {
	[VB_KEY_INSTRUCTION] = ENUM_KEY("instruction", vb_insn_names,
		"vmptrst", "INSN",
		"instruction under test; mov is the control store, none the baseline alone (the others interleave the baseline); add, imul and chase are known-latency references (1-cycle add chain, 3-cycle imul chain, L1 pointer chase) for measuring the harness; cpuid, vmcall, rdmsr, io, xsetbv, invd and cr3-load are the VM-exit references of mode guest; vmptrld, vmclear, vmread, vmwrite, invvpid, invept and vmxon-vmxoff are VMPTRST's family (mode root, vmcs loaded), their variants in target, field and type",
		"`mov` is a plain 64-bit MOV store of the same value to the same operand, with the same setup. The interleaved baseline's rows say `instruction=none` with the point's number. `add` and `imul` are dependent chains. `cpuid` (basic exit reason 10), `vmcall` (18), `rdmsr` (31: RDMSR of IA32_SYSENTER_CS, never read, RAX and RDX set to 0), `io` (30: OUT of AL to port 0x80, never touched), `xsetbv` (55: XCR0, never written; skipped where the kernel runs with CR4.OSXSAVE clear), `invd` (13: never executed by the module) and `cr3-load` (28: MOV to CR3 of the guest's own CR3, never loaded) run in `mode = guest` only, where each is a VM-exit round trip like VMPTRST's (22), every exit's reason, qualification and length checked; `add`, `imul` and `chase` run in `mode = root` only. The family runs in `mode = root` with `vmcs = loaded` only, the module alone (`--backend user` refuses it): `vmptrld` and `vmclear` take a `target`, `vmread` and `vmwrite` a `field`, `invvpid` and `invept` a `type`; `vmxon-vmxoff` is VMXOFF then VMXON per copy, `unroll` 16 at most. Every record is checked as VMPTRST's store is: what the block left (the current VMCS, the field's value; nothing for `invvpid` and `invept`) against what the module expects, and RFLAGS after the block: a VMfail (CF or ZF set) is a mismatch, counted in meta.csv `vmfails`. The memory operand (the VMCS address, the 16-byte INVVPID/INVEPT descriptor, the VMXON region's address) sits at `offset` in the swept buffer, so `offset`, `cache`, `page` and the rest apply to it as to VMPTRST's destination. The MOV control pairs with `vmptrst` only: the family's costs are net of the baseline."),
	[VB_KEY_TARGET] = VARIANT_KEY("target", vb_target_names, "VMCS",
		"the VMCS a vmptrld or vmclear names: same (vmptrld: the current one again), other (a second VMCS of the module's), current (vmclear: the current one; unroll 1); only vmptrld and vmclear take it, each the listed values it takes",
		"`vmptrld` takes `same` and `other`, `vmclear` `current` and `other`. `vmptrld other` alternates between the second VMCS and the window's, the first copy loading the second (its record reads back the second after an odd number of copies, the window's after an even one); `vmclear current` leaves no current VMCS (all ones read back) and needs `unroll = 1`, since a second copy would clear a VMCS no longer current. The module makes the window's VMCS current again after each record. A group's other instructions have no target (an empty field in samples.csv and points.csv); a value that none of the group's instructions takes, or a `vmptrld` or `vmclear` left with none of its values, is an error naming the line (a `[global]` or command-line target is not an error in a group that sets its own `instruction` list without these: it applies where it applies)."),
	[VB_KEY_FIELD] = VARIANT_KEY("field", vb_field_names, "FIELD",
		"the VMCS field vmread reads or vmwrite writes (register forms), one of each width: guest-cs-sel (16-bit), exception-bitmap (32-bit control), guest-debugctl (64-bit), guest-rip (natural width), vm-instruction-error (32-bit read-only: vmread only); in mode guest, for vmptrst and the VM-exit references, the field the exit handler VMWRITEs before each VMRESUME (the dirty-VMCS cost): guest-cs-sel, exception-bitmap or guest-debugctl",
		"Encodings 0x0802, 0x4004, 0x2802, 0x681e and 0x4400 (SDM Vol. 3D, Appendix B). `vmread` reads back the value the module wrote before the window (`vm-instruction-error`: 12, left by a VMWRITE to an unsupported field); `vmwrite` writes the complement of what the field held, read back with VMREAD after the block. In `mode = guest` an instruction that exits (`vmptrst`, `cpuid`, `vmcall`, `rdmsr`, `io`, `xsetbv`, `invd`, `cr3-load`) takes the fields its group lists: the exit handler writes that field, with the value it already holds, before every VMRESUME, so `vmcall field=exception-bitmap` (a VM-execution control) against `vmcall field=guest-cs-sel` (guest state) against plain `vmcall` is the cost of a dirty VMCS; unset, the round trip is plain (the handler writes the guest's RIP only), and a `[global]` or command-line field meets such a group as it meets the family's. `guest-rip` and `vm-instruction-error` are refused there, and so is a field in a group whose modes are all `root`. Other instructions have no field; the rules of `target` on values and defaults hold here too."),
	[VB_KEY_TYPE] = VARIANT_KEY("type", vb_type_names, "TYPE",
		"the INVVPID or INVEPT type: address (individual address), single (single context), all (all contexts), single-global (single context retaining globals) for invvpid; single and global for invept; only they take it; a type this CPU does not offer is skipped",
		"The memory operand is the 16-byte descriptor (INVVPID: VPID 1 and the operand's own address; INVEPT: an EPTP of the module's own empty EPT), so `offset` + 16 must fit the page size's buffer. Nothing is read back: RFLAGS after the block is the check. IA32_VMX_EPT_VPID_CAP decides what the CPU offers; a type it lacks is `skipped` in points.csv with the reason. Other instructions have no type; the rules of `target` on values and defaults hold here too."),
	[VB_KEY_MODE] = ENUM_KEY("mode", vb_mode_names, "root", "MODE",
		"where the timed block runs: root, the module's own code in VMX root operation; guest, a minimal guest of the module's in VMX non-root operation, where each vmptrst or VM-exit reference (cpuid, vmcall, rdmsr, io, xsetbv, invd, cr3-load) is a VM exit that the module checks, emulates and resumes past",
		"With `guest` an unrolled block of N is N round trips through the module's exit handler (kmod/README.md, \"mode=guest: VMPTRST as a VM exit\"): the cost of a bare VM exit and VMRESUME with this module as the hypervisor, not that of KVM's nested emulation. Guest points take `instruction` `vmptrst`, the VM-exit references `cpuid`, `vmcall`, `rdmsr`, `io`, `xsetbv`, `invd` and `cr3-load` (each with a `field`, the exit handler's VMWRITE, where the group lists one), `mov` (the control: no exit) or `none`, `serialize` `lfence` or `mfence`, `vmcs = loaded`, `tlb = warm` and `ad = set`; any other combination is an error. Every record's last exit (reason, qualification, instruction information, length) and its count of exits are checked; points.csv has the last one's, samples.csv its split into an exit and an entry half (`exit_ticks`, `entry_ticks`). `--backend user` skips guest points (ring 3 has no VMX)."),
	[VB_KEY_CPU] = {
		.name = "cpu", .type = VB_KT_UINT, .axis = 1,
		.min = 0, .max = CPU_SETSIZE - 1, .def = "0", .arg = "CPUS",
		.help = "target CPU(s), run one after the other, each pinned; a list may hold ranges (0-3)",
	},
	[VB_KEY_OFFSET] = {
		.name = "offset", .type = VB_KT_OFFSET, .axis = 1,
		.min = 0, .max = VB_MAX_OFFSET(VB_PAGE_1G),
		.names = vb_offset_names, .def = "0", .arg = "OFFSET",
		.unit = "bytes",
		.help = "operand offset, bytes (offset + 8, or + 16 for invvpid and invept, <= 8192 for 4k pages, <= 4 MiB for 2m and 1g), or aligned (0), misaligned (1), line-split (60), page-split (page size - 4; not with 1g)",
		.more = "`line-split` puts the 8 bytes across a 64-byte line, `page-split` across the page boundary (the 2 MiB one on 2m). samples.csv and points.csv have the bytes.",
	},
	[VB_KEY_CACHE] = ENUM_KEY("cache", vb_cache_names, "hot", "STATE",
		"operand's cache lines before each sample; flushed and flushopt need unroll 1",
		"`flushed`: CLFLUSH, `flushopt`: CLFLUSHOPT (skipped on a CPU without it), each followed by MFENCE."),
	[VB_KEY_MEMTYPE] = ENUM_KEY("memtype", vb_memtype_names, "wb", "TYPE",
		"memory type of the operand's pages (wt: always skipped, the kernel has no setter)",
		NULL),
	[VB_KEY_PAGE] = ENUM_KEY("page", vb_pagesize_names, "4k", "SIZE",
		"size of the page that must map the operand",
		NULL),
	[VB_KEY_TLB] = ENUM_KEY("tlb", vb_tlb_names, "warm", "STATE",
		"TLB state before each sample; cold needs unroll 1",
		"`cold`: INVLPG of the operand's pages."),
	[VB_KEY_AD] = ENUM_KEY("ad", vb_ad_names, "set", "STATE",
		"PTE accessed/dirty bits before each sample; clear needs unroll 1 and page 4k",
		"`clear`: the accessed and dirty bits of the operand's PTEs cleared."),
	[VB_KEY_VMCS] = ENUM_KEY("vmcs", vb_vmcs_names, "loaded", "STATE",
		"a current VMCS (loaded) or none (VMPTRST stores all ones)",
		NULL),
	[VB_KEY_SERIALIZE] = ENUM_KEY("serialize", vb_serialize_names, "lfence", "SEQ",
		"serialisation around the timed block",
		"Each bracket is in kmod/README.md, \"How a sample is taken\". `cpuid` closes with RDTSCP: skipped on a CPU without it."),
	[VB_KEY_UNROLL] = {
		.name = "unroll", .type = VB_KT_POW2, .axis = 1,
		.min = 1, .max = VB_MAX_UNROLL, .def = "1", .arg = "U",
		.unit = "instructions",
		.help = "instructions per timed window, a power of two",
	},
	[VB_KEY_SAMPLES] = {
		.name = "samples", .type = VB_KT_UINT,
		.min = 1, .max = VB_MAX_SAMPLES, .def = "10000", .arg = "N",
		.unit = "per point",
		.help = "samples of the instruction per point; the interleaved baseline adds as many",
	},
	[VB_KEY_EVENTS] = {
		.name = "events", .type = VB_KT_EVENTS,
		.max = VB_MAX_EVENT_NAMES, .arg = "LIST",
		.help = "PMU events counted per sample, a comma list of libpfm4 names (EVENT.UMASK, pmu::EVENT:UMASK, cpu-clock; 'vmptrst-bench events' lists them), or none; more than the counters: several passes",
		.more = "The list holds for every point of the group: it is not an axis. Names as libpfm4 knows them for this CPU (`UOPS_ISSUED.ANY`, `pmu::EVENT:UMASK`), the generic `instructions`, `cycles`, `ref-cycles`, and software events such as `cpu-clock`; `vmptrst-bench events [PATTERN]` lists them. `plan` and `run` check every name before anything runs (`FILE:LINE: [group] events: NAME: libpfm4's reason (did you mean ...?)`). More hardware events than the PMU's generic counters (or than 8): the point runs in passes, one RUN each (samples.csv's `pass` column). Without a usable PMU the run goes on with the TSC alone and says why once (meta.csv `pmu`).",
	},
	[VB_KEY_REQUIRE_EVENTS] = {
		.name = "require-events", .type = VB_KT_BOOL,
		.names = vb_bool_names, .def = "no",
		.help = "fail (exit 1) when no hardware counter can be created, instead of measuring the TSC only",
	},
	[VB_KEY_CROSS_CHECK] = {
		.name = "cross-check", .type = VB_KT_BOOL,
		.names = vb_bool_names, .def = "no",
		.help = "count the events from user space too (perf_event_open around each RUN) and compare in meta.csv",
		.more = "perf_event_open counts on the target CPU, kernel mode; meta.csv `cross_check` and `cross_check.NAME` give the agreement.",
	},
	[VB_KEY_WAIT_VMX] = {
		.name = "wait-vmx", .type = VB_KT_UINT,
		.min = 0, .max = VB_MAX_WAIT_VMX_MS / 1000, .def = "0",
		.arg = "SECONDS", .unit = "seconds",
		.help = "how long each RUN may wait, in all, while another hypervisor has VMX on on its CPU (KVM while it has VMs) or kvm keeps the module from covering a crash (6.12+); 0: refuse at once; a RUN still blocked stops the run there, its rows kept (exit 1)",
		.more = "The RUN waits before and between its windows. With `0`, `run` says why it refuses before anything is measured. A stopped run's points.csv says `stopped` for the point and `not-run` for the rest. meta.csv `wait_vmx` has the values asked for and `vmx_wait_ms` the time waited; points.csv `vmx_wait_ms` that of each point.",
	},	[VB_KEY_ROUNDS] = {
		.name = "rounds", .type = VB_KT_UINT,
		.min = 1, .max = VB_MAX_ROUNDS, .def = "1", .arg = "R",
		.unit = "per run",
		.help = "measure the plan in R interleaved rounds, each taking its share of every point's samples, so that a change of clock or machine state during the run reaches every point alike; one value for the whole run (set it in [global])",
		.more = "Round r runs every point of the plan in order with samples / R samples (the first samples % R rounds one more), then round r + 1 begins: points that are compared with each other (an unroll family and its slope, a setup and the MOV control, the add chain that calibrates cycles) are measured side by side in time rather than minutes apart. samples.csv's `sample` numbers go on from round to round, so a point's samples are numbered 0 .. samples - 1 as without rounds; windows.csv's `window` likewise. A point skipped in round 0 is not tried again; Ctrl-C or a stop keeps every round measured so far (the point `interrupted` or `stopped` when it missed rounds). Every group's samples must be at least R. meta.csv `rounds`.",
	},

};
