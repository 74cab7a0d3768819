// SPDX-License-Identifier: GPL-2.0
/*
 * The key reference, written from vb_keys[] alone: configs/README.md's table
 * of keys (markdown), the same for a terminal, or the KEYS section of the
 * man page vmptrst-bench.ini(5) (mdoc).  See keys.h.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "mdoc.h"

#define WIDTH	79	/* a terminal line, plain text */
#define INDENT	4	/* a key's lines under its name */

/* The values a key takes, markdown: "`hot`, `flushed`, `flushopt`". */
static int key_values(const struct vb_key_def *d, char *buf, size_t len)
{
	const char *const *n;
	const char *unit = d->unit ? d->unit : "";
	const char *sp = d->unit ? " " : "";
	size_t used = 0;
	int w = 0;

	switch (d->type) {
	case VB_KT_ENUM:
	case VB_KT_BOOL:
		buf[0] = '\0';
		for (n = d->names; *n && used < len; n++)
			if (**n)	/* "": not applicable */
				used += (size_t)snprintf(buf + used,
							 len - used, "%s`%s`",
							 used ? ", " : "", *n);
		return used < len ? 0 : -1;
	case VB_KT_UINT:
		w = snprintf(buf, len, "`%lu..%lu`%s%s%s", d->min, d->max, sp,
			     unit, d->axis ? ", or ranges `A-B`" : "");
		break;
	case VB_KT_POW2:
		w = snprintf(buf, len, "a power of two, `%lu..%lu`%s%s", d->min,
			     d->max, sp, unit);
		break;
	case VB_KT_OFFSET:
		w = snprintf(buf, len, "`%lu..%lu`%s%s, or", d->min, d->max,
			     sp, unit);
		for (n = d->names; *n && w >= 0 && (size_t)w < len; n++)
			w += snprintf(buf + w, len - (size_t)w, "%s `%s`",
				      n == d->names ? "" : ",", *n);
		break;
	case VB_KT_EVENTS:
		w = snprintf(buf, len, "event names, at most %lu, or `none`",
			     d->max);
		break;
	}
	return w >= 0 && (size_t)w < len ? 0 : -1;
}

/* --instruction INSN; a yes/no key is a flag without a value. */
static int key_flag(const struct vb_key_def *d, char *buf, size_t len)
{
	int w = snprintf(buf, len, "`--%s%s%s`", d->name, d->arg ? " " : "",
			 d->arg ? d->arg : "");

	return w >= 0 && (size_t)w < len ? 0 : -1;
}

static int key_meaning(const struct vb_key_def *d, char *buf, size_t len)
{
	int w = snprintf(buf, len, "%s.%s%s", d->help, d->more ? " " : "",
			 d->more ? d->more : "");

	return w >= 0 && (size_t)w < len ? 0 : -1;
}

/* A table cell: '|' escaped, no line break (the table needs none). */
static void md_cell(FILE *out, const char *s)
{
	fputs("| ", out);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
	fputc(' ', out);
}

/*
 * Plain text: s without its backquotes, the words wrapped to WIDTH, each
 * line after `indent` spaces (the first after `col` characters already
 * written).
 */
static void plain_wrap(FILE *out, const char *s, int indent, int col)
{
	while (*s) {
		size_t n = strcspn(s, " "), ticks = 0, i;

		for (i = 0; i < n; i++)
			ticks += s[i] == '`';
		if (col > indent && col + 1 + (int)(n - ticks) > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		for (i = 0; i < n; i++)
			if (s[i] != '`')
				fputc(s[i], out);
		col += (int)(n - ticks);
		s += n;
		s += strspn(s, " ");
	}
	fputc('\n', out);
}

/* The keys that are axes, from the table, as a sentence. */
static int axes_sentence(char *buf, size_t len)
{
	size_t used;
	int k, n = 0;

	used = (size_t)snprintf(buf, len, "The axes, keys that take a comma list:");
	for (k = 0; k < VB_KEY_COUNT && used < len; k++)
		if (vb_keys[k].axis)
			used += (size_t)snprintf(buf + used, len - used,
						 "%s `%s`", n++ ? "," : "",
						 vb_keys[k].name);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, ". The other keys take one value for the whole group.");
	return used < len ? 0 : -1;
}

