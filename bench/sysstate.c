// SPDX-License-Identifier: GPL-2.0
/* The machine's state: see sysstate.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sysfs.h"
#include "sysstate.h"

#define EFI_GLOBAL_GUID	"8be4df61-93ca-11d2-aa0d-00e098032b8c"

const char *vb_tri_name(enum vb_tri t)
{
	return t == VB_YES ? "yes" : t == VB_NO ? "no" : "unknown";
}

static int parse_uint(const char **s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)**s))
		return -1;
	errno = 0;
	*v = strtoul(*s, &end, 10);
	if (errno)
		return -1;
	*s = end;
	return 0;
}

/* One element: "N", "A-B" or "A-B:USED/GROUP".  1 in, 0 not, -1 bad. */
static int element_has(const char *e, unsigned int cpu)
{
	unsigned long a, b, used = 1, group = 1;

	if (parse_uint(&e, &a))
		return -1;
	b = a;
	if (*e == '-') {
		e++;
		if (parse_uint(&e, &b) || b < a)
			return -1;
		if (*e == ':') {
			e++;
			if (parse_uint(&e, &used) || *e++ != '/' ||
			    parse_uint(&e, &group) || !used || !group ||
			    used > group)
				return -1;
		}
	}
	if (*e)
		return -1;
	return cpu >= a && cpu <= b && (cpu - a) % group < used;
}

enum vb_tri vb_cpu_in_list(const char *list, unsigned int cpu)
{
	static const char *const flags[] = { "nohz", "domain", "managed_irq" };
	char copy[1024], *tok, *save = NULL;
	int found = 0, seen = 0;
	size_t i;

	if (snprintf(copy, sizeof(copy), "%s", list) >= (int)sizeof(copy))
		return VB_UNKNOWN;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int r;

		if (!strcmp(tok, "all"))
			return VB_YES;
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (!strcmp(tok, flags[i]))
				break;
		if (i < sizeof(flags) / sizeof(flags[0]) && !seen)
			continue;	/* isolcpus=nohz,domain,2-3 */
		seen = 1;
		r = element_has(tok, cpu);
		if (r < 0)
			return VB_UNKNOWN;
		found |= r;
	}
	return found ? VB_YES : VB_NO;
}

int vb_cmdline(const char *root, char *buf, size_t len)
{
	char path[4096];
	size_t n, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "a b -- init args": the kernel's parameters end at a lone "--" */
	for (i = 0; i < n; i++) {
		if ((i == 0 || isspace((unsigned char)buf[i - 1])) &&
		    buf[i] == '-' && buf[i + 1] == '-' &&
		    (!buf[i + 2] || isspace((unsigned char)buf[i + 2]))) {
			buf[i] = '\0';
			n = i;
			break;
		}
	}
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

int vb_cmdline_param(const char *root, const char *name, char *buf,
		     size_t len)
{
	char line[4096], *tok, *save = NULL;
	size_t nl = strlen(name);
	int ret = vb_cmdline(root, line, sizeof(line)), found = 0;

	if (ret)
		return ret;
	/* the last one counts, as the kernel's own parsing does */
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (strncmp(tok, name, nl) || (tok[nl] && tok[nl] != '='))
			continue;
		snprintf(buf, len, "%s", tok[nl] ? tok + nl + 1 : "");
		found = 1;
	}
	return found;
}

enum vb_tri vb_cmdline_cpu_in(const char *root, const char *name,
			      unsigned int cpu)
{
	char val[1024];
	int ret = vb_cmdline_param(root, name, val, sizeof(val));

	if (ret < 0)
		return VB_UNKNOWN;
	if (ret == 0)
		return VB_NO;
	if (!val[0])	/* bare rcu_nocbs: offloading possible, no CPU listed */
		return VB_NO;
	return vb_cpu_in_list(val, cpu);
}

int vb_cpu_sysfile(const char *root, unsigned int cpu, const char *rel,
		   char *buf, size_t len)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/%s", cpu,
		 rel);
	ret = vb_sys_read_line(root, path, buf, len);
	if (!ret && !buf[0])
		ret = -ENODATA;
	return ret;
}

int vb_cpu_sysfile_fn(const char *root, unsigned int cpu, const char *arg,
		      char *buf, size_t len)
{
	return vb_cpu_sysfile(root, cpu, arg, buf, len);
}

enum vb_tri vb_sys_bool(const char *root, const char *path)
{
	char buf[32];

