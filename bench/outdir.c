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

/* A second line: rows beyond the header, i.e. measured data. */
static int has_rows(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, lines = 0;

	if (!f)
		return 0;
	while (lines < 1 && (c = getc(f)) != EOF)
		lines += c == '\n';
	c = lines ? getc(f) : EOF;
	fclose(f);
	return c != EOF;
}

int vb_outdir_prepare(const char *dir, int force, char *msg, size_t len)
{
	char path[4096];
	int ret = mkdir_p(dir);

	if (ret) {
		snprintf(msg, len, "%s: cannot create the output directory: %s",
			 dir, strerror(-ret));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	if (!force && has_rows(path)) {
		snprintf(msg, len, "%s exists and holds measured rows: choose another -o DIR or pass --force",
			 path);
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
	if (!err && fileno(f) >= 0 && fsync(fileno(f)) && errno != EINVAL)
		err = errno;	/* EINVAL: a file fsync does not apply to */
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

int vb_outfile_open_direct(struct vb_outfile *o, const char *dir,
			   const char *name, char *msg, size_t len)
{
	if (vb_outfile_open(o, dir, name, msg, len))
		return -1;
	fclose(o->f);
	unlink(o->tmp);
	o->tmp[0] = '\0';
	o->f = fopen(o->path, "w");
	if (!o->f) {
		snprintf(msg, len, "%s: %s", o->path, strerror(errno));
		return -1;
	}
	return 0;
}

int vb_outfile_close(struct vb_outfile *o, char *msg, size_t len)
{
	FILE *f = o->f;

	o->f = NULL;
	if (!f)
		return 0;
	errno = 0;
	return vb_outfile_close_stream(f, o->path, msg, len);
}

void vb_outfile_abort(struct vb_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}
