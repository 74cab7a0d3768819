// SPDX-License-Identifier: GPL-2.0
/* The keys of a sweep: see keys.h. */
#define _GNU_SOURCE	/* CPU_SETSIZE */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int vb_key_lookup(const char *name)
{
	int i;

	for (i = 0; i < VB_KEY_COUNT; i++)
		if (!strcmp(name, vb_keys[i].name))
			return i;
	return -1;
}

size_t vb_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *vb_closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, best_d = 5;	/* twice the distance: at most 2 edits */

	for (i = 0; i < n; i++) {
		size_t d;

		if (!cands[i])
			continue;
		d = 2 * vb_edit_distance(name, cands[i]);
		if (*name && !strncmp(cands[i], name, strlen(name)))
			d--;	/* a tie goes to the one it begins */
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

void vb_join_names(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *names && used < len; names++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", *names);
}

/* Decimal, or hexadecimal after 0x; no sign, no space, no junk. */
int vb_parse_ulong(const char *s, unsigned long *v)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 10 ? !isdigit((unsigned char)*s)
		       : !isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return (errno || *end) ? -1 : 0;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;

	while (names[n])
		n++;
	return n;
}

static int parse_name(const char *const *names, const char *s,
		      unsigned int *v, char *err, size_t len)
{
	const char *near;
	char list[128];
	size_t i, n = count_names(names);

	for (i = 0; i < n; i++) {
		if (!strcmp(s, names[i])) {
			*v = (unsigned int)i;
			return 0;
		}
	}
	vb_join_names(names, list, sizeof(list));
	near = vb_closest(s, names, n);
	if (near)
		snprintf(err, len, "not one of %s (did you mean %s?)", list,
			 near);
	else
		snprintf(err, len, "not one of %s", list);
	return -1;
}

int vb_parse_range(const char *s, unsigned long min, unsigned long max,
		   unsigned long *v, char *err, size_t len)
{
	const char *digits = s + (s[0] == '-');

	if (vb_parse_ulong(s, v) || *v < min || *v > max) {
		/* a negative or too large number is out of range, not junk */
		if (*digits && !digits[strspn(digits, "0123456789")])
			snprintf(err, len, "out of range %lu..%lu", min, max);
		else
			snprintf(err, len, "not a number");
		return -1;
	}
	return 0;
}

static int parse_number(const struct vb_key_def *d, const char *s,
			unsigned int *v, char *err, size_t len)
{
	unsigned long n;

	if (vb_parse_range(s, d->min, d->max, &n, err, len))
		return -1;
	if (d->type == VB_KT_POW2 && (n & (n - 1))) {
		snprintf(err, len, "not a power of two in %lu..%lu", d->min,
			 d->max);
		return -1;
	}
	*v = (unsigned int)n;
	return 0;
}

/* One element; a cpu range "a-b" may add several. */
static int parse_element(enum vb_key k, const char *s, struct vb_values *out,
			 char *err, size_t len)
{
	const struct vb_key_def *d = &vb_keys[k];
	unsigned int v, hi;
	char lo_s[64];
	const char *dash;

	switch (d->type) {
	case VB_KT_ENUM:
	case VB_KT_BOOL:
		if (parse_name(d->names, s, &v, err, len))
			return -1;
		break;
	case VB_KT_OFFSET:
		if (isdigit((unsigned char)*s)) {
			if (parse_number(d, s, &v, err, len))
				return -1;
		} else {
			if (parse_name(d->names, s, &v, err, len)) {
				snprintf(err, len, "neither a number of bytes nor one of aligned|misaligned|line-split|page-split");
				return -1;
			}
			v |= VB_OFFSET_NAMED;
		}
		break;
	case VB_KT_UINT:
		dash = strchr(s, '-');
		if (d->axis && dash && dash != s &&
		    (size_t)(dash - s) < sizeof(lo_s)) {
			snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dash - s), s);
			if (parse_number(d, lo_s, &v, err, len) ||
			    parse_number(d, dash + 1, &hi, err, len))
				return -1;
			if (hi < v) {
				snprintf(err, len, "range %s runs backwards", s);
				return -1;
			}
			for (; v < hi; v++) {
				if (out->n == VB_MAX_VALUES)
					goto too_many;
				out->v[out->n++] = v;
			}
			break;
		}
		/* fall through */
	case VB_KT_POW2:
		if (parse_number(d, s, &v, err, len))
			return -1;
		break;
	case VB_KT_EVENTS:
	default:
		snprintf(err, len, "not a single value");
		return -1;
	}
	if (out->n == VB_MAX_VALUES)
		goto too_many;
	out->v[out->n++] = v;
	return 0;

too_many:
	snprintf(err, len, "more than %d values", VB_MAX_VALUES);
	return -1;
}

