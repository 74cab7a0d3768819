// SPDX-License-Identifier: GPL-2.0
/* meta.csv reader and the run's one-line description. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "meta.h"

int az_meta_load(struct az_meta *m, const char *path)
{
	struct csv_reader r;
	int rc, header = 1;

	memset(m, 0, sizeof(*m));
	m->path = path;
	if (csv_open(&r, path))
		return -1;
	while ((rc = csv_next(&r)) > 0) {
		if (r.nfield != 2) {
			az_err(path, r.line, "expected 2 fields (key,value), found %zu",
			       r.nfield);
			rc = -1;
			break;
		}
		if (header) {
			header = 0;
			if (strcmp(r.field[0], "key") || strcmp(r.field[1], "value")) {
				az_err(path, r.line, "header must be \"key,value\"");
				rc = -1;
				break;
			}
			continue;
		}
		m->key = az_realloc(m->key, (m->n + 1) * sizeof(char *));
		m->value = az_realloc(m->value, (m->n + 1) * sizeof(char *));
		m->line = az_realloc(m->line, (m->n + 1) * sizeof(*m->line));
		m->line[m->n] = r.line;
		m->key[m->n] = az_strdup(r.field[0]);
		m->value[m->n] = az_strdup(r.field[1]);
		m->n++;
	}
	if (!rc && header) {
		az_err(path, 1, "empty file: no header");
		rc = -1;
	}
	csv_close(&r);
	if (rc < 0) {
		az_meta_free(m);
		return -1;
	}
	return 0;
}

void az_meta_free(struct az_meta *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->key[i]);
		free(m->value[i]);
	}
	free(m->key);
	free(m->value);
	free(m->line);
	memset(m, 0, sizeof(*m));
}

const char *az_meta_get(const struct az_meta *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return m->value[i][0] ? m->value[i] : "unknown";
	return "unknown";
}

unsigned long az_meta_line(const struct az_meta *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return m->line[i];
	return 0;
}

int az_meta_partial(const struct az_meta *m)
{
	const char *s = az_meta_get(m, "stopped");

	return !strcmp(az_meta_get(m, "interrupted"), "yes") ||
	       (strcmp(s, "no") && strcmp(s, "unknown"));
}

int az_meta_emulated(const struct az_meta *m)
{
	const char *p = az_meta_get(m, "platform");

	return !strcmp(p, "bochs") || !strcmp(p, "qemu") ||
	       !strncmp(az_meta_get(m, "timing_note"), "emulated", 8);
}

void az_meta_title(const struct az_meta *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s · microcode %s · %s%s",
		 az_meta_get(m, "cpu_model_name"), az_meta_get(m, "microcode"),
		 az_meta_get(m, "platform"),
		 az_meta_emulated(m) ? " · emulated — not real timing" : "");
}
