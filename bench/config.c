// SPDX-License-Identifier: GPL-2.0
/*
 * Config files: see config.h.  libinih does the INI syntax; its handler has
 * no line number, so the file is fed to ini_parse_stream() by our own
 * reader, which counts lines and sees each [section] header (empty
 * sections included) before inih hands over that section's keys.
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>

#include "config.h"

#define VB_CONFIG_MAX_BYTES	(1u << 20)
#define VB_CONFIG_MAX_LINE	4096

struct parse {
	const char *path;
	const char *pos, *end;
	unsigned int line;
	struct vb_config *c;
	struct vb_section *cur;		/* NULL before the first header */
	int failed;
	char *err;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void fail(struct parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->len, "%s:%u: %s", p->path, p->line, msg);
	p->failed = 1;
}

void vb_sha256_hex(const void *buf, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static struct vb_section *find_group(struct vb_config *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_groups; i++)
		if (!strcmp(c->groups[i].name, name))
			return &c->groups[i];
	return NULL;
}

static void begin_section(struct parse *p, const char *name, size_t n)
{
	struct vb_config *c = p->c;
	struct vb_section *s, *old;

	if (!n || n >= sizeof(s->name)) {
		fail(p, "a section name has 1 to %zu characters",
		     sizeof(s->name) - 1);
		return;
	}
	if (n == 6 && !strncmp(name, "global", 6)) {
		if (c->global.line) {
			fail(p, "[global] appears twice (first at line %u)",
			     c->global.line);
			return;
		}
		c->global.line = p->line;
		p->cur = &c->global;
		return;
	}
	s = realloc(c->groups, (c->n_groups + 1) * sizeof(*s));
	if (!s) {
		fail(p, "out of memory");
		return;
	}
	c->groups = s;
	s = &c->groups[c->n_groups];
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, n);
	old = find_group(c, s->name);	/* before counting the new one */
	if (old) {
		fail(p, "[%s] appears twice (first at line %u): one section per group",
		     s->name, old->line);
		return;
	}
	s->line = p->line;
	c->n_groups++;
	p->cur = s;
}

/* fgets for inih, over the file's bytes: counts lines, sees headers. */
static char *reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	const char *nl, *s;
	size_t n;

	if (p->failed || p->pos >= p->end)
		return NULL;
	nl = memchr(p->pos, '\n', (size_t)(p->end - p->pos));
	n = nl ? (size_t)(nl - p->pos) + 1 : (size_t)(p->end - p->pos);
	p->line++;
	if (n + 1 > (size_t)num) {
		fail(p, "line too long (at most %d characters)", num - 2);
		return NULL;
	}
	if (memchr(p->pos, '\0', n)) {
		fail(p, "a NUL byte: not a text file");
		return NULL;
	}
	memcpy(str, p->pos, n);
	str[n] = '\0';
	p->pos += n;

	s = str;
	if (p->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;		/* a UTF-8 BOM, as inih allows */
	s += strspn(s, " \t\r\f\v");
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close)
			begin_section(p, s + 1, (size_t)(close - s - 1));
		/* else inih reports the line */
	}
	return p->failed ? NULL : str;
}

static void unknown_key(struct parse *p, const char *name)
{
	const char *names[VB_KEY_COUNT];
	const char *near;
	char list[256];
	size_t used = 0;
	int i;

	for (i = 0; i < VB_KEY_COUNT; i++) {
		names[i] = vb_keys[i].name;
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", i ? ", " : "", names[i]);
	}
	near = vb_closest(name, names, VB_KEY_COUNT);
	if (near)
		fail(p, "unknown key '%s' (did you mean %s?)", name, near);
	else
		fail(p, "unknown key '%s' (keys: %s)", name, list);
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse *p = user;
	struct vb_setting *set;
	char msg[256];
	int k;

	(void)section;	/* p->cur is the same section, seen by the reader */
	if (p->failed)
		return 0;
	if (!p->cur) {
		fail(p, "'%s' outside a section: put it under [global] or a group's [name]",
		     name);
		return 0;
	}
	k = vb_key_lookup(name);
	if (k < 0) {
		unknown_key(p, name);
		return 0;
	}
	set = &p->cur->key[k];
	if (set->set) {
		fail(p, "%s set twice in [%s] (first at line %u)", name,
		     p->cur->name, set->line);
		return 0;
	}
	if (vb_key_parse(k, value, &set->val, msg, sizeof(msg))) {
		fail(p, "%s=%s: %s", name, value, msg);
		return 0;
	}
	set->set = 1;
	set->line = p->line;
	return 1;
}

static char *read_all(const char *path, size_t *len, char *err, size_t elen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(err, elen, "%s: cannot read the config file: %s", path,
			 strerror(errno));
		return NULL;
	}
	buf = malloc(VB_CONFIG_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, elen, "%s: out of memory", path);
		return NULL;
	}
	n = fread(buf, 1, VB_CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || n > VB_CONFIG_MAX_BYTES) {
		snprintf(err, elen, "%s: %s", path, ferror(f) ?
			 "read error" : "larger than 1 MiB: not a config file");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int vb_config_load(const char *path, struct vb_config *c, char *err,
		   size_t len)
{
	struct parse p;
	size_t n;
	char *buf;
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(c->global.name, sizeof(c->global.name), "global");
	c->path = strdup(path);
	buf = read_all(path, &n, err, len);
	if (!c->path || !buf) {
		if (!c->path)
			snprintf(err, len, "out of memory");
		free(buf);
		vb_config_free(c);
		return -1;
	}
	vb_sha256_hex(buf, n, c->sha256);

	/* libinih's run-time settings (Debian's build has them). */
	ini_allow_multiline = false;	/* an indented line is not a continuation */
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ini_use_stack = false;		/* so that ini_max_line applies */
	ini_max_line = VB_CONFIG_MAX_LINE;
	ini_initial_alloc = VB_CONFIG_MAX_LINE;
	ini_inline_comment_prefixes = ";#";

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.pos = buf;
	p.end = buf + n;
	p.c = c;
	p.err = err;
	p.len = len;
	rc = ini_parse_stream(reader, &p, handler, &p);
	free(buf);
	if (!p.failed && rc > 0) {
		p.line = (unsigned int)rc;
		fail(&p, "not INI syntax: expected [section], key = value, or a ; or # comment");
	} else if (!p.failed && rc < 0) {
		snprintf(err, len, "%s: out of memory", path);
		p.failed = 1;
	} else if (!p.failed && !c->global.line && !c->n_groups) {
		snprintf(err, len, "%s: no [global] and no group section: nothing to run",
			 path);
		p.failed = 1;
	}
	if (p.failed) {
		vb_config_free(c);
		return -1;
	}
	return 0;
}

void vb_config_free(struct vb_config *c)
{
	free(c->path);
	free(c->groups);
	c->path = NULL;
	c->groups = NULL;
	c->n_groups = 0;
}
