/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run directory: created with its parents, an existing samples.csv with
 * data kept unless forced.  meta.csv is written to NAME.tmp and
 * renamed into place once complete; samples.csv and points.csv are written
 * in place as the run goes (each point flushed), fsync'ed when closed.
 */
#ifndef VB_OUTDIR_H
#define VB_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

/*
 * mkdir -p dir; refuse a dir/samples.csv that holds rows (measured data)
 * unless force.  A header alone (a run that measured nothing) is replaced.
 */
int vb_outdir_prepare(const char *dir, int force, char *msg, size_t len);

struct vb_outfile {
	FILE *f;
	char tmp[4096];
	char path[4096];
};

int vb_outfile_open(struct vb_outfile *o, const char *dir, const char *name,
		    char *msg, size_t len);
/* Opens dir/name itself (no .tmp), for files written as the run goes. */
int vb_outfile_open_direct(struct vb_outfile *o, const char *dir,
			   const char *name, char *msg, size_t len);
/* Flush, fsync and close a file from vb_outfile_open_direct. */
int vb_outfile_close(struct vb_outfile *o, char *msg, size_t len);
/* fflush + ferror + fsync + fclose: 0, or -1 with the reason (ENOSPC ...) in msg. */
int vb_outfile_close_stream(FILE *f, const char *what, char *msg, size_t len);
/* Close, check and rename into place; on failure the .tmp is removed. */
int vb_outfile_commit(struct vb_outfile *o, char *msg, size_t len);
void vb_outfile_abort(struct vb_outfile *o);

#endif /* VB_OUTDIR_H */
