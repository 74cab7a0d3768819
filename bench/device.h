/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device layer: open/ioctl on /dev/vmptrst_bench behind a table of
 * function pointers (tests inject a fake), and errno -> one-line message.
 */
#ifndef VB_DEVICE_H
#define VB_DEVICE_H

#include <stddef.h>

#include "vmptrst_bench_abi.h"

struct vb_dev_ops {
	int (*open)(void *priv, const char *path);	/* fd, or -errno */
	int (*ioctl)(void *priv, int fd, unsigned long req, void *arg); /* 0 or -errno */
	void (*close)(void *priv, int fd);
};

/* open(2), ioctl(2), close(2). */
extern const struct vb_dev_ops vb_dev_real_ops;

struct vb_dev {
	const struct vb_dev_ops *ops;
	void *priv;
	const char *path;
	const char *root;	/* /proc and /sys prefix, for explanations */
	int fd;
	unsigned int module_abi;	/* abi_version as INFO returned it */
};

enum vb_dev_op { VB_OP_OPEN, VB_OP_INFO, VB_OP_RUN, VB_OP_SELFTEST,
		 VB_OP_CONFORM, VB_OP_HOLD };

/*
 * -EPROTO: INFO answered with another abi_version than ours (driver-side).
 * root: the /proc and /sys prefix vb_dev_explain() reads KVM's state below.
 */
int vb_dev_open(struct vb_dev *d, const struct vb_dev_ops *ops, void *priv,
		const char *path, const char *root);
int vb_dev_info(struct vb_dev *d, unsigned int cpu, struct vb_info *info);
int vb_dev_run(struct vb_dev *d, struct vb_run *run);
int vb_dev_selftest(struct vb_dev *d, unsigned int cpu, struct vb_selftest *st);
/* CONFORM on cpu: c zeroed and filled by the module. */
int vb_dev_conform(struct vb_dev *d, unsigned int cpu, struct vb_conform *c);
/* HOLD (the tests' build only): hold is VB_HOLD_ON or VB_HOLD_OFF. */
int vb_dev_hold(struct vb_dev *d, unsigned int cpu, unsigned int hold);
void vb_dev_close(struct vb_dev *d);

/*
 * The one-line explanation of `err` (positive errno) from `op` on `cpu`.
 * EBUSY, ENODEV and EIO query INFO again to say which case it is (see
 * vmxowner.h).
 */
void vb_dev_explain(struct vb_dev *d, enum vb_dev_op op, int err,
		    unsigned int cpu, char *buf, size_t len);

#endif /* VB_DEVICE_H */
