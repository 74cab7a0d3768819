// SPDX-License-Identifier: GPL-2.0
/* Shared by the unit test programs: see harness.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "harness.h"

unsigned int fake_cpuid_signature = 0x000906ea;	/* family 6, model 158, stepping 10 */
int fake_cpuid_hypervisor;
int fake_cpuid_no_vmx;
int fake_cpuid_no_rdtscp;
const char *fake_cpuid_vendor = "GenuineIntel";
const char *fake_cpuid_hv_signature = "KVMKVMKVM\0\0\0";
int fake_pin_err;
int fake_pinned_cpu = -1;

void fake_cpuid(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	(void)sub;
	memset(r, 0, 4 * sizeof(r[0]));
	if (leaf == 0) {
		r[0] = 0x16;
		memcpy(&r[1], fake_cpuid_vendor, 4);
		memcpy(&r[3], fake_cpuid_vendor + 4, 4);
		memcpy(&r[2], fake_cpuid_vendor + 8, 4);
	} else if (leaf == 1) {
		r[0] = fake_cpuid_signature;
		r[2] = (fake_cpuid_no_vmx ? 0 : 1u << 5) |
		       (fake_cpuid_hypervisor ? 1u << 31 : 0);
	} else if (leaf == 0x80000000) {
		r[0] = 0x80000008;
	} else if (leaf == 0x80000001) {
		r[3] = fake_cpuid_no_rdtscp ? 0 : 1u << 27;
	} else if (leaf == 0x40000000) {
		memcpy(&r[1], fake_cpuid_hv_signature, 4);
		memcpy(&r[2], fake_cpuid_hv_signature + 4, 4);
		memcpy(&r[3], fake_cpuid_hv_signature + 8, 4);
	}
}

static int fake_pin(unsigned int cpu)
{
	if (fake_pin_err)
		return -fake_pin_err;
	fake_pinned_cpu = (int)cpu;
	return 0;
}

static int fake_open(void *priv, const char *path)
{
	struct fake_dev *f = priv;

	(void)path;
	if (f->open_err)
		return -f->open_err;
	f->opens++;
	return 42;
}

static void fake_close(void *priv, int fd)
{
	struct fake_dev *f = priv;

	if (fd == 42)
		f->closes++;
}

static int in_list(const uint32_t *list, uint32_t n, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		if (list[k] == i)
			return 1;
	return 0;
}

static int is_bad(const struct fake_dev *f, uint32_t i)
{
	return in_list(f->bad, f->n_bad, i);
}

/* The module's own range checks (it answers EINVAL, nothing done). */
static int fake_run_invalid(const struct vb_run *run)
{
	return vb_point_invalid(&run->point) ||
	       !run->exit_buf != (run->point.mode != VB_MODE_GUEST) ||
	       run->flags || run->wait_vmx_ms > VB_MAX_WAIT_VMX_MS ||
	       run->reserved2 ||
	       run->nevents > VB_MAX_EVENTS || (run->nevents && !run->pmc_buf) ||
	       run->win_len > VB_MAX_SAMPLES || (run->win_len && !run->win_buf);
}

/* Points the fake machine cannot set up: 1 (and the run filled) or 0. */
static int fake_skip(struct fake_dev *f, struct vb_run *run)
{
	uint32_t reason = VB_SKIP_NONE;

	run->page_kib = vb_page_kib(run->point.page);
	if (f->skip_pages & (1u << run->point.page)) {
		reason = VB_SKIP_PAGE_SIZE;
		run->page_kib = vb_page_kib(VB_PAGE_4K);
	} else if (f->skip_memtypes & (1u << run->point.memtype)) {
		reason = VB_SKIP_MEMTYPE;
	} else if (f->no_clflushopt && run->point.cache == VB_CACHE_FLUSHOPT) {
		reason = VB_SKIP_NO_CLFLUSHOPT;
	} else if (f->no_rdtscp && run->point.serialize == VB_SER_CPUID) {
		reason = VB_SKIP_NO_RDTSCP;
	} else if (f->no_vpid && run->point.mode == VB_MODE_GUEST) {
		reason = VB_SKIP_NO_VPID;
	} else if (f->fred && run->point.mode == VB_MODE_GUEST) {
		reason = VB_SKIP_FRED;
	} else if ((f->no_inv_types & (1u << run->point.type)) &&
		   run->point.instruction == VB_INSN_INVVPID) {
		reason = VB_SKIP_NO_INVVPID_TYPE;
	} else if ((f->no_inv_types & (1u << run->point.type)) &&
		   run->point.instruction == VB_INSN_INVEPT) {
		reason = VB_SKIP_NO_INVEPT_TYPE;
	}
	if (!reason)
		return 0;
	run->result_flags = VB_RUN_SKIPPED;
	run->skip_reason = reason;
	run->records = f->skipped_records;
	return 1;
}

