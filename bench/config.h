/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Config files: INI parsed by libinih, a [global] section and one section
 * per sweep group, each key checked against the key table (keys.h) as it
 * is read, with file:line in every error.  The file's SHA-256 is kept for
 * meta.csv.
 */
#ifndef VB_CONFIG_H
#define VB_CONFIG_H

#include <stddef.h>

#include "keys.h"

/* A key's value and where it came from. */
struct vb_setting {
	int set;
	unsigned int line;	/* in the file; 0: the command line */
	struct vb_values val;
};

/* A section of the file, or the command line's flags. */
struct vb_section {
	char name[64];
	unsigned int line;	/* of the [name] header */
	struct vb_setting key[VB_KEY_COUNT];
};

struct vb_config {
	char *path;			/* as given */
	char sha256[65];		/* hex, of the file's bytes */
	struct vb_section global;	/* line 0 when the file has none */
	struct vb_section *groups;	/* in file order */
	unsigned int n_groups;
};

/*
 * 0, or -1 with one line in err: "FILE:LINE: what" (or "FILE: what" when
 * the file cannot be read).
 */
int vb_config_load(const char *path, struct vb_config *c, char *err,
		   size_t len);
void vb_config_free(struct vb_config *c);

/* SHA-256 of buf as 64 hex digits and a NUL. */
void vb_sha256_hex(const void *buf, size_t len, char hex[65]);

#endif /* VB_CONFIG_H */
