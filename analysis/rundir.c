// SPDX-License-Identifier: GPL-2.0
/* Loading a run directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "rundir.h"

char *az_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = az_malloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int az_mkdir(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST) {
		az_syserr(path, "cannot create directory");
		return -1;
	}
	return 0;
}

int az_run_load(struct az_run *run, const char *dir)
{
	struct stat st;

	memset(run, 0, sizeof(*run));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		az_err(dir, 0, "not a run directory");
		return -1;
	}
	run->dir = az_strdup(dir);
	run->meta_path = az_path(dir, "meta.csv");
	run->samples_path = az_path(dir, "samples.csv");
	if (az_meta_load(&run->meta, run->meta_path) ||
	    az_dataset_load(&run->ds, run->samples_path)) {
		az_run_free(run);
		return -1;
	}
	az_dataset_finish(&run->ds);
	return 0;
}

void az_run_free(struct az_run *run)
{
	az_meta_free(&run->meta);
	az_dataset_free(&run->ds);
	free(run->dir);
	free(run->meta_path);
	free(run->samples_path);
	memset(run, 0, sizeof(*run));
}