/* The counters: created or not, a value per record, their totals. */
static void fake_events(struct fake_dev *f, struct vb_run *run, uint32_t n)
{
	uint64_t *pmc = (uint64_t *)(uintptr_t)run->pmc_buf;
	struct vb_sample *rec = (struct vb_sample *)(uintptr_t)run->buf;
	uint32_t e, i;

	for (e = 0; e < run->nevents; e++) {
		const struct vb_event *ev = &run->events[e];
		int err = 0;

		if (f->hw_err && ev->type != 1)
			err = f->hw_err;
		if (f->err_config && ev->config == f->err_config)
			err = f->err_config_errno;
		run->event_err[e] = -err;
		run->event_kind[e] = err ? VB_EVENT_NONE : ev->type == 1 ?
				     VB_EVENT_SOFTWARE : VB_EVENT_RDPMC;
		run->event_total[e] = 0;
		for (i = 0; i < n; i++) {
			uint64_t v = (ev->config & 0xffff) * 100000 + i;

			pmc[(size_t)i * run->nevents + e] = err ? 0 : v;
			if (!err)
				run->event_total[e] += v;
		}
		if (!err)
			run->event_total[e] += 7;	/* the harness's own */
	}
	for (i = 0; i < n && f->pmc_invalid_every; i++)
		if (i % f->pmc_invalid_every == 0)
			rec[i].flags |= VB_SAMPLE_PMC_INVALID;
}

/* NMIs on chosen records; windows of 64 records, described in win_buf. */
static void fake_noise(struct fake_dev *f, struct vb_run *run, uint32_t n)
{
	struct vb_sample *rec = (struct vb_sample *)(uintptr_t)run->buf;
	struct vb_window_stat *w = (struct vb_window_stat *)(uintptr_t)
				   run->win_buf;
	uint32_t i, k, first, end;

	for (k = 0; k < f->n_nmi; k++)
		if (f->nmi_rec[k] < n)
			rec[f->nmi_rec[k]].flags |= VB_SAMPLE_NMI;
	for (i = 0; i < run->windows; i++) {
		first = i * 64 < n ? i * 64 : n;
		end = first + 64 < n ? first + 64 : n;
		if (f->smi_window == i + 1 && !f->no_smi_msr)
			for (k = first; k < end; k++)
				rec[k].flags |= VB_SAMPLE_SMI;
		if (i >= run->win_len)
			continue;
		w[i].tsc_begin = 1000ull * first + 50;
		w[i].tsc_end = 1000ull * end + 150;
		w[i].mperf = f->no_aperf ? 0 : 2000000;
		w[i].aperf = f->no_aperf ? 0 : 2000000 + 100000ull * i;
		w[i].smi = f->no_smi_msr ? VB_NOT_READ : f->smi_window == i + 1;
		w[i].nmi = 0;
		for (k = 0; k < f->n_nmi; k++)
			w[i].nmi += f->nmi_rec[k] >= first &&
				    f->nmi_rec[k] < end;
		w[i].first_record = first;
		w[i].records = end - first;
		run->win_written = i + 1;
	}
	run->win_written += f->win_overrun;
	run->windows += f->extra_windows;
}

/*
 * A record's VM exits in a guest RUN, as the module reports them: for an
 * exiting instruction unroll exits, the last one what the reference says
 * for the guest's encoding (vmptrst 0x1238(%rbx)); none and mov none.
 * fault (nonzero) makes them wrong that way.
 */