	if (vb_sys_read_line(root, path, buf, sizeof(buf)))
		return VB_UNKNOWN;
	if (!strcmp(buf, "1") || !strcasecmp(buf, "y") || !strcmp(buf, "on"))
		return VB_YES;
	if (!strcmp(buf, "0") || !strcasecmp(buf, "n") || !strcmp(buf, "off"))
		return VB_NO;
	return VB_UNKNOWN;
}

enum vb_tri vb_turbo(const char *root, char *source, size_t len)
{
	static const char no_turbo[] =
		"/sys/devices/system/cpu/intel_pstate/no_turbo";
	static const char boost[] = "/sys/devices/system/cpu/cpufreq/boost";
	enum vb_tri t = vb_sys_bool(root, no_turbo);

	if (t != VB_UNKNOWN) {
		snprintf(source, len, "intel_pstate/no_turbo");
		return t == VB_YES ? VB_NO : VB_YES;
	}
	t = vb_sys_bool(root, boost);
	snprintf(source, len, "%s", t == VB_UNKNOWN ? "unknown" :
		 "cpufreq/boost");
	return t;
}

enum vb_tri vb_kvm_intel_loaded(const char *root)
{
	char path[4096], line[512];
	FILE *f;
	DIR *d;
	int found = 0;

	snprintf(path, sizeof(path), "%s/sys/module/kvm_intel", root);
	d = opendir(path);
	if (d) {
		closedir(d);
		return VB_YES;
	}
	snprintf(path, sizeof(path), "%s/proc/modules", root);
	f = fopen(path, "r");
	if (!f)
		return VB_UNKNOWN;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "kvm_intel ", 10);
	fclose(f);
	return found ? VB_YES : VB_NO;
}

int vb_lockdown(const char *root, char *buf, size_t len)
{
	char line[256], *open, *close;
	int ret = vb_sys_read_line(root, "/sys/kernel/security/lockdown",
				   line, sizeof(line));

	if (ret)
		return ret;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return -EINVAL;
	*close = '\0';
	snprintf(buf, len, "%s", open + 1);
	return 0;
}

enum vb_tri vb_secure_boot(const char *root, char *detail, size_t len)
{
	char path[4096];
	unsigned char v[8];
	size_t n;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/firmware/efi", root);
	d = opendir(path);
	if (!d) {
		snprintf(detail, len, "not booted through EFI (no /sys/firmware/efi): no Secure Boot");
		return VB_NO;
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/sys/firmware/efi/efivars/SecureBoot-"
		 EFI_GLOBAL_GUID, root);
	f = fopen(path, "rb");
	if (!f) {
		int err = errno;

		snprintf(path, sizeof(path), "%s/sys/firmware/efi/efivars",
			 root);
		d = opendir(path);
		if (err == ENOENT && d) {
			closedir(d);
			snprintf(detail, len, "EFI without a SecureBoot variable: no Secure Boot");
			return VB_NO;
		}
		if (d)
			closedir(d);
		snprintf(detail, len, "EFI, but efivars cannot be read (%s)",
			 strerror(err));
		return VB_UNKNOWN;
	}
	/* 4 bytes of attributes, then the 1-byte value */
	n = fread(v, 1, sizeof(v), f);
	fclose(f);
	if (n != 5 || v[4] > 1) {
		snprintf(detail, len, "SecureBoot variable malformed (%zu bytes)",
			 n);
		return VB_UNKNOWN;
	}
	snprintf(detail, len, "SecureBoot=%u (EFI variable)", v[4]);
	return v[4] ? VB_YES : VB_NO;
}

void vb_per_cpu(const char *root, const unsigned int *cpus, unsigned int n,
		vb_cpu_value_fn get, const char *arg, char *buf, size_t len)
{
	char first[128], v[128];
	size_t used = 0;
	unsigned int i;
	int differ = 0;

	if (get(root, cpus[0], arg, first, sizeof(first)))
		snprintf(first, sizeof(first), "unknown");
	for (i = 1; i < n && !differ; i++) {
		if (get(root, cpus[i], arg, v, sizeof(v)))
			snprintf(v, sizeof(v), "unknown");
		differ = strcmp(v, first) != 0;
	}
	if (!differ) {
		snprintf(buf, len, "%s", first);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		if (get(root, cpus[i], arg, v, sizeof(v)))
			snprintf(v, sizeof(v), "unknown");
		used += (size_t)snprintf(buf + used, len - used, "%scpu%u:%s",
					 i ? " " : "", cpus[i], v);
	}
}
