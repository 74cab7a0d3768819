// SPDX-License-Identifier: GPL-2.0
/* meta.csv: see meta.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "csv.h"
#include "meta.h"
#include "sysfs.h"
#include "sysstate.h"

static const char *const keys[] = {
	"tool", "tool_version", "tool_commit", "abi_version", "module_version",
	"platform", "timing_note", "host", "kernel", "cpu_vendor", "cpu_family",
	"cpu_model", "cpu_stepping", "cpu_model_name", "microcode", "tsc_khz",
	"target_cpu", "vmcs_revision", "hypervisor", "kernel_cmdline",
	"smt_control", "smt_active", "turbo", "turbo_source",
	"scaling_driver", "governor", "scaling_min_khz", "scaling_max_khz",
	"nmi_watchdog", "isolcpus", "nohz_full", "rcu_nocbs",
	"target_isolated", "target_nohz_full", "target_rcu_nocbs",
	"vmx_flags", "feature_control", "vmx_basic", "online_cpus", "config", "config_sha256", "points",
	"points_measured", "points_skipped", "samples", "samples_planned",
	"unroll",
	"instruction", "vmcs", "offset", "cache", "memtype", "serialize",
	"page", "page_measured", "tlb", "ad", "records", "mismatches", "windows",
	"max_window_tsc", "windows_described", "windows_undescribed",
	"windows_smi", "windows_nmi", "records_nmi", "records_smi",
	"freq_ratio_min", "freq_ratio_max", "events", "event_passes", "pmu",
	"pmc_invalid_records", "cross_check", "wait_vmx", "vmx_wait_ms", "rounds",
	"interrupted", "stopped", "start_time",
	"end_time",
	"command_line",
};

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs(VB_TOOL_NAME ": out of memory\n", stderr);
		exit(VB_EXIT_ERROR);
	}
	return p;
}

void vb_meta_init(struct vb_meta *m)
{
	unsigned int i;

	m->n = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		m->key[m->n] = xstrdup(keys[i]);
		m->value[m->n++] = xstrdup("unknown");
	}
}

void vb_meta_free(struct vb_meta *m)
{
	while (m->n) {
		free(m->value[--m->n]);
		free(m->key[m->n]);
	}
}

static int find(const struct vb_meta *m, const char *key)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return (int)i;
	return -1;
}

void vb_meta_set(struct vb_meta *m, const char *key, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int i = find(m, key);

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!buf[0])
		snprintf(buf, sizeof(buf), "unknown");
	if (i < 0) {
		if (m->n == VB_META_MAX)
			return;
		i = (int)m->n++;
		m->key[i] = xstrdup(key);
		m->value[i] = NULL;
	}
	free(m->value[i]);
	m->value[i] = xstrdup(buf);
}

const char *vb_meta_get(const struct vb_meta *m, const char *key)
{
	int i = find(m, key);

	return i < 0 ? NULL : m->value[i];
}

void vb_meta_collect_host(struct vb_meta *m, const struct vb_env *env,
			  unsigned int cpu, enum vb_platform override)
{
	struct vb_cpu_id id;
	struct utsname un;
	enum vb_platform p;
	char buf[256];

	vb_meta_set(m, "tool", VB_TOOL_NAME);
	vb_meta_set(m, "tool_version", VB_TOOL_VERSION);
	vb_meta_set(m, "tool_commit", "%s", VB_GIT_COMMIT);
	if (uname(&un) == 0) {
		vb_meta_set(m, "host", "%s", un.nodename);
		vb_meta_set(m, "kernel", "%s", un.release);
	}
	vb_cpu_identify(env->cpuid, &id);
	vb_meta_set(m, "cpu_vendor", "%s", id.vendor);
	vb_meta_set(m, "cpu_family", "%u", id.family);
	vb_meta_set(m, "cpu_model", "%u", id.model);
	vb_meta_set(m, "cpu_stepping", "%u", id.stepping);
	vb_cpu_model_name(env->root, cpu, buf, sizeof(buf));
	vb_meta_set(m, "cpu_model_name", "%s", buf);
	vb_cpu_microcode(env->root, cpu, buf, sizeof(buf));
	vb_meta_set(m, "microcode", "%s", buf);
	vb_meta_set(m, "target_cpu", "%u", cpu);
	vb_meta_set(m, "hypervisor", "%s", !id.hypervisor ? "none" :
		    id.hv_signature[0] ? id.hv_signature : "unnamed");

	p = vb_platform_detect(env->root, env->cpuid, override);
	vb_meta_set(m, "platform", "%s", vb_platform_name(p));
	vb_meta_add_note(m, vb_platform_timing_note(p));
}

void vb_meta_add_note(struct vb_meta *m, const char *note)
{
	const char *had = vb_meta_get(m, "timing_note");

	if (!had || !strcmp(had, "unknown") || !strcmp(had, "none"))
		vb_meta_set(m, "timing_note", "%s", note);
	else if (strcmp(note, "none") && !strstr(had, note))
		vb_meta_set(m, "timing_note", "%s; %s", had, note);
}

/* vb_cpu_value_fn: whether cpu is in the command line's list `arg`. */
static int cmdline_has(const char *root, unsigned int cpu, const char *arg,
		       char *buf, size_t len)
{
	enum vb_tri t = vb_cmdline_cpu_in(root, arg, cpu);

	snprintf(buf, len, "%s", vb_tri_name(t));
	return t == VB_UNKNOWN ? -ENODATA : 0;
}