static void fake_exit_fill(const struct vb_run *run, const struct vb_sample *rec,
			   uint32_t i, enum fake_exit_fault fault)
{
	struct vb_exit_rec *e = (struct vb_exit_rec *)(uintptr_t)
				run->exit_buf + i;
	uint32_t insn = rec->instruction;

	memset(e, 0, sizeof(*e));
	if (insn == VB_INSN_VMPTRST) {
		e->reason = VB_EXIT_VMPTRST;
		e->qualification = VB_GUEST_DISP;
		e->insn_info = VB_II_ADDR64 << 7 | VB_II_DS << 15 |
			       VB_II_NO_INDEX | VB_II_RBX << 23;
		e->insn_len = VB_GUEST_VMPTRST_LEN;
	} else if (vb_insn_is_exit_ref(insn)) {
		/* the VM-exit references: what the module's exits say */
		vb_guest_exit_want(insn, &e->reason, &e->insn_len);
		e->qualification = vb_guest_exit_qual(insn);
	}
	e->exits = vb_insn_exits(insn) ? run->point.unroll : 0;
	if (e->exits) {		/* the last exit's split, in order */
		e->tsc_stored = rec->tsc_begin + 20;
		e->tsc_handler_in = e->tsc_stored + 15 + i % 3;
		e->tsc_handler_out = e->tsc_handler_in + 20;
	}
	switch (fault) {
	case FAKE_EXIT_QUAL:
		e->qualification -= 8;
		break;
	case FAKE_EXIT_INFO:
		e->insn_info &= ~(0xfu << 23);	/* base RAX, not RBX */
		break;
	case FAKE_EXIT_COUNT:
		e->exits = e->exits ? e->exits - 1 : 1;
		break;
	case FAKE_EXIT_REASON:
		e->reason = VB_EXIT_HLT;
		break;
	case FAKE_EXIT_LEN:
		e->insn_len++;
		break;
	}
}

/* Record i's VM exits; 1 when f made them wrong (exit_bad). */
static int fake_exits(const struct fake_dev *f, const struct vb_run *run,
		      const struct vb_sample *rec, uint32_t i)
{
	int bad = in_list(f->exit_bad, f->n_exit_bad, i);

	fake_exit_fill(run, rec, i, bad ? f->exit_fault : 0);
	return bad;
}

/* Record i's split made wrong as f says (harness.h: split_bad). */
static void fake_split(const struct fake_dev *f, const struct vb_run *run,
		       struct vb_sample *rec, uint32_t i)
{
	struct vb_exit_rec *e = (struct vb_exit_rec *)(uintptr_t)
				run->exit_buf + i;

	if (!e->exits)
		return;
	if (in_list(f->split_bad, f->n_split_bad, i)) {
		e->tsc_handler_in = e->tsc_stored - 1;
		if (!f->split_unflagged)
			rec->flags |= VB_SAMPLE_SPLIT_BAD;
	}
	if (in_list(f->split_flag_ok, f->n_split_flag_ok, i))
		rec->flags |= VB_SAMPLE_SPLIT_BAD;
}

/* Record i of a RUN: pairs interleaved, their order alternating. */
static void fake_record(const struct vb_run *run, struct vb_sample *rec,
			uint32_t i)
{
	uint32_t insn = run->point.instruction;
	uint32_t k = insn == VB_INSN_NONE ? i : i / 2;
	int first = (k % 2 == 0);	/* even pairs: instruction first */
	int is_insn = insn != VB_INSN_NONE && ((i % 2 == 0) == first);

	rec->sample = k;
	rec->instruction = is_insn ? insn : VB_INSN_NONE;
	rec->window = (uint8_t)(i / 64);
	rec->tsc_begin = 1000u * i;
	rec->tsc_end = rec->tsc_begin + (is_insn ? 100 + k % 7 : 30);
	/* VMPTRST and MOV store (in a guest the module emulates VMPTRST's
	   store), the family reads back what it left, the others leave the
	   poison */
	rec->stored = is_insn && (vb_insn_stores(insn) ||
				  vb_insn_is_family(insn)) ? run->expected :
		      run->poison;
	rec->flags = 0;
}

/* The conformance table's guest RUN (no win_buf): see harness.h. */
static int fake_conf_run(struct fake_dev *f, struct vb_run *run)
{
	struct vb_sample *rec = (struct vb_sample *)(uintptr_t)run->buf;
	uint32_t n = VB_RECORDS_NEEDED(run->point.instruction,
				       run->point.samples), i;

	f->conf_runs++;
	f->conf_run = *run;
	if (f->conf_run_err)
		return -f->conf_run_err;
	if (run->size != sizeof(*run) || run->abi_version != VB_ABI_VERSION ||
	    run->buf_len < n || fake_run_invalid(run))
		return -EINVAL;
	run->expected = f->expected;
	run->poison = f->poison;
	if (fake_skip(f, run))
		return 0;
	for (i = 0; i < n; i++) {
		fake_record(run, &rec[i], i);
		if (run->exit_buf)
			fake_exit_fill(run, &rec[i], i,
				       rec[i].instruction == VB_INSN_VMPTRST ?
				       f->conf_exit_fault : 0);
	}
	run->records = n;
	run->windows = 1;
	return 0;
}