/* aligned, misaligned, line-split are numbers on every page size */
static unsigned int canonical(unsigned int v)
{
	static const unsigned int fixed[] = { 0, 1, 60 };

	if ((v & VB_OFFSET_NAMED) && (v & ~VB_OFFSET_NAMED) < VB_OFF_PAGE_SPLIT)
		return fixed[v & ~VB_OFFSET_NAMED];
	return v;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

unsigned int vb_events_split(const char *text,
			     char (*names)[VB_EVENT_NAME_MAX])
{
	unsigned int n = 0;

	while (*text && n < VB_MAX_EVENT_NAMES) {
		size_t l = strcspn(text, ",");
		snprintf(names[n++], VB_EVENT_NAME_MAX, "%.*s", (int)l, text);
		text += l;
		if (*text)
			text++;
	}
	return n;
}

/*
 * An events list: names trimmed, none empty or too long or twice (libpfm4
 * ignores case), at most VB_MAX_EVENT_NAMES; "none" alone is no events.
 * Whether libpfm4 knows them is checked with the plan (pmu.c).
 */
static int parse_events(const char *text, struct vb_values *out, char *err,
			size_t len)
{
	char copy[VB_EVENTS_TEXT], *p, *elem;
	size_t used = 0;
	unsigned int i;
	char (*names)[VB_EVENT_NAME_MAX];

	if (strlen(text) >= sizeof(copy)) {
		snprintf(err, len, "longer than %zu characters",
			 sizeof(copy) - 1);
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	if (!strcmp(trim(copy), "none"))
		return 0;
	names = calloc(VB_MAX_EVENT_NAMES, sizeof(*names));
	if (!names) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (p = copy; p; ) {
		elem = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		elem = trim(elem);
		if (!*elem) {
			snprintf(err, len, "empty %s", out->n || p ?
				 "element in the list" : "value (none: no events)");
			goto fail;
		}
		if (strlen(elem) >= VB_EVENT_NAME_MAX) {
			snprintf(err, len, "event %.40s...: longer than %d characters",
				 elem, VB_EVENT_NAME_MAX - 1);
			goto fail;
		}
		for (i = 0; i < out->n; i++) {
			if (strcasecmp(names[i], elem))
				continue;
			snprintf(err, len, "event %s listed twice", elem);
			goto fail;
		}
		if (out->n == VB_MAX_EVENT_NAMES) {
			snprintf(err, len, "more than %d events",
				 VB_MAX_EVENT_NAMES);
			goto fail;
		}
		snprintf(names[out->n++], VB_EVENT_NAME_MAX, "%s", elem);
		used += (size_t)snprintf(out->text + used,
					 sizeof(out->text) - used, "%s%s",
					 used ? "," : "", elem);
	}
	free(names);
	return 0;
fail:
	free(names);
	out->n = 0;
	out->text[0] = '\0';
	return -1;
}

int vb_key_parse(enum vb_key k, const char *text, struct vb_values *out,
		 char *err, size_t len)
{
	const struct vb_key_def *d = &vb_keys[k];
	char *copy, *p, *elem, msg[256], name[64];
	int list = strchr(text, ',') != NULL, ret = -1;
	unsigned int i, j, before;

	out->n = 0;
	out->text[0] = '\0';
	if (d->type == VB_KT_EVENTS)
		return parse_events(text, out, err, len);
	if (list && !d->axis) {
		snprintf(err, len, "one value only: %s is not an axis", d->name);
		return -1;
	}
	copy = strdup(text);
	if (!copy) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (p = copy; p; ) {
		elem = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		elem = trim(elem);
		if (!*elem) {
			snprintf(err, len, list ? "empty element in the list" :
				 d->axis ? "empty value (an axis needs at least one value)" : "empty value");
			goto out;
		}
		before = out->n;
		if (parse_element(k, elem, out, msg, sizeof(msg))) {
			if (list)
				snprintf(err, len, "value %s: %s", elem, msg);
			else
				snprintf(err, len, "%s", msg);
			goto out;
		}
		for (i = before; i < out->n; i++) {
			for (j = 0; j < i; j++) {
				if (canonical(out->v[j]) != canonical(out->v[i]))
					continue;
				snprintf(err, len, "value %s listed twice",
					 vb_key_value_name(k, out->v[i], name,
							   sizeof(name)));
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

const char *vb_enum_name(enum vb_key k, unsigned int v)
{
	const char *const *names = vb_keys[k].names;

	if ((vb_keys[k].type != VB_KT_ENUM && vb_keys[k].type != VB_KT_BOOL) || v >= count_names(names))
		return "unknown";
	return names[v];
}

const char *vb_key_value_name(enum vb_key k, unsigned int v, char *buf,
			      size_t len)
{
	if (vb_keys[k].type == VB_KT_ENUM || vb_keys[k].type == VB_KT_BOOL)
		snprintf(buf, len, "%s", vb_enum_name(k, v));
	else if (vb_keys[k].type == VB_KT_OFFSET && (v & VB_OFFSET_NAMED) &&
		 (v & ~VB_OFFSET_NAMED) < VB_OFF_NAMES)
		snprintf(buf, len, "%s", vb_offset_names[v & ~VB_OFFSET_NAMED]);
	else
		snprintf(buf, len, "%u", v);
	return buf;
}

static unsigned int page_bytes(unsigned int page)
{
	return page == VB_PAGE_4K ? 4096u : page == VB_PAGE_2M ? 2u << 20 : 0;
}

int vb_offset_resolve(unsigned int v, unsigned int page, unsigned int *bytes)
{
	if (page >= VB_PAGE_COUNT)
		return -1;
	if (v & VB_OFFSET_NAMED) {
		switch (v & ~VB_OFFSET_NAMED) {
		case VB_OFF_ALIGNED:
			v = 0;
			break;
		case VB_OFF_MISALIGNED:
			v = 1;
			break;
		case VB_OFF_LINE_SPLIT:
			v = 60;
			break;
		case VB_OFF_PAGE_SPLIT:
			if (!page_bytes(page))
				return -1;	/* one 1 GiB page: no boundary */
			v = page_bytes(page) - 4;
			break;
		default:
			return -1;
		}
	}
	if ((unsigned long)v + 8 > VB_SPAN(page))
		return -1;
	*bytes = v;
	return 0;
}
