/* SPDX-License-Identifier: GPL-2.0 */
/* HTML output shared by the report's parts. */
#ifndef AZ_HTML_H
#define AZ_HTML_H

#include <stdio.h>

/* s with < > & " escaped. */
void az_html_esc(FILE *f, const char *s);

#endif /* AZ_HTML_H */