/*
 * vb_run.expected as the module sets it (kmod/vmptrst_bench_abi.h, "The
 * family"): f->expected, the VMCS's address; 0 for invvpid and invept;
 * all ones where no VMCS is current after the block.
 */
static uint64_t fake_expected(const struct fake_dev *f,
			      const struct vb_point_desc *p)
{
	if (p->instruction == VB_INSN_INVVPID ||
	    p->instruction == VB_INSN_INVEPT)
		return 0;
	if (p->instruction == VB_INSN_VMXON ||
	    (p->instruction == VB_INSN_VMCLEAR &&
	     p->target == VB_TARGET_CURRENT))
		return ~0ull;
	return f->expected;
}

/* What the module promises: pairs interleaved, their order alternating. */
static int fake_run(struct fake_dev *f, struct vb_run *run)
{
	struct vb_sample *rec = (struct vb_sample *)(uintptr_t)run->buf;
	uint32_t insn = run->point.instruction, i;
	uint32_t n = VB_RECORDS_NEEDED(insn, run->point.samples);
	uint32_t mism = 0;
	int this = !f->stop_at_run || f->stop_at_run == f->run_calls + 1, bad;

	if (!run->win_buf)
		return fake_conf_run(f, run);
	if (f->run_hook)
		f->run_hook(f, run);
	if (f->run_calls < 64) {
		f->runs[f->run_calls] = *run;
		f->pinned_at_run[f->run_calls] = fake_pinned_cpu;
	}
	f->run_calls++;
	f->last_run = *run;
	if (f->raise_sig && this)
		raise(f->raise_sig);
	if (f->run_err && (!f->fail_at_run || f->fail_at_run == f->run_calls))
		return -f->run_err;
	if (run->size != sizeof(*run) || run->abi_version != VB_ABI_VERSION ||
	    run->buf_len < n || fake_run_invalid(run))
		return -EINVAL;
	run->expected = fake_expected(f, &run->point);
	run->poison = f->poison;
	run->vmx_wait_ms = f->vmx_wait_ms;
	if (fake_skip(f, run))
		return 0;
	if (f->page_kib)
		run->page_kib = f->page_kib;
	if (f->stop_after && f->stop_after < n && this) {
		n = f->stop_after;
		run->result_flags |= f->stop_flag ? f->stop_flag :
				     VB_RUN_INTERRUPTED;
	}
	for (i = 0; i < n; i++) {
		fake_record(run, &rec[i], i);
		bad = is_bad(f, i);
		if (bad)
			rec[i].stored ^= 0x1000;
		if (in_list(f->vmfail, f->n_vmfail, i) &&
		    vb_insn_is_vmx(rec[i].instruction)) {
			rec[i].flags = VB_SAMPLE_VMFAIL | VB_SAMPLE_MISMATCH;
			mism += !bad;
		}
		if (run->exit_buf && f->exits_unwritten != -1 &&
		    f->exits_unwritten != f->run_calls) {
			bad |= fake_exits(f, run, &rec[i], i);
			fake_split(f, run, &rec[i], i);
		}
		if (bad) {
			mism++;
			if (f->flag_bad)
				rec[i].flags |= VB_SAMPLE_MISMATCH;
		}
	}
	fake_events(f, run, n);
	run->records = n;
	run->mismatches = (uint32_t)((int32_t)mism + f->count_delta);
	run->windows = n / 64 + 1;
	run->max_window_tsc = 12345;
	fake_noise(f, run, n);
	return 0;
}