static const char md_intro[] = "Each key is also a flag of `run` and `plan` (`--cpu 3` for `cpu = 3`); a `no`/`yes` key is a flag without a value, which means `yes`.";
static const char plain_intro[] = "Sweep keys: `key = value` in a config file (the format: configs/README.md), and flags of `run` and `plan` (`--cpu 3` for `cpu = 3`); a `no`/`yes` key is a flag without a value, which means `yes`.";

/* A key in the man page: its name, flag, values, default, then meaning. */
static void mdoc_key(FILE *out, const struct vb_key_def *d, const char *flag,
		     const char *values, const char *meaning, const char *def)
{
	char line[1024];

	fputs(".It Cm ", out);
	vb_mdoc_arg(out, d->name);
	fputc('\n', out);
	snprintf(line, sizeof(line), "Flag: %s. Values: %s. Default: %s.%s",
		 flag, values, def, d->axis ? " An axis." : "");
	vb_mdoc_text(out, line);
	fputs(".Pp\n", out);
	vb_mdoc_text(out, meaning);
}

static int write_key(FILE *out, const struct vb_key_def *d,
		     enum vb_ref_format fmt)
{
	char values[512], flag[64], meaning[4096], name[64], def[64];

	if (key_values(d, values, sizeof(values)) ||
	    key_flag(d, flag, sizeof(flag)) ||
	    key_meaning(d, meaning, sizeof(meaning)))
		return -1;	/* a text longer than its buffer: fix the sizes */
	snprintf(name, sizeof(name), "`%s`", d->name);
	if (d->def || !d->def_doc)
		snprintf(def, sizeof(def), "`%s`", d->def ? d->def : "none");
	else
		snprintf(def, sizeof(def), "%s", d->def_doc);
	if (fmt == VB_REF_MDOC) {
		mdoc_key(out, d, flag, values, meaning, def);
		return 0;
	}
	if (fmt == VB_REF_MARKDOWN) {
		md_cell(out, name);
		md_cell(out, flag);
		md_cell(out, values);
		md_cell(out, meaning);
		md_cell(out, def);
		fputs("|\n", out);
		return 0;
	}
	fputc('\n', out);
	plain_wrap(out, name, INDENT, 0);
	fprintf(out, "%*s", INDENT, "");
	plain_wrap(out, flag, INDENT, INDENT);
	fprintf(out, "%*svalues:  ", INDENT, "");
	plain_wrap(out, values, INDENT + 9, INDENT + 9);
	fprintf(out, "%*sdefault: ", INDENT, "");
	plain_wrap(out, def, INDENT + 9, INDENT + 9);
	fprintf(out, "%*s", INDENT, "");
	plain_wrap(out, meaning, INDENT, INDENT);
	return 0;
}

int vb_keys_reference(FILE *out, enum vb_ref_format fmt)
{
	char axes[512];
	int k;

	if (axes_sentence(axes, sizeof(axes)))
		return -1;
	if (fmt == VB_REF_MARKDOWN) {
		fprintf(out, "%s\n\n%s\n\n", md_intro, axes);
		fputs("| key | flag | values | meaning | default |\n", out);
		fputs("| --- | --- | --- | --- | --- |\n", out);
	} else if (fmt == VB_REF_MDOC) {
		vb_mdoc_text(out, md_intro);
		fputs(".Pp\n", out);
		vb_mdoc_text(out, axes);
		fputs(".Bl -tag -width Ds\n", out);
	} else {
		plain_wrap(out, plain_intro, 0, 0);
		fputc('\n', out);
		plain_wrap(out, axes, 0, 0);
	}
	for (k = 0; k < VB_KEY_COUNT; k++)
		if (write_key(out, &vb_keys[k], fmt))
			return -1;
	if (fmt == VB_REF_MDOC)
		fputs(".El\n", out);
	return ferror(out) ? -1 : 0;
}
