/* SPDX-License-Identifier: GPL-2.0 */
/* export's behaviour parts (conformance.csv, see conform.h). */
#ifndef AZ_CONFORMEXPORT_H
#define AZ_CONFORMEXPORT_H

#include <stdio.h>

#include <json-c/json.h>

#include "conform.h"

/* The "conformance" object: file, summary, the counts per verdict and
   "rows" (one object per branch, the columns as fields: cpl a number,
   empty fields null); NULL (JSON null) when the run has no file. */
struct json_object *az_conf_json(const struct az_conf *c);
/* "## Behaviour: ..." with the summary line and the table, or the sentence
   saying the run has none. */
void az_conf_md(FILE *f, const struct az_conf *c);

#endif /* AZ_CONFORMEXPORT_H */