void fake_conf_good(struct fake_dev *f)
{
	struct vb_conf_row *r = f->conf;
	uint32_t b;

	memset(f->conf, 0, sizeof(f->conf));
	f->conf_rows = VB_BR_COUNT;
	for (b = 0; b < VB_BR_COUNT; b++) {
		r[b].branch = b;
		r[b].flags = VB_CONF_RAN | VB_CONF_WP;
		r[b].address = FAKE_CONF_BASE;
		r[b].before = r[b].after = VB_POISON;
		r[b].expected = f->expected;
		r[b].vector = 6;		/* #UD: outside, lock */
	}
	r[VB_BR_STORE].vector = -1;	/* VMsucceed: flags clear, bit 1 */
	r[VB_BR_STORE].after = f->expected;
	r[VB_BR_STORE].rflags = 0x2;
	r[VB_BR_NO_VMCS].vector = -1;
	r[VB_BR_NO_VMCS].expected = r[VB_BR_NO_VMCS].after = ~0ull;
	r[VB_BR_NO_VMCS].rflags = 0x2;
	r[VB_BR_REGISTER].address = 0;	/* RAX before and after */
	r[VB_BR_REGISTER].before = r[VB_BR_REGISTER].after = 0x1111;
	r[VB_BR_NONCANON_DS].vector = 13;
	r[VB_BR_NONCANON_DS].address = FAKE_CONF_BASE ^ (1ull << 63);
	r[VB_BR_NONCANON_SS].vector = 12;
	r[VB_BR_NONCANON_SS].address = FAKE_CONF_BASE ^ (1ull << 63);
	r[VB_BR_PF_NOT_PRESENT].vector = 14;
	r[VB_BR_PF_NOT_PRESENT].cr2 = FAKE_CONF_BASE;
	r[VB_BR_PF_READ_ONLY].vector = 14;
	r[VB_BR_PF_READ_ONLY].cr2 = FAKE_CONF_BASE;
	r[VB_BR_PF_SPLIT].vector = 14;
	r[VB_BR_PF_SPLIT].address = FAKE_CONF_BASE + 0xffc;
	r[VB_BR_PF_SPLIT].cr2 = FAKE_CONF_BASE + 0x1000;
}

void fake_conf_skip(struct fake_dev *f, enum vb_branch b, enum vb_conf_skip why)
{
	f->conf[b].flags &= ~VB_CONF_RAN;
	f->conf[b].skip = why;
}

static int fake_conform(struct fake_dev *f, struct vb_conform *c)
{
	f->conform_calls++;
	f->conform_cpu = c->cpu;
	f->pinned_at_conform = fake_pinned_cpu;
	if (f->conform_err)
		return -f->conform_err;
	if (c->size != sizeof(*c) || c->abi_version != VB_ABI_VERSION)
		return -EINVAL;
	c->rows = f->conf_rows;
	memcpy(c->row, f->conf, sizeof(c->row));
	return 0;
}

static int fake_hold(struct fake_dev *f, const struct vb_hold *h)
{
	if (f->hold_calls < 8)
		f->hold_log[f->hold_calls] = h->hold;
	f->hold_calls++;
	if (f->hold_hook)
		f->hold_hook(f, h);
	if (f->hold_err)
		return -f->hold_err;
	if (h->size != sizeof(*h) || h->abi_version != VB_ABI_VERSION)
		return -EINVAL;
	if (h->hold == VB_HOLD_ON) {
		if (f->held >= 0)
			return -EBUSY;
		f->held = (int)h->cpu;
		f->pinned_at_hold = fake_pinned_cpu;
		return 0;
	}
	if (h->hold != VB_HOLD_OFF)
		return -EINVAL;
	if (f->hold_off_err)
		return -f->hold_off_err;
	f->held = -1;
	return 0;
}

static int fake_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	struct fake_dev *f = priv;

	if (fd != 42)
		return -EBADF;
	if (req == VB_IOC_INFO) {
		struct vb_info *in = arg;
		uint32_t cpu = in->cpu;

		f->info_calls++;
		if (f->info_err)
			return -f->info_err;
		if (in->size != sizeof(*in) || in->abi_version != VB_ABI_VERSION)
			return -EINVAL;
		*in = f->info;
		if (f->flags_change_after && f->info_calls > f->flags_change_after)
			in->flags = f->changed_flags;
		in->size = sizeof(*in);
		in->cpu = cpu;
		in->abi_version = f->module_abi ? f->module_abi
						: VB_ABI_VERSION;
		return 0;
	}
	if (req == VB_IOC_RUN)
		return fake_run(f, arg);
	if (req == VB_IOC_CONFORM)
		return fake_conform(f, arg);
	if (req == VB_IOC_HOLD)
		return fake_hold(f, arg);
	if (req == VB_IOC_SELFTEST) {
		struct vb_selftest *st = arg;

		f->selftest_calls++;
		if (f->selftest_err)
			return -f->selftest_err;
		if (st->size != sizeof(*st))
			return -EINVAL;
		st->trap = f->st.trap;
		st->operand = f->st.operand;
		st->poison = f->st.poison;
		return 0;
	}
	return -ENOTTY;
}

