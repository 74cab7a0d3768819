// SPDX-License-Identifier: GPL-2.0
/*
 * The values of sweep keys: parsed from what a user wrote, and named back
 * (the table of keys: keytab.c).  See keys.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys.h"

int vb_key_lookup(const char *name)
{
	int i;

	for (i = 0; i < VB_KEY_COUNT; i++)
		if (!strcmp(name, vb_keys[i].name))
			return i;
	return -1;
}

/* Decimal, or hexadecimal after 0x; no sign, no space, no junk. */
int vb_parse_ulong(const char *s, unsigned long *v)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 10 ? !isdigit((unsigned char)*s)
		       : !isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return (errno || *end) ? -1 : 0;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;

	while (names[n])
		n++;
	return n;
}

static int parse_name(const char *const *names, const char *s,
		      unsigned int *v, char *err, size_t len)
{
	const char *near;
	char list[192];	/* every name of the longest enum (instruction) */
	size_t i, n = count_names(names);

	for (i = 0; i < n; i++) {
		if (!strcmp(s, names[i])) {
			*v = (unsigned int)i;
			return 0;
		}
	}
	vb_join_names(names, list, sizeof(list));
	near = vb_closest(s, names, n);
	if (near)
		snprintf(err, len, "not one of %s (did you mean %s?)", list,
			 near);
	else
		snprintf(err, len, "not one of %s", list);
	return -1;
}

int vb_parse_range(const char *s, unsigned long min, unsigned long max,
		   unsigned long *v, char *err, size_t len)
{
	const char *digits = s + (s[0] == '-');

	if (vb_parse_ulong(s, v) || *v < min || *v > max) {
		/* a negative or too large number is out of range, not junk */
		if (*digits && !digits[strspn(digits, "0123456789")])
			snprintf(err, len, "out of range %lu..%lu", min, max);
		else
			snprintf(err, len, "not a number");
		return -1;
	}
	return 0;
}

static int parse_number(const struct vb_key_def *d, const char *s,
			unsigned int *v, char *err, size_t len)
{
	unsigned long n;

	if (vb_parse_range(s, d->min, d->max, &n, err, len))
		return -1;
	if (d->type == VB_KT_POW2 && (n & (n - 1))) {
		snprintf(err, len, "not a power of two in %lu..%lu", d->min,
			 d->max);
		return -1;
	}
	*v = (unsigned int)n;
	return 0;
}

/* One element; a cpu range "a-b" may add several. */
static int parse_element(enum vb_key k, const char *s, struct vb_values *out,
			 char *err, size_t len)
{
	const struct vb_key_def *d = &vb_keys[k];
	unsigned int v, hi;
	char lo_s[64];
	const char *dash;

	switch (d->type) {
	case VB_KT_ENUM:
	case VB_KT_BOOL:
		if (parse_name(d->names, s, &v, err, len))
			return -1;
		break;
	case VB_KT_OFFSET:
		if (isdigit((unsigned char)*s)) {
			if (parse_number(d, s, &v, err, len))
				return -1;
		} else {
			if (parse_name(d->names, s, &v, err, len)) {
				snprintf(err, len, "neither a number of bytes nor one of aligned|misaligned|line-split|page-split");
				return -1;
			}
			v |= VB_OFFSET_NAMED;
		}
		break;
	case VB_KT_UINT:
		dash = strchr(s, '-');
		if (d->axis && dash && dash != s &&
		    (size_t)(dash - s) < sizeof(lo_s)) {
			snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dash - s), s);
			if (parse_number(d, lo_s, &v, err, len) ||
			    parse_number(d, dash + 1, &hi, err, len))
				return -1;
			if (hi < v) {
				snprintf(err, len, "range %s runs backwards", s);
				return -1;
			}
			for (; v < hi; v++) {
				if (out->n == VB_MAX_VALUES)
					goto too_many;
				out->v[out->n++] = v;
			}
			break;
		}
		/* fall through */
	case VB_KT_POW2:
		if (parse_number(d, s, &v, err, len))
			return -1;
		break;
	case VB_KT_EVENTS:
	default:
		snprintf(err, len, "not a single value");
		return -1;
	}
	if (out->n == VB_MAX_VALUES)
		goto too_many;
	out->v[out->n++] = v;
	return 0;

too_many:
	snprintf(err, len, "more than %d values", VB_MAX_VALUES);
	return -1;
}

