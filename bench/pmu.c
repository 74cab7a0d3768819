// SPDX-License-Identifier: GPL-2.0
/*
 * PMU event names through libpfm4: see pmu.h.  Encoding follows libpfm4's
 * perf_examples/perf_util.c: attr.size set, pfm_get_os_event_encoding()
 * with PFM_OS_PERF_EVENT_EXT, errors through pfm_strerror().
 */
#define _GNU_SOURCE	/* strcasestr, FNM_CASEFOLD */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <perfmon/pfmlib_perf_event.h>

#include "keys.h"
#include "pmu.h"
#include "sysfs.h"
#include "sysstate.h"

static int pfm_ready;

int vb_pmu_init(char *err, size_t len)
{
	int ret;

	if (pfm_ready)
		return 0;
	ret = pfm_initialize();
	if (ret != PFM_SUCCESS) {
		snprintf(err, len, "libpfm4 cannot initialise: %s",
			 pfm_strerror(ret));
		return -1;
	}
	pfm_ready = 1;
	return 0;
}

void vb_pmu_fini(void)
{
	if (pfm_ready)
		pfm_terminate();
	pfm_ready = 0;
}

static int pmu_info(pfm_pmu_t p, pfm_pmu_info_t *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->size = sizeof(*pi);
	return pfm_get_pmu_info(p, pi) == PFM_SUCCESS && pi->is_present;
}

/* Generic counters of the core PMUs present (the fewest), 0 if none. */
static unsigned int core_counters(void)
{
	pfm_pmu_info_t pi;
	unsigned int n = 0;
	pfm_pmu_t p;

	pfm_for_all_pmus(p) {
		if (!pmu_info(p, &pi) || pi.type != PFM_PMU_TYPE_CORE ||
		    pi.num_cntrs <= 0)
			continue;
		if (!n || (unsigned int)pi.num_cntrs < n)
			n = (unsigned int)pi.num_cntrs;
	}
	return n;
}

static void upcase(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = (char)toupper((unsigned char)src[i]);
	dst[i] = '\0';
}

/* EVENT.UMASK -> EVENT:UMASK, upper case, modifiers after it dropped. */
static void normalise(const char *name, char *out, size_t len)
{
	char *c;

	upcase(out, name, len);
	c = strchr(out, '.');
	if (c && !strchr(out, ':'))
		*c = ':';
	c = strchr(out, ':');
	if (c && (c = strchr(c + 1, ':')))
		*c = '\0';
}

#define N_SUGGEST	3

struct suggest {
	const char *want;		/* normalised */
	size_t max_d;
	char best[N_SUGGEST][VB_EVENT_NAME_MAX];
	size_t d[N_SUGGEST];
	unsigned int n;
};

static void consider(struct suggest *s, const char *cand)
{
	char up[VB_EVENT_NAME_MAX];
	size_t d;
	unsigned int i, j;

	upcase(up, cand, sizeof(up));
	d = vb_edit_distance(s->want, up);
	if (d > s->max_d)
		return;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->best[i], cand))
			return;		/* the same name on another PMU */
	for (i = 0; i < s->n && s->d[i] <= d; i++)
		;
	if (i == N_SUGGEST)
		return;
	if (s->n < N_SUGGEST)
		s->n++;
	for (j = s->n - 1; j > i; j--) {
		memcpy(s->best[j], s->best[j - 1], sizeof(s->best[j]));
		s->d[j] = s->d[j - 1];
	}
	snprintf(s->best[i], sizeof(s->best[i]), "%s", cand);
	s->d[i] = d;
}

static void consider_event(struct suggest *s, int idx)
{
	pfm_event_attr_info_t ai;
	pfm_event_info_t ei;
	char cand[VB_EVENT_NAME_MAX];
	int a;

	memset(&ei, 0, sizeof(ei));
	ei.size = sizeof(ei);
	if (pfm_get_event_info(idx, PFM_OS_NONE, &ei) != PFM_SUCCESS)
		return;
	consider(s, ei.name);
	for (a = 0; a < ei.nattrs; a++) {
		memset(&ai, 0, sizeof(ai));
		ai.size = sizeof(ai);
		if (pfm_get_event_attr_info(idx, a, PFM_OS_NONE, &ai) !=
		    PFM_SUCCESS || ai.type != PFM_ATTR_UMASK)
			continue;
		snprintf(cand, sizeof(cand), "%s:%s", ei.name, ai.name);
		consider(s, cand);
	}
}

