/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmptrst_bench ioctl ABI: the one header the module (kmod/) and the
 * user-space driver (bench/) share.  Nothing else crosses the boundary.
 *
 * Every struct starts with `size` (the caller's sizeof) and `abi_version`
 * (VB_ABI_VERSION); the module refuses a mismatch with -EINVAL before it
 * looks at any other field.  INFO alone answers any abi_version (its size
 * must still match) and reports the module's own, so a driver can tell the
 * user which versions disagree; a changed struct size changes the ioctl
 * number, and the old driver then gets ENOTTY.  Fields marked "in" are validated by the module;
 * fields marked "out" are ignored on input and written by the module.
 *
 * Errors (negative errno from ioctl, as arch/x86/kernel/msr.c chooses them):
 *   EPERM   the caller lacks CAP_SYS_RAWIO
 *   EINVAL  a field is out of range, or size/abi_version do not match
 *   ENXIO   the target CPU does not exist or is offline
 *   ENODEV  the CPU has no VMX, firmware left it disabled, or VMX_BASIC
 *           asks for something the module does not support
 *   EBUSY   VMX is already on on that CPU (another hypervisor, e.g.
 *           kvm_intel, owns it), or another RUN is in progress
 *   EIO     a VMX instruction failed (VMfail or a fault); the kernel log
 *           says which
 *   EFAULT  a user buffer could not be read or written
 *   ENOMEM  the sample buffer could not be allocated
 *   ENOTTY  unknown ioctl
 */
#ifndef VMPTRST_BENCH_ABI_H
#define VMPTRST_BENCH_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define VB_ABI_VERSION		1
#define VB_DEVICE_NAME		"vmptrst_bench"
#define VB_DEVICE_PATH		"/dev/" VB_DEVICE_NAME

/* ---- INFO: what the module and the CPU offer --------------------------- */

/* vb_info.flags */
#define VB_INFO_VMX		(1u << 0) /* CPUID.1:ECX.VMX[bit 5] */
#define VB_INFO_VMX_IN_USE	(1u << 1) /* CR4.VMXE already set: another hypervisor owns VMX */
#define VB_INFO_FEAT_LOCKED	(1u << 2) /* IA32_FEATURE_CONTROL lock bit */
#define VB_INFO_FEAT_VMX	(1u << 3) /* IA32_FEATURE_CONTROL: VMX outside SMX enabled */
#define VB_INFO_VMX_BASIC	(1u << 4) /* vmx_basic and the fields from it are valid */

struct vb_info {
	__u32 size;		/* in: sizeof(struct vb_info) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in: CPU to inspect */
	__u32 flags;		/* out: VB_INFO_* */
	char module_version[16];/* out: NUL-terminated */
	__u64 vmx_basic;	/* out: IA32_VMX_BASIC (MSR 0x480) */
	__u64 feature_control;	/* out: IA32_FEATURE_CONTROL (MSR 0x3a) */
	__u32 vmcs_revision;	/* out: VMX_BASIC bits 30:0 */
	__u32 vmcs_size;	/* out: VMX_BASIC bits 44:32, bytes */
	__u32 vmcs_memtype;	/* out: VMX_BASIC bits 53:50 (6 = WB) */
	__u32 tsc_khz;		/* out: the kernel's tsc_khz */
	__u32 online_cpus;	/* out: num_online_cpus() */
	__u32 max_samples;	/* out: VB_MAX_SAMPLES */
	__u32 reserved;		/* out: 0 (keeps the size a multiple of 8) */
};

/* ---- RUN: one measured point ------------------------------------------- */

/* Instructions a timed window can hold (vb_run.instruction, vb_sample.instruction). */
enum vb_instruction {
	VB_INSN_NONE = 0,	/* empty bracket: the baseline */
	VB_INSN_VMPTRST = 1,	/* VMPTRST m64 */
	VB_INSN_MOV = 2,	/* MOV m64, r64 of the expected value: the control store */
	VB_INSN_COUNT
};

/* Current-VMCS state during the samples (vb_run.vmcs). */
enum vb_vmcs_state {
	VB_VMCS_LOADED = 0,	/* VMCLEAR + VMPTRLD: a VMCS is current */
	VB_VMCS_NONE = 1,	/* VMCLEAR only: no current VMCS, VMPTRST stores ~0 */
	VB_VMCS_COUNT
};

/* Serialisation around the timed block (vb_run.serialize). */
enum vb_serialize {
	VB_SER_LFENCE = 0,	/* LFENCE; RDTSC; LFENCE on both sides */
	VB_SER_COUNT
};

/*
 * Unroll counts the module has code for: powers of two from 1 to
 * VB_MAX_UNROLL.  Each is its own straight-line block, no loop inside.
 */
#define VB_MAX_UNROLL		256
/* Samples of the instruction per RUN (the baseline adds as many again). */
#define VB_MAX_SAMPLES		(1u << 18)
/* The operand lives in a two-page buffer: offset + 8 <= 2 * 4096. */
#define VB_OPERAND_SPAN		8192u
#define VB_MAX_OFFSET		(VB_OPERAND_SPAN - 8u)

/*
 * vb_run.result_flags.  A signal never fails a RUN: the run stops at the end
 * of the current IRQ-off window and the ioctl returns 0 with
 * VB_RUN_INTERRUPTED set and the records taken so far (vb_run.records).
 */
#define VB_RUN_INTERRUPTED	(1u << 0)

struct vb_run {
	__u32 size;		/* in: sizeof(struct vb_run) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in: target CPU, must be online */
	__u32 instruction;	/* in: enum vb_instruction */
	__u32 unroll;		/* in: 1, 2, 4, ... VB_MAX_UNROLL */
	__u32 samples;		/* in: 1 .. VB_MAX_SAMPLES */
	__u32 vmcs;		/* in: enum vb_vmcs_state */
	__u32 serialize;	/* in: enum vb_serialize */
	__u32 offset;		/* in: operand byte offset, 0 .. VB_MAX_OFFSET */
	__u32 flags;		/* in: must be 0 */
	__u64 buf;		/* in: user pointer to struct vb_sample[buf_len] */
	__u32 buf_len;		/* in: records the buffer holds; >= records needed */
	__u32 records;		/* out: records written */
	__u64 expected;		/* out: the value VMPTRST must store (VMCS PA or ~0) */
	__u64 poison;		/* out: what the operand holds before each window */
	__u32 mismatches;	/* out: records whose stored value was wrong */
	__u32 windows;		/* out: IRQ-off windows used */
	__u64 max_window_tsc;	/* out: longest IRQ-off window, TSC ticks */
	__u32 result_flags;	/* out: VB_RUN_* */
	__u32 page_kib;		/* out: size of the page that maps the operand, KiB */
};

/*
 * Records needed for a RUN: with an instruction, each sample is a pair of
 * records (the instruction and the empty baseline, interleaved, their order
 * alternating pair by pair); with VB_INSN_NONE, one record per sample.
 */
#define VB_RECORDS_NEEDED(insn, samples) \
	((insn) == VB_INSN_NONE ? (samples) : 2u * (samples))

/* vb_sample.flags */
#define VB_SAMPLE_MISMATCH	(1u << 0) /* stored != expected (or poison lost) */

struct vb_sample {
	__u64 tsc_begin;	/* RDTSC before the block */
	__u64 tsc_end;		/* RDTSC after the block */
	__u64 stored;		/* the operand after the window */
	__u32 sample;		/* index of the sample (pair) this record belongs to */
	__u8 instruction;	/* enum vb_instruction of this record */
	__u8 window;		/* low 8 bits of the IRQ-off window number */
	__u16 flags;		/* VB_SAMPLE_* */
};

/* ---- SELFTEST: VMPTRST outside VMX operation --------------------------- */

/*
 * Executes one exception-table-guarded VMPTRST on `cpu` while that CPU is
 * not in VMX operation (refused with -EBUSY if CR4.VMXE is set there).  The
 * reference says #UD; `trap` reports the vector that fired (6 = #UD), or -1
 * when the instruction did not fault.
 */
struct vb_selftest {
	__u32 size;		/* in: sizeof(struct vb_selftest) */
	__u32 abi_version;	/* in: VB_ABI_VERSION */
	__u32 cpu;		/* in */
	__s32 trap;		/* out */
	__u64 operand;		/* out: the operand afterwards (poison if untouched) */
	__u64 poison;		/* out: the operand before */
};

#define VB_IOC_MAGIC		0xB7
#define VB_IOC_INFO		_IOWR(VB_IOC_MAGIC, 1, struct vb_info)
#define VB_IOC_RUN		_IOWR(VB_IOC_MAGIC, 2, struct vb_run)
#define VB_IOC_SELFTEST		_IOWR(VB_IOC_MAGIC, 3, struct vb_selftest)

#endif /* VMPTRST_BENCH_ABI_H */