/* root/path's first line, or "unknown". */
static void set_file(struct vb_meta *m, const char *key, const char *root,
		     const char *path)
{
	char buf[256];

	if (vb_sys_read_line(root, path, buf, sizeof(buf)) == 0)
		vb_meta_set(m, key, "%s", buf);
	else
		vb_meta_set(m, key, "unknown");
}

void vb_meta_collect_system(struct vb_meta *m, const char *root,
			    const unsigned int *cpus, unsigned int n)
{
	static const char *const params[][2] = {
		{ "isolcpus", "target_isolated" },
		{ "nohz_full", "target_nohz_full" },
		{ "rcu_nocbs", "target_rcu_nocbs" },
	};
	char buf[4096], src[64];
	enum vb_tri t;
	size_t i;

	if (vb_cmdline(root, buf, sizeof(buf)) == 0)
		vb_meta_set(m, "kernel_cmdline", "%s", buf[0] ? buf : "none");
	set_file(m, "smt_control", root, "/sys/devices/system/cpu/smt/control");
	set_file(m, "smt_active", root, "/sys/devices/system/cpu/smt/active");
	t = vb_turbo(root, src, sizeof(src));
	vb_meta_set(m, "turbo", "%s", t == VB_YES ? "on" : t == VB_NO ? "off"
		    : "unknown");
	vb_meta_set(m, "turbo_source", "%s", src);
	vb_per_cpu(root, cpus, n, vb_cpu_sysfile_fn, "cpufreq/scaling_driver",
		   buf, sizeof(buf));
	vb_meta_set(m, "scaling_driver", "%s", buf);
	vb_per_cpu(root, cpus, n, vb_cpu_sysfile_fn, "cpufreq/scaling_governor",
		   buf, sizeof(buf));
	vb_meta_set(m, "governor", "%s", buf);
	vb_per_cpu(root, cpus, n, vb_cpu_sysfile_fn, "cpufreq/scaling_min_freq",
		   buf, sizeof(buf));
	vb_meta_set(m, "scaling_min_khz", "%s", buf);
	vb_per_cpu(root, cpus, n, vb_cpu_sysfile_fn, "cpufreq/scaling_max_freq",
		   buf, sizeof(buf));
	vb_meta_set(m, "scaling_max_khz", "%s", buf);
	set_file(m, "nmi_watchdog", root, "/proc/sys/kernel/nmi_watchdog");
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		int ret = vb_cmdline_param(root, params[i][0], buf,
					   sizeof(buf));

		vb_meta_set(m, params[i][0], "%s", ret < 0 ? "unknown" :
			    ret == 0 ? "none" : buf[0] ? buf : "(bare)");
		vb_per_cpu(root, cpus, n, cmdline_has, params[i][0], buf,
			   sizeof(buf));
		vb_meta_set(m, params[i][1], "%s", buf);
	}
}

