/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /proc and /sys below a root prefix ("" on a real system, a
 * fixture tree in tests).
 */
#ifndef VB_SYSFS_H
#define VB_SYSFS_H

#include <stddef.h>

/* First line of root+path, trailing whitespace removed: 0 or -errno. */
int vb_sys_read_line(const char *root, const char *path, char *buf, size_t len);

/*
 * Value of `key` in the "processor : cpu" block of root/proc/cpuinfo:
 * 0, -ENOENT if the file, the block or the key is missing.
 */
int vb_cpuinfo_field(const char *root, unsigned int cpu, const char *key,
		     char *buf, size_t len);

#endif /* VB_SYSFS_H */
