// SPDX-License-Identifier: GPL-2.0
/* The run directory: see outdir.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outdir.h"

static int mkdir_p(const char *dir)
{
	char path[4096];
	size_t i, n = strlen(dir);
	struct stat st;

	if (!n || n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return -errno;
		path[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int vb_outdir_prepare(const char *dir, int force, char *msg, size_t len)
{
	char path[4096];
	struct stat st;
	int ret = mkdir_p(dir);

	if (ret) {
		snprintf(msg, len, "%s: cannot create the output directory: %s",
			 dir, strerror(-ret));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	if (!force && stat(path, &st) == 0 && st.st_size > 0) {
		snprintf(msg, len, "%s exists and is not empty: choose another "
			 "-o DIR or pass --force", path);
		return -1;
	}
	return 0;
}

int vb_outfile_open(struct vb_outfile *o, const char *dir, const char *name,
		    char *msg, size_t len)
{
	if (snprintf(o->path, sizeof(o->path), "%s/%s", dir, name) >=
	    (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", o->path) >=
	    (int)sizeof(o->tmp)) {
		snprintf(msg, len, "%s: path too long", dir);
		return -1;
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		snprintf(msg, len, "%s: %s", o->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int vb_outfile_close_stream(FILE *f, const char *what, char *msg, size_t len)
{
	int err = 0;

	if (fflush(f) || ferror(f))
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno ? errno : EIO;
	if (err) {
		snprintf(msg, len, "%s: write failed: %s", what, strerror(err));
		return -1;
	}
	return 0;
}

int vb_outfile_commit(struct vb_outfile *o, char *msg, size_t len)
{
	FILE *f = o->f;

	o->f = NULL;
	errno = 0;
	if (vb_outfile_close_stream(f, o->tmp, msg, len)) {
		unlink(o->tmp);
		return -1;
	}
	if (rename(o->tmp, o->path)) {
		snprintf(msg, len, "%s: %s", o->path, strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

void vb_outfile_abort(struct vb_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}
