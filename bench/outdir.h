/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run directory: created with its parents, an existing non-empty
 * samples.csv kept unless forced, each file written to NAME.tmp and renamed
 * into place only once it was written completely.
 */
#ifndef VB_OUTDIR_H
#define VB_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

/* mkdir -p dir; refuse a non-empty dir/samples.csv unless force. */
int vb_outdir_prepare(const char *dir, int force, char *msg, size_t len);

struct vb_outfile {
	FILE *f;
	char tmp[4096];
	char path[4096];
};

int vb_outfile_open(struct vb_outfile *o, const char *dir, const char *name,
		    char *msg, size_t len);
/* fflush + ferror + fclose: 0, or -1 with the reason (ENOSPC ...) in msg. */
int vb_outfile_close_stream(FILE *f, const char *what, char *msg, size_t len);
/* Close, check and rename into place; on failure the .tmp is removed. */
int vb_outfile_commit(struct vb_outfile *o, char *msg, size_t len);
void vb_outfile_abort(struct vb_outfile *o);

#endif /* VB_OUTDIR_H */
