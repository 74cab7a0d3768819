/* SPDX-License-Identifier: GPL-2.0 */
/* meta.csv: key,value rows describing a run; titles for plots built from it. */
#ifndef AZ_META_H
#define AZ_META_H

#include <stddef.h>

struct az_meta {
	size_t n;
	char **key, **value;
	unsigned long *line;	/* each key's line in meta.csv */
	const char *path;
};

/* Read DIR/meta.csv; 0, or -1 reported.  A missing file is an error. */
int az_meta_load(struct az_meta *m, const char *path);
void az_meta_free(struct az_meta *m);
/* The value, or "unknown" when the key is absent or empty. */
const char *az_meta_get(const struct az_meta *m, const char *key);
/* The key's line in meta.csv, or 0 when absent. */
unsigned long az_meta_line(const struct az_meta *m, const char *key);
/* True when the run was cut short: interrupted=yes, or stopped not no. */
int az_meta_partial(const struct az_meta *m);
/* True when the run's timings are not real (emulator). */
int az_meta_emulated(const struct az_meta *m);
/* "CPU · microcode X · platform" [+ " · emulated — not real timing"]. */
void az_meta_title(const struct az_meta *m, char *buf, size_t len);

#endif /* AZ_META_H */