unsigned int vb_pmu_suggest(const char *name, char *buf, size_t len)
{
	const char *sep = strstr(name, "::"), *base = sep ? sep + 2 : name;
	char want[VB_EVENT_NAME_MAX], pmu[64] = "";
	struct suggest *s;
	pfm_pmu_info_t pi;
	size_t used = 0;
	unsigned int i, n;
	pfm_pmu_t p;
	int idx;

	buf[0] = '\0';
	if (!pfm_ready || !(s = calloc(1, sizeof(*s))))
		return 0;
	if (sep)
		snprintf(pmu, sizeof(pmu), "%.*s", (int)(sep - name), name);
	normalise(base, want, sizeof(want));
	s->want = want;
	s->max_d = strlen(want) / 4 > 2 ? strlen(want) / 4 : 2;
	pfm_for_all_pmus(p) {
		if (!pmu_info(p, &pi) || (*pmu && strcasecmp(pi.name, pmu)))
			continue;
		for (idx = pi.first_event; idx != -1;
		     idx = pfm_get_event_next(idx))
			consider_event(s, idx);
	}
	for (i = 0; i < s->n && used < len; i++) {
		char *c = s->best[i];

		if (strchr(base, '.') && !strchr(base, ':') &&
		    (c = strchr(c, ':')))
			*c = '.';	/* in the user's spelling */
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s",
					 i ? ", " : "", pmu, *pmu ? "::" : "",
					 s->best[i]);
	}
	n = s->n;
	free(s);
	return n;
}

int vb_pmu_encode(const char *name, const char *pmu, struct vb_event_enc *out,
		  char *err, size_t len)
{
	char q[VB_EVENT_NAME_MAX + 64];
	struct perf_event_attr attr;
	pfm_perf_encode_arg_t arg;
	pfm_event_info_t ei;
	pfm_pmu_info_t pi;
	char *fstr = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	if (vb_pmu_init(err, len))
		return -1;
	if (strlen(name) >= sizeof(out->name)) {
		snprintf(err, len, "longer than %zu characters",
			 sizeof(out->name) - 1);
		return -1;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	if (pmu && !strstr(name, "::"))
		snprintf(q, sizeof(q), "%s::%s", pmu, name);
	else
		snprintf(q, sizeof(q), "%s", name);

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.attr = &attr;
	arg.fstr = &fstr;
	/* the module counts kernel mode only: say so in fstr too */
	ret = pfm_get_os_event_encoding(q, PFM_PLM0, PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		char near[512];

		if (vb_pmu_suggest(q, near, sizeof(near)))
			snprintf(err, len, "%s (libpfm4%s%s; did you mean %s?)",
				 pfm_strerror(ret), pmu ? ", PMU " : "",
				 pmu ? pmu : "", near);
		else
			snprintf(err, len, "%s (libpfm4%s%s; see 'vmptrst-bench events')",
				 pfm_strerror(ret),
				 pmu ? ", PMU " : "", pmu ? pmu : "");
		free(fstr);
		return -1;
	}
	out->ev.type = attr.type;
	out->ev.config = attr.config;
	out->ev.config1 = attr.config1;
	out->ev.config2 = attr.config2;
	out->hw = attr.type != PERF_TYPE_SOFTWARE &&
		  attr.type != PERF_TYPE_TRACEPOINT;
	snprintf(out->fstr, sizeof(out->fstr), "%s", fstr ? fstr : q);
	free(fstr);

	memset(&ei, 0, sizeof(ei));
	ei.size = sizeof(ei);
	if (pfm_get_event_info(arg.idx, PFM_OS_NONE, &ei) == PFM_SUCCESS &&
	    pmu_info(ei.pmu, &pi)) {
		snprintf(out->pmu, sizeof(out->pmu), "%s", pi.name);
		if (pi.type == PFM_PMU_TYPE_CORE && pi.num_cntrs > 0)
			out->counters = (unsigned int)pi.num_cntrs;
	}
	if (out->hw && !out->counters)	/* perf's generic names */
		out->counters = core_counters();
	return 0;
}

int vb_cpulist_has(const char *list, unsigned int cpu)
{
	return vb_cpu_in_list(list, cpu) == VB_YES;	/* sysstate.c parses */
}

const char *vb_pmu_core_type(const char *root, unsigned int cpu)
{
	static const char *const types[] = { "cpu_core", "cpu_atom" };
	char path[96], list[1024];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(path, sizeof(path),
			 "/sys/bus/event_source/devices/%s/cpus", types[i]);
		if (!vb_sys_read_line(root, path, list, sizeof(list)) &&
		    vb_cpulist_has(list, cpu))
			return types[i];
	}
	return NULL;
}

