/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the module's files; nothing here crosses to user space. */
#ifndef VB_INTERNAL_H
#define VB_INTERNAL_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <asm/pgtable_types.h>
#include "vmptrst_bench_abi.h"
#include "vb_pmu.h"
#include "vb_test_hooks.h"

#define VB_MODULE_VERSION	"0.1.0"

/* Upper bound of one IRQ-off window: a time budget and a record count. */
#define VB_WINDOW_TSC_FALLBACK	3000000ULL /* budget if tsc_khz is 0 */

/* IA32_VMX_BASIC (MSR 0x480) fields, SDM Vol. 3D, A.1. */
#define VB_BASIC_REVISION(b)	((u32)((b) & 0x7fffffff))	/* bits 30:0 */
#define VB_BASIC_SIZE(b)	((u32)(((b) >> 32) & 0x1fff))	/* bits 44:32 */
#define VB_BASIC_32BIT_ADDR(b)	(((b) >> 48) & 1)		/* bit 48 */
#define VB_BASIC_MEMTYPE(b)	((u32)(((b) >> 50) & 0xf))	/* bits 53:50 */

/* What one CPU offers, read on that CPU (vb_read_caps). */
struct vb_caps {
	bool vmx;		/* CPUID.1:ECX.VMX */
	bool kernel_vmx;	/* X86_FEATURE_VMX: the kernel's verdict */
	bool rdtscp;		/* X86_FEATURE_RDTSCP */
	bool guest;		/* VPID and INVVPID: mode=guest can run */
	u8 invvpid_type;	/* the INVVPID type mode=guest uses */
	bool vmxe;		/* CR4.VMXE set, in the shadow or in CR4 */
	bool have_feat;		/* IA32_FEATURE_CONTROL could be read */
	bool have_basic;	/* IA32_VMX_BASIC and the fixed MSRs read */
	u64 feature_control;
	u64 vmx_basic;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	unsigned long cr0, cr4;
};

struct vb_guest;

/* VMPTRST's family (vb_family.c): a RUN's operands and its second VMCS. */
struct vb_family {
	struct page *vmcs2, *ept;	/* the second VMCS; INVEPT's empty PML4 */
	u64 vmcs2_pa;
	u64 cur_pa;		/* the window's VMCS address: vmptrld other's
				 * second operand points here */
	u64 src[2];		/* the memory operand each record starts with */
	u64 val, acc;		/* the register operands (vb_engine.h's) */
	u32 enc;		/* vmread, vmwrite: the field's encoding */
};

/* One RUN in progress, shared by the ioctl and the target CPU's windows. */
struct vb_ctx {
	struct vb_point_desc point;	/* the validated request's */
	/* set up before the first window */
	u64 vmxon_pa, vmcs_pa;
	void *operand;		/* may be unaligned: offset inside the buffer */
	void *line[2];		/* the cache lines the operand touches */
	void *pg[2];		/* the pages the operand touches */
	pte_t *pte[2];		/* their PTEs (4 KiB pages only) */
	unsigned int nlines, npages;
	u64 expected;		/* what VMPTRST must store */
	u64 budget_tsc;		/* IRQ-off window budget */
	struct vb_sample *rec;	/* VB_RECORDS_NEEDED(instruction, samples) */
	struct vb_pmu pmu;	/* the counters, if any */
	u64 *pmc;		/* pmu.n values per record */
	struct vb_window_stat *win;	/* win_len entries, or NULL */
	u32 win_len, win_written;
	/* progress, written by the windows */
	u32 done;		/* samples taken */
	u32 mismatches;
	u32 windows;
	u64 max_window_tsc;
	int err;		/* the last window's result */
	bool stuck;		/* VMXOFF failed: the CPU is in VMX operation */
	/* mode=guest (vb_guest.c) */
	struct vb_guest *guest;	/* the module's guest */
	struct vb_exit_rec *exits;	/* per record, as rec */
	int guest_err;		/* the guest, or the family's set-up before the
				 * records, failed: the window's error */
	struct vb_family fam;	/* the family's (vb_family.c) */
};

/* The operand's buffer (vb_operand.c). */
struct vb_operand {
	void *base;		/* vmalloc or direct-map address */
	struct page *pages;	/* direct-map allocation, else NULL */
	unsigned int order;
};

int vb_operand_setup(struct vb_operand *o, struct vb_ctx *c, u32 *page_kib);
void vb_operand_free(struct vb_operand *o);
void vb_operand_exit(void);

void vb_read_caps(void *arg);
int vb_check_caps(const struct vb_caps *caps, u32 cpu);
void vb_window(void *arg);

struct vb_selftest_ctx {
	u64 operand;
	int trap;
	int err;
};
void vb_selftest_on_cpu(void *arg);

/* vb_main.c: the device's lock, its CPUs, its pages (also for the HOLD). */
extern struct mutex vb_run_lock;
bool vb_cpu_ok(u32 cpu);
int vb_cpu_usable(u32 cpu);
void vb_cpu_stuck(u32 cpu);
int vb_caps_of(u32 cpu, struct vb_caps *caps);
struct page *vb_alloc(u32 cpu, unsigned int order, bool low);

/* The crash-time VMXOFF (vb_vmx.c) and who covers a RUN with it (vb_cover.c). */
void vb_emergency_vmxoff(void);
int vb_cover_init(void);
void vb_cover_exit(void);
bool vb_cover_begin(void);
void vb_cover_end(void);
void vb_cover_state(bool *kvm, bool *coverable);
bool vb_cover_settling(void);
/* How long a RUN waits, whatever it asked, while KVM's module loads. */
#define VB_COVER_GRACE_MS	5000

void vb_take_samples(struct vb_ctx *c, u64 deadline);

/* The VMXON region and the VMCS of a RUN (or CONFORM), and their end. */
int vb_alloc_regions(struct vb_ctx *c, const struct vb_caps *caps,
		     struct page **vmxon, struct page **vmcs);
void vb_free_regions(struct vb_ctx *c, struct page *vmxon, struct page *vmcs);

/* VMPTRST's family (vb_family.c). */
int vb_family_setup(struct vb_ctx *c, const struct vb_caps *caps);
void vb_family_free(struct vb_ctx *c);
void vb_family_prepare(struct vb_ctx *c);
u64 vb_family_result(struct vb_ctx *c, u64 acc);
int vb_family_begin(struct vb_ctx *c);
void vb_family_end(struct vb_ctx *c);

/* CONFORM (vb_conform.c), its window in VMX root made by vb_vmx.c. */
struct vb_conf_ctx {
	struct vb_ctx vc;	/* point.cpu, point.vmcs, VMX regions, expected */
	u8 *buf;		/* two pages of vmalloc, 4 KiB PTEs */
	pte_t *pte[2];		/* their PTEs */
	u8 *alias[2];		/* their direct-map addresses */
	struct vb_conform *out;
	u32 skip_root;		/* enum vb_conf_skip: no VMX root branch runs */
	u32 skip_pf;		/* enum vb_conf_skip: no #PF branch runs */
};
long vb_ioctl_conform(struct vb_conform __user *uarg);
void vb_conform_window(struct vb_conf_ctx *k);
void vb_conf_root(struct vb_conf_ctx *k);
void vb_conf_no_vmcs(struct vb_conf_ctx *k);

#endif /* VB_INTERNAL_H */
