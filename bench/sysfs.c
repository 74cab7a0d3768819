// SPDX-License-Identifier: GPL-2.0
/* Reading /proc and /sys below a root prefix: see sysfs.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs.h"

static FILE *open_under(const char *root, const char *path)
{
	char full[4096];

	if (snprintf(full, sizeof(full), "%s%s", root, path) >=
	    (int)sizeof(full)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(full, "r");
}

static char *trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void copy(char *buf, size_t len, const char *s)
{
	snprintf(buf, len, "%s", s);
}

int vb_sys_read_line(const char *root, const char *path, char *buf, size_t len)
{
	char line[1024];
	FILE *f = open_under(root, path);
	int ok;

	if (!f)
		return -errno;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	if (!ok)
		return -ENODATA;
	copy(buf, len, trim(line));
	return 0;
}

int vb_cpuinfo_field(const char *root, unsigned int cpu, const char *key,
		     char *buf, size_t len)
{
	char line[1024];
	FILE *f = open_under(root, "/proc/cpuinfo");
	int in_block = 0, ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *name, *value;

		if (!colon) {
			in_block = 0;	/* blank line ends a block */
			continue;
		}
		*colon = '\0';
		name = trim(line);
		value = trim(colon + 1);
		if (!strcmp(name, "processor")) {
			char *end;
			unsigned long n = strtoul(value, &end, 10);

			in_block = *value && !*end && n == cpu;
		} else if (in_block && !strcmp(name, key)) {
			copy(buf, len, value);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
