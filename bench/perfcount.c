// SPDX-License-Identifier: GPL-2.0
/* The cross-check's user-space counters: see perfcount.h. */
#define _GNU_SOURCE	/* syscall */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include "perfcount.h"

static int real_open(void *priv, const struct vb_event *ev, unsigned int cpu)
{
	struct perf_event_attr attr;
	long fd;

	(void)priv;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = ev->type;
	attr.config = ev->config;
	attr.config1 = ev->config1;
	attr.config2 = ev->config2;
	attr.exclude_user = 1;		/* as the module: kernel mode only */
	attr.exclude_hv = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	fd = syscall(SYS_perf_event_open, &attr, -1, (int)cpu, -1,
		     PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

static int real_read(void *priv, int fd, uint64_t v[3])
{
	ssize_t n;

	(void)priv;
	n = read(fd, v, 3 * sizeof(v[0]));
	if (n < 0)
		return -errno;
	return n == 3 * sizeof(v[0]) ? 0 : -EIO;
}

static void real_close(void *priv, int fd)
{
	(void)priv;
	close(fd);
}

const struct vb_perf_ops vb_perf_real_ops = {
	.open = real_open,
	.read = real_read,
	.close = real_close,
};
