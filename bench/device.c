// SPDX-License-Identifier: GPL-2.0
/* The device layer: see device.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "device.h"
#include "vmxowner.h"

static int real_open(void *priv, const char *path)
{
	int fd;

	(void)priv;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int real_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	(void)priv;
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static void real_close(void *priv, int fd)
{
	(void)priv;
	close(fd);
}

const struct vb_dev_ops vb_dev_real_ops = {
	.open = real_open,
	.ioctl = real_ioctl,
	.close = real_close,
};

int vb_dev_open(struct vb_dev *d, const struct vb_dev_ops *ops, void *priv,
		const char *path, const char *root)
{
	int fd;

	d->ops = ops;
	d->priv = priv;
	d->path = path;
	d->root = root;
	d->fd = -1;
	d->module_abi = 0;
	fd = ops->open(priv, path);
	if (fd < 0)
		return fd;
	d->fd = fd;
	return 0;
}

int vb_dev_info(struct vb_dev *d, unsigned int cpu, struct vb_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_version = VB_ABI_VERSION;
	info->cpu = cpu;
	ret = d->ops->ioctl(d->priv, d->fd, VB_IOC_INFO, info);
	if (ret)
		return ret;
	info->module_version[sizeof(info->module_version) - 1] = '\0';
	d->module_abi = info->abi_version;
	if (info->abi_version != VB_ABI_VERSION)
		return -EPROTO;
	return 0;
}

int vb_dev_run(struct vb_dev *d, struct vb_run *run)
{
	run->size = sizeof(*run);
	run->abi_version = VB_ABI_VERSION;
	return d->ops->ioctl(d->priv, d->fd, VB_IOC_RUN, run);
}

int vb_dev_selftest(struct vb_dev *d, unsigned int cpu, struct vb_selftest *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->abi_version = VB_ABI_VERSION;
	st->cpu = cpu;
	return d->ops->ioctl(d->priv, d->fd, VB_IOC_SELFTEST, st);
}

int vb_dev_conform(struct vb_dev *d, unsigned int cpu, struct vb_conform *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->abi_version = VB_ABI_VERSION;
	c->cpu = cpu;
	return d->ops->ioctl(d->priv, d->fd, VB_IOC_CONFORM, c);
}

int vb_dev_hold(struct vb_dev *d, unsigned int cpu, unsigned int hold)
{
	struct vb_hold h = {
		.size = sizeof(h), .abi_version = VB_ABI_VERSION,
		.cpu = cpu, .hold = hold,
	};

	return d->ops->ioctl(d->priv, d->fd, VB_IOC_HOLD, &h);
}

void vb_dev_close(struct vb_dev *d)
{
	if (d->fd >= 0)
		d->ops->close(d->priv, d->fd);
	d->fd = -1;
}

static const char *op_name(enum vb_dev_op op)
{
	switch (op) {
	case VB_OP_OPEN:	return "open";
	case VB_OP_INFO:	return "INFO";
	case VB_OP_RUN:		return "RUN";
	case VB_OP_SELFTEST:	return "SELFTEST";
	case VB_OP_CONFORM:	return "CONFORM";
	case VB_OP_HOLD:	return "HOLD";
	}
	return "?";
}

static void explain_busy(struct vb_dev *d, enum vb_dev_op op, unsigned int cpu,
			 char *buf, size_t len)
{
	struct vb_info info;

	if (vb_dev_info(d, cpu, &info) == 0) {
		enum vb_vmx_block b = vb_vmx_block(&info);

		if ((b == VB_BLOCK_STUCK || vb_vmx_waitable(b)) &&
		    vb_vmx_explain(&info, cpu, d->root, op, buf, len))
			return;
	}
	snprintf(buf, len, "%s: another run is in progress on %s; wait for it to finish", op_name(op), d->path);
}

static void explain_nodev(struct vb_dev *d, enum vb_dev_op op,
			  unsigned int cpu, char *buf, size_t len)
{
	struct vb_info info;

	if (vb_dev_info(d, cpu, &info) == 0 &&
	    vb_vmx_explain(&info, cpu, d->root, op, buf, len))
		return;
	snprintf(buf, len, "CPU %u: no usable VMX (absent, disabled by firmware, or a VMX_BASIC the module does not support; see dmesg)", cpu);
}

/*
 * EIO: a VMX instruction failed; if VMXOFF did (now or in an earlier RUN),
 * the CPU is left in VMX operation and the module refuses it from then on.
 */
static void explain_io(struct vb_dev *d, enum vb_dev_op op, unsigned int cpu,
		       char *buf, size_t len)
{
	struct vb_info info;

	if (vb_dev_info(d, cpu, &info) == 0 &&
	    vb_vmx_block(&info) == VB_BLOCK_STUCK)
		snprintf(buf, len, "CPU %u was left in VMX operation after VMXOFF failed (%s: EIO, see dmesg); reboot before measuring on it", cpu, op_name(op));
	else
		snprintf(buf, len, "CPU %u: %s: a VMX instruction failed; see dmesg", cpu, op_name(op));
}

void vb_dev_explain(struct vb_dev *d, enum vb_dev_op op, int err,
		    unsigned int cpu, char *buf, size_t len)
{
	if (op == VB_OP_OPEN && (err == ENOENT || err == ENXIO ||
				 err == ENODEV)) {
		snprintf(buf, len, "%s: module not loaded: load it with 'insmod kmod/vmptrst_bench.ko'",
			 d->path);
		return;
	}
	switch (err) {
	case EACCES:
	case EPERM:
		snprintf(buf, len, "%s: %s: needs root (CAP_SYS_RAWIO)",
			 d->path, op_name(op));
		break;
	case ENODEV:
		explain_nodev(d, op, cpu, buf, len);
		break;
	case EBUSY:
		explain_busy(d, op, cpu, buf, len);
		break;
	case ENXIO:
		snprintf(buf, len, "CPU %u is offline or does not exist", cpu);
		break;
	case EIO:
		explain_io(d, op, cpu, buf, len);
		break;
	case EINVAL:
		snprintf(buf, len, "%s: the module rejected the request: driver/module ABI mismatch (driver ABI %u) or a bad field",
			 op_name(op), (unsigned int)VB_ABI_VERSION);
		break;
	case ENOTTY:
		snprintf(buf, len, "%s: the module does not know this ioctl: driver/module ABI mismatch (driver ABI %u)",
			 op_name(op), (unsigned int)VB_ABI_VERSION);
		break;
	case EPROTO:
		snprintf(buf, len, "driver/module ABI mismatch: driver ABI %u, module ABI %u: rebuild both from one checkout",
			 (unsigned int)VB_ABI_VERSION, d->module_abi);
		break;
	case ENOMEM:
		snprintf(buf, len, "%s: the module could not allocate memory; try fewer --samples",
			 op_name(op));
		break;
	default:
		snprintf(buf, len, "%s: %s: %s", d->path, op_name(op),
			 strerror(err));
		break;
	}
}