const char *vb_pmu_for_core_type(const char *core_type)
{
	/* libpfm4's hybrid core PMUs, by the perf PMU they program */
	static const struct { const char *type, *pfm; } map[] = {
		{ "cpu_core", "adl_glc" }, { "cpu_atom", "adl_grt" },
	};
	pfm_pmu_info_t pi;
	pfm_pmu_t p;
	size_t i;

	if (!core_type || !pfm_ready)
		return NULL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(map[i].type, core_type))
			continue;
		pfm_for_all_pmus(p)
			if (pmu_info(p, &pi) && !strcmp(pi.name, map[i].pfm))
				return map[i].pfm;
	}
	return NULL;
}

static int matches(const char *pattern, const char *pmu, const char *name)
{
	char full[VB_EVENT_NAME_MAX + 64], dotted[VB_EVENT_NAME_MAX];
	char *c;

	if (!pattern)
		return 1;
	snprintf(full, sizeof(full), "%s::%s", pmu, name);
	snprintf(dotted, sizeof(dotted), "%s", name);
	c = strchr(dotted, ':');
	if (c)
		*c = '.';
	if (strpbrk(pattern, "*?["))
		return !fnmatch(pattern, full, FNM_CASEFOLD) ||
		       !fnmatch(pattern, name, FNM_CASEFOLD) ||
		       !fnmatch(pattern, dotted, FNM_CASEFOLD);
	return strcasestr(full, pattern) || strcasestr(dotted, pattern);
}

/* A description on one line: its first line, tabs as spaces. */
static void one_line(FILE *f, const char *pmu, const char *name,
		     const char *desc)
{
	size_t n = desc ? strcspn(desc, "\r\n") : 0;

	fprintf(f, "%s::%s  %.*s\n", pmu, name, (int)n, desc ? desc : "");
}

int vb_pmu_list(FILE *f, const char *pattern, char *err, size_t len)
{
	char name[VB_EVENT_NAME_MAX];
	pfm_event_attr_info_t ai;
	pfm_event_info_t ei;
	pfm_pmu_info_t pi;
	pfm_pmu_t p;
	int idx, a, n = 0;

	if (vb_pmu_init(err, len))
		return -1;
	pfm_for_all_pmus(p) {
		if (!pmu_info(p, &pi))
			continue;
		for (idx = pi.first_event; idx != -1;
		     idx = pfm_get_event_next(idx)) {
			memset(&ei, 0, sizeof(ei));
			ei.size = sizeof(ei);
			if (pfm_get_event_info(idx, PFM_OS_NONE, &ei) !=
			    PFM_SUCCESS)
				continue;
			if (matches(pattern, pi.name, ei.name)) {
				one_line(f, pi.name, ei.name, ei.desc);
				n++;
			}
			for (a = 0; a < ei.nattrs; a++) {
				memset(&ai, 0, sizeof(ai));
				ai.size = sizeof(ai);
				if (pfm_get_event_attr_info(idx, a, PFM_OS_NONE,
							    &ai) != PFM_SUCCESS ||
				    ai.type != PFM_ATTR_UMASK)
					continue;
				snprintf(name, sizeof(name), "%s:%s", ei.name,
					 ai.name);
				if (!matches(pattern, pi.name, name))
					continue;
				one_line(f, pi.name, name, ai.desc);
				n++;
			}
		}
	}
	return n;
}