const struct vb_dev_ops fake_dev_ops = {
	.open = fake_open,
	.ioctl = fake_ioctl,
	.close = fake_close,
};

static int fake_perf_open(void *priv, const struct vb_event *ev,
			  unsigned int cpu)
{
	struct fake_perf *p = priv;

	(void)ev;
	if (p->open_err)
		return -p->open_err;
	p->cpu = cpu;
	return 100 + p->opens++;
}

static int fake_perf_read(void *priv, int fd, uint64_t v[3])
{
	struct fake_perf *p = priv;

	if (fd < 100)
		return -EBADF;
	p->reads++;
	v[0] = p->count;
	v[1] = 1000;
	v[2] = p->multiplexed ? 500 : 1000;
	return 0;
}

static void fake_perf_close(void *priv, int fd)
{
	struct fake_perf *p = priv;

	if (fd >= 100)
		p->closes++;
}

const struct vb_perf_ops fake_perf_ops = {
	.open = fake_perf_open,
	.read = fake_perf_read,
	.close = fake_perf_close,
};

static void open_streams(struct harness *h)
{
	h->out = open_memstream(&h->out_buf, &h->out_len);
	h->err = open_memstream(&h->err_buf, &h->err_len);
	if (!h->out || !h->err)
		abort();
	h->env.out = h->out;
	h->env.err = h->err;
}

static void close_streams(struct harness *h)
{
	fclose(h->out);
	fclose(h->err);
	free(h->out_buf);
	free(h->err_buf);
	h->out_buf = h->err_buf = NULL;
}

void harness_init(struct harness *h)
{
	memset(h, 0, sizeof(*h));
	h->fake.info.flags = VB_INFO_VMX | VB_INFO_FEAT_LOCKED |
			     VB_INFO_FEAT_VMX | VB_INFO_VMX_BASIC |
			     VB_INFO_KERNEL_VMX | VB_INFO_RDTSCP | VB_INFO_GUEST;
	h->fake.info.feature_control = 0x5;
	h->fake.info.vmx_basic = 0x00da040000000004ull;
	h->fake.info.vmcs_revision = 4;
	h->fake.info.vmcs_size = 1024;
	h->fake.info.vmcs_memtype = 6;
	h->fake.info.tsc_khz = 2400000;
	h->fake.info.online_cpus = 8;
	h->fake.info.max_samples = VB_MAX_SAMPLES;
	snprintf(h->fake.info.module_version, sizeof(h->fake.info.module_version),
		 "0.1-test");
	h->fake.expected = 0x12345000;
	h->fake.poison = 0x5a5a5a5a5a5a5a5aull;
	h->fake.skip_memtypes = 1u << VB_MEM_WT;	/* as the module: always */
	fake_conf_good(&h->fake);
	h->fake.hold_err = ENOTTY;	/* the module users load */
	h->fake.held = -1;
	h->fake.st.trap = 6;
	h->fake.st.poison = h->fake.st.operand = 0xdeadbeefcafef00dull;
	h->env.dev_ops = &fake_dev_ops;
	h->env.dev_priv = &h->fake;
	h->env.device_path = "/dev/vmptrst_bench";
	h->env.root = FIXTURES "/dell";
	h->env.pin_cpu = fake_pin;
	h->env.cpuid = fake_cpuid;
	h->env.perf_ops = &fake_perf_ops;	/* never the real one in tests */
	h->env.perf_priv = &h->perf;
	h->perf.count = 1000000;
	fake_cpuid_signature = 0x000906ea;
	fake_cpuid_hypervisor = 0;
	fake_cpuid_no_vmx = 0;
	fake_cpuid_no_rdtscp = 0;
	fake_cpuid_vendor = "GenuineIntel";
	fake_pin_err = 0;
	fake_pinned_cpu = -1;
	snprintf(h->dir, sizeof(h->dir), "/tmp/vb-unit-XXXXXX");
	if (!mkdtemp(h->dir))
		abort();
	open_streams(h);
}

