// SPDX-License-Identifier: GPL-2.0
/* meta.csv: see meta.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "csv.h"
#include "meta.h"

static const char *const keys[] = {
	"tool", "tool_version", "tool_commit", "abi_version", "module_version",
	"platform", "timing_note", "host", "kernel", "cpu_vendor", "cpu_family",
	"cpu_model", "cpu_stepping", "cpu_model_name", "microcode", "tsc_khz",
	"target_cpu", "vmcs_revision", "config", "config_sha256", "points",
	"points_measured", "points_skipped", "samples", "unroll",
	"instruction", "vmcs", "offset", "cache", "memtype", "serialize",
	"page", "tlb", "ad", "records", "mismatches", "windows",
	"max_window_tsc", "interrupted", "start_time", "end_time",
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
		m->key[m->n] = keys[i];
		m->value[m->n++] = xstrdup("unknown");
	}
}

void vb_meta_free(struct vb_meta *m)
{
	while (m->n)
		free(m->value[--m->n]);
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
		m->key[i] = key;
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
	struct vb_platform_facts facts;
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

	p = override;
	if (p == VB_PLATFORM_AUTO) {
		vb_platform_gather(env->root, &id, &facts);
		p = vb_platform_classify(&facts);
	}
	vb_meta_set(m, "platform", "%s", vb_platform_name(p));
	vb_meta_set(m, "timing_note", "%s", vb_platform_timing_note(p));
}

void vb_meta_set_info(struct vb_meta *m, const struct vb_info *info)
{
	vb_meta_set(m, "abi_version", "%u", info->abi_version);
	vb_meta_set(m, "module_version", "%s", info->module_version);
	if (info->tsc_khz)
		vb_meta_set(m, "tsc_khz", "%u", info->tsc_khz);
	if (info->flags & VB_INFO_VMX_BASIC)
		vb_meta_set(m, "vmcs_revision", "%u", info->vmcs_revision);
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
