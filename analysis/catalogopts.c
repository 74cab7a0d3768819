// SPDX-License-Identifier: GPL-2.0
/*
 * The catalog subcommands' command line: DB, positional arguments and the
 * long options each subcommand allows, into one struct az_cat_opts.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "diag.h"

/* The value slot of option name in o, NULL if unknown. */
static const char **opt_slot(struct az_cat_opts *o, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} slot[] = {
		{ "host", offsetof(struct az_cat_opts, host) },
		{ "cpu-model", offsetof(struct az_cat_opts, model) },
		{ "model", offsetof(struct az_cat_opts, model) },
		{ "kernel", offsetof(struct az_cat_opts, kernel) },
		{ "config", offsetof(struct az_cat_opts, config) },
		{ "since", offsetof(struct az_cat_opts, since) },
		{ "until", offsetof(struct az_cat_opts, until) },
		{ "setup", offsetof(struct az_cat_opts, setup) },
		{ "o", offsetof(struct az_cat_opts, out) },
		{ "format", offsetof(struct az_cat_opts, format) },
		{ "metric", offsetof(struct az_cat_opts, metric) },
	};
	size_t i;

	for (i = 0; i < sizeof(slot) / sizeof(slot[0]); i++)
		if (!strcmp(name, slot[i].name))
			return (const char **)((char *)o + slot[i].off);
	return NULL;
}

int az_cat_listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return 1;
	return 0;
}

int az_cat_parse(int argc, char **argv, const char *allowed,
		 struct az_cat_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->arg = az_malloc((size_t)argc * sizeof(char *));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name = a + (a[1] == '-' ? 2 : 1);
		const char **slot;

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (a[0] != '-' || !a[1]) {
			if (!o->db)
				o->db = a;
			else
				o->arg[o->narg++] = argv[i];
			continue;
		}
		if (!az_cat_listed(allowed, name) || (a[1] != '-' && strcmp(name, "o"))) {
			az_err(NULL, 0, "catalog %s: unknown option %s (see catalog --help)", argv[0], a);
			return -1;
		}
		if (i + 1 >= argc) {
			az_err(NULL, 0, "catalog %s: %s needs a value", argv[0], a);
			return -1;
		}
		if (!strcmp(name, "microcode")) {
			if (o->nmicrocode == 2 || (o->nmicrocode && !az_cat_listed(allowed, "microcode2"))) {
				az_err(NULL, 0, "catalog %s: --microcode given too often", argv[0]);
				return -1;
			}
			o->microcode[o->nmicrocode++] = argv[++i];
			continue;
		}
		slot = opt_slot(o, name);
		if (!slot || *slot) {
			az_err(NULL, 0, "catalog %s: %s given twice", argv[0], a);
			return -1;
		}
		*slot = argv[++i];
	}
	if (!o->db) {
		az_err(NULL, 0, "catalog %s: expected the catalogue file DB (see catalog --help)", argv[0]);
		return -1;
	}
	return 0;
}
