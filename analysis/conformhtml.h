/* SPDX-License-Identifier: GPL-2.0 */
/* The report's behaviour parts (conformance.csv, see conform.h). */
#ifndef AZ_CONFORMHTML_H
#define AZ_CONFORMHTML_H

#include <stdio.h>

#include "conform.h"

/* The rules the two parts need, for the page's <style>. */
extern const char az_conf_css[];
/* One line for the conditions box: counts, the differing branches in the
   warning colour, a link to the section. */
void az_conf_html_line(FILE *f, const struct az_conf *c);
/* <h2 id="behaviour"> and the table, or the sentence saying there is none. */
void az_conf_html_section(FILE *f, const struct az_conf *c);

#endif /* AZ_CONFORMHTML_H */