void vb_meta_set_info(struct vb_meta *m, const struct vb_info *info)
{
	static const struct { uint32_t bit; const char *name; } flags[] = {
		{ VB_INFO_VMX, "vmx" }, { VB_INFO_VMX_IN_USE, "vmx_in_use" },
		{ VB_INFO_FEAT_LOCKED, "feat_locked" },
		{ VB_INFO_FEAT_VMX, "feat_vmx" },
		{ VB_INFO_VMX_BASIC, "vmx_basic" }, { VB_INFO_KVM, "kvm" },
		{ VB_INFO_NO_COVER, "no_cover" },
		{ VB_INFO_KERNEL_VMX, "kernel_vmx" },
		{ VB_INFO_RDTSCP, "rdtscp" }, { VB_INFO_CPU_STUCK, "cpu_stuck" },
		{ VB_INFO_GUEST, "guest" },
	};
	char buf[256] = "";
	size_t i, used = 0;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (info->flags & flags[i].bit)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
						 "%s%s", used ? " " : "",
						 flags[i].name);
	vb_meta_set(m, "vmx_flags", "%s", used ? buf : "none");
	vb_meta_set(m, "feature_control", "0x%llx",
		    (unsigned long long)info->feature_control);
	if (info->flags & VB_INFO_VMX_BASIC)
		vb_meta_set(m, "vmx_basic", "0x%llx",
			    (unsigned long long)info->vmx_basic);
	if (info->online_cpus)
		vb_meta_set(m, "online_cpus", "%u", info->online_cpus);
	vb_meta_set(m, "abi_version", "%u", info->abi_version);
	vb_meta_set(m, "module_version", "%s", info->module_version);
	if (info->tsc_khz)
		vb_meta_set(m, "tsc_khz", "%u", info->tsc_khz);
	if (info->flags & VB_INFO_VMX_BASIC)
		vb_meta_set(m, "vmcs_revision", "%u", info->vmcs_revision);
}

static int by_number(const void *a, const void *b)
{
	double x = strtod(*(char *const *)a, NULL);
	double y = strtod(*(char *const *)b, NULL);

	return (x > y) - (x < y);
}

void vb_meta_sort_numbers(struct vb_meta *m, const char *key)
{
	char *w[256], *save = NULL, *s, *t, buf[4096];
	size_t n = 0, used = 0, i;
	int k = find(m, key);

	if (k < 0)
		return;
	s = xstrdup(m->value[k]);
	for (t = strtok_r(s, " ", &save); t && n < 256;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	qsort(w, n, sizeof(w[0]), by_number);
	buf[0] = '\0';
	for (i = 0; i < n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
					 i ? " " : "", w[i]);
	if (n)
		vb_meta_set(m, key, "%s", buf);
	free(s);
}

void vb_meta_set_time(struct vb_meta *m, const char *key, time_t t)
{
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return;
	vb_meta_set(m, key, "%s", buf);
}

char *vb_join_argv(int argc, char **argv)
{
	size_t len = 1, used = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < argc; i++)
		used += (size_t)snprintf(s + used, len - used, "%s%s",
					 i ? " " : "", argv[i]);
	return s;
}

int vb_meta_write(const struct vb_meta *m, FILE *f)
{
	static const char *const header[] = { "key", "value" };
	unsigned int i;

	if (vb_csv_row(f, header, 2))
		return -1;
	for (i = 0; i < m->n; i++) {
		const char *row[2] = { m->key[i], m->value[i] };

		if (vb_csv_row(f, row, 2))
			return -1;
	}
	return 0;
}