/* aligned, misaligned, line-split are numbers on every page size */
static unsigned int canonical(unsigned int v)
{
	static const unsigned int fixed[] = { 0, 1, 60 };

	if ((v & VB_OFFSET_NAMED) && (v & ~VB_OFFSET_NAMED) < VB_OFF_PAGE_SPLIT)
		return fixed[v & ~VB_OFFSET_NAMED];
	return v;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

unsigned int vb_events_split(const char *text,
			     char (*names)[VB_EVENT_NAME_MAX])
{
	unsigned int n = 0;

	while (*text && n < VB_MAX_EVENT_NAMES) {
		size_t l = strcspn(text, ",");
		snprintf(names[n++], VB_EVENT_NAME_MAX, "%.*s", (int)l, text);
		text += l;
		if (*text)
			text++;
	}
	return n;
}

/*
 * An events list: names trimmed, none empty or too long or twice (libpfm4
 * ignores case), at most VB_MAX_EVENT_NAMES; "none" alone is no events.
 * Whether libpfm4 knows them is checked with the plan (pmu.c).
 */
static int parse_events(const char *text, struct vb_values *out, char *err,
			size_t len)
{
	char copy[VB_EVENTS_TEXT], *p, *elem;
	size_t used = 0;
	unsigned int i;
	char (*names)[VB_EVENT_NAME_MAX];

	if (strlen(text) >= sizeof(copy)) {
		snprintf(err, len, "longer than %zu characters",
			 sizeof(copy) - 1);
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	if (!strcmp(trim(copy), "none"))
		return 0;
	names = calloc(VB_MAX_EVENT_NAMES, sizeof(*names));
	if (!names) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (p = copy; p; ) {
		elem = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		elem = trim(elem);
		if (!*elem) {
			snprintf(err, len, "empty %s", out->n || p ?
				 "element in the list" : "value (none: no events)");
			goto fail;
		}
		if (strlen(elem) >= VB_EVENT_NAME_MAX) {
			snprintf(err, len, "event %.40s...: longer than %d characters",
				 elem, VB_EVENT_NAME_MAX - 1);
			goto fail;
		}
		for (i = 0; i < out->n; i++) {
			if (strcasecmp(names[i], elem))
				continue;
			snprintf(err, len, "event %s listed twice", elem);
			goto fail;
		}
		if (out->n == VB_MAX_EVENT_NAMES) {
			snprintf(err, len, "more than %d events",
				 VB_MAX_EVENT_NAMES);
			goto fail;
		}
		snprintf(names[out->n++], VB_EVENT_NAME_MAX, "%s", elem);
		used += (size_t)snprintf(out->text + used,
					 sizeof(out->text) - used, "%s%s",
					 used ? "," : "", elem);
	}
	free(names);
	return 0;
fail:
	free(names);
	out->n = 0;
	out->text[0] = '\0';
	return -1;
}

int vb_key_parse(enum vb_key k, const char *text, struct vb_values *out,
		 char *err, size_t len)
{
	const struct vb_key_def *d = &vb_keys[k];
	char *copy, *p, *elem, msg[256], name[64];
	int list = strchr(text, ',') != NULL, ret = -1;
	unsigned int i, j, before;

	out->n = 0;
	out->text[0] = '\0';
	if (d->type == VB_KT_EVENTS)
		return parse_events(text, out, err, len);
	if (list && !d->axis) {
		snprintf(err, len, "one value only: %s is not an axis", d->name);
		return -1;
	}
	copy = strdup(text);
	if (!copy) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (p = copy; p; ) {
		elem = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		elem = trim(elem);
		if (!*elem) {
			snprintf(err, len, list ? "empty element in the list" :
				 d->axis ? "empty value (an axis needs at least one value)" : "empty value");
			goto out;
		}
		before = out->n;
		if (parse_element(k, elem, out, msg, sizeof(msg))) {
			if (list)
				snprintf(err, len, "value %s: %s", elem, msg);
			else
				snprintf(err, len, "%s", msg);
			goto out;
		}
		for (i = before; i < out->n; i++) {
			for (j = 0; j < i; j++) {
				if (canonical(out->v[j]) != canonical(out->v[i]))
					continue;
				snprintf(err, len, "value %s listed twice",
					 vb_key_value_name(k, out->v[i], name,
							   sizeof(name)));
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

const char *vb_enum_name(enum vb_key k, unsigned int v)
{
	const char *const *names = vb_keys[k].names;

	if ((vb_keys[k].type != VB_KT_ENUM && vb_keys[k].type != VB_KT_BOOL) || v >= count_names(names))
		return "unknown";
	return names[v];
}

const char *vb_key_value_name(enum vb_key k, unsigned int v, char *buf,
			      size_t len)
{
	if (vb_keys[k].type == VB_KT_ENUM || vb_keys[k].type == VB_KT_BOOL)
		snprintf(buf, len, "%s", vb_enum_name(k, v));
	else if (vb_keys[k].type == VB_KT_OFFSET && (v & VB_OFFSET_NAMED) &&
		 (v & ~VB_OFFSET_NAMED) < VB_OFF_NAMES)
		snprintf(buf, len, "%s", vb_offset_names[v & ~VB_OFFSET_NAMED]);
	else
		snprintf(buf, len, "%u", v);
	return buf;
}

int vb_offset_resolve(unsigned int v, unsigned int page, unsigned int *bytes)
{
	if (page >= VB_PAGE_COUNT)
		return -1;
	if (v & VB_OFFSET_NAMED) {
		switch (v & ~VB_OFFSET_NAMED) {
		case VB_OFF_ALIGNED:
			v = 0;
			break;
		case VB_OFF_MISALIGNED:
			v = 1;
			break;
		case VB_OFF_LINE_SPLIT:
			v = 60;
			break;
		case VB_OFF_PAGE_SPLIT:
			/* beyond the span of a 1g buffer, inside one page */
			v = (unsigned int)vb_page_bytes(page) - 4;
			break;
		default:
			return -1;
		}
	}
	if ((unsigned long)v + 8 > VB_SPAN(page))
		return -1;
	*bytes = v;
	return 0;
}