void harness_fini(struct harness *h)
{
	close_streams(h);
	rm_rf(h->dir);
}

int harness_main(struct harness *h, ...)
{
	char *argv[64];
	va_list ap;
	int argc = 0, rc;

	close_streams(h);
	open_streams(h);
	argv[argc++] = "vmptrst-bench";
	va_start(ap, h);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	rc = vb_main(argc, argv, &h->env);
	fflush(h->out);
	fflush(h->err);
	return rc;
}

const char *harness_outdir(struct harness *h, const char *name)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/%s", h->dir, name);
	return dir;
}

void assert_meta_row(const char *dir, const char *key, const char *want)
{
	char *text = slurp_in(dir, "meta.csv"), row[256];

	assert_non_null(text);
	snprintf(row, sizeof(row), "\n%s,%s\r\n", key, want);
	if (!strstr(text, row))
		fail_msg("meta.csv: no row %s,%s", key, want);
	free(text);
}

size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *p = realloc(buf, len + n + 1);

		if (!p)
			abort();
		buf = p;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

char *slurp_in(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path);
}

char *harness_file(struct harness *h, const char *name, const char *text)
{
	char *path = malloc(strlen(h->dir) + strlen(name) + 2);
	FILE *f;

	if (!path)
		abort();
	sprintf(path, "%s/%s", h->dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f))
		abort();
	return path;
}

const char *harness_put(struct harness *h, const char *rel, const char *text)
{
	static char root[256];
	char path[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/root/%s", h->dir, rel);
	for (s = path + strlen(h->dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0777);
		*s = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f))
		fail_msg("%s: cannot write", path);
	snprintf(root, sizeof(root), "%s/root", h->dir);
	return root;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int rm_rf(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int harness_setup(void **state)
{
	struct harness *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	harness_init(h);
	*state = h;
	return 0;
}

int harness_teardown(void **state)
{
	harness_fini(*state);
	free(*state);
	return 0;
}

int run_test_groups(int argc, char **argv, const struct test_group *g,
		    size_t n)
{
	size_t i;
	int failed = 0, status;

	if (argc > 1) {
		for (i = 0; i < n && strcmp(g[i].name, argv[1]); i++)
			;
		if (i == n)
			return 2;
		if (g[i].force)
			setenv("LIBPFM_FORCE_PMU", g[i].force, 1);
		else
			unsetenv("LIBPFM_FORCE_PMU");
		return _cmocka_run_group_tests(g[i].name, g[i].tests, g[i].n,
					       NULL, NULL);
	}
	for (i = 0; i < n; i++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			char *args[] = { argv[0], (char *)g[i].name, NULL };

			execv(argv[0], args);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("group %s: FAILED\n", g[i].name);
			failed = 1;
		}
	}
	return failed;
}

void csv_table_read(struct csv_table *t, const char *dir, const char *name)
{
	char *p, *eol;
	size_t r = 0, c, cap;

	t->text = slurp_in(dir, name);
	if (!t->text)
		fail_msg("%s/%s missing", dir, name);
	cap = count_lines(t->text);
	t->cols = 1;
	for (p = t->text; *p != '\r'; p++)
		t->cols += *p == ',';
	t->cell = calloc(cap * t->cols, sizeof(*t->cell));
	assert_non_null(t->cell);
	for (p = t->text; *p; p = eol + 2, r++) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);	/* CRLF ends every row */
		*eol = '\0';
		for (c = 0; c < t->cols; c++) {
			t->cell[r * t->cols + c] = p;
			p += strcspn(p, ",");
			if (c + 1 < t->cols) {
				assert_int_equal(*p, ',');
				*p++ = '\0';
			}
		}
		assert_int_equal(*p, '\0');	/* no extra field */
	}
	t->rows = r;	/* the header included */
}

const char *csv_cell(const struct csv_table *t, size_t row, const char *col)
{
	size_t c;

	for (c = 0; c < t->cols; c++)
		if (!strcmp(t->cell[c], col))
			return t->cell[row * t->cols + c];
	fail_msg("no column %s", col);
	return NULL;
}

void csv_table_free(struct csv_table *t)
{
	free(t->cell);
	free(t->text);
}
