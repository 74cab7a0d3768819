// SPDX-License-Identifier: GPL-2.0
/*
 * Config files: what a good file gives (sections, values, lines, comments,
 * the file's SHA-256), every shipped configs/ file, and every error with
 * its exact FILE:LINE message.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "harness.h"
#include "sweep.h"

static void test_sha256(void **state)
{
	char hex[65];

	(void)state;
	/* FIPS 180-2 test vectors */
	vb_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	vb_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

static const char good[] =
	"\xef\xbb\xbf; a comment\r\n"
	"# another\n"
	"[global]\n"
	"samples = 500    ; inline comment\n"
	"unroll=1,2, 4   # inline too\n"
	"\n"
	"[first]\n"
	"  cache = hot, flushed\n"
	"offset: page-split\n"
	"[empty]\n"
	"[third]\n"
	"cpu = 0-2, 7\n";

static void test_good_file(void **state)
{
	struct harness *h = *state;
	char *path = harness_file(h, "good.ini", good), err[512], sha[65];
	struct vb_config c;
	const struct vb_setting *s;

	err[0] = '\0';
	assert_int_equal(vb_config_load(path, &c, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.path, path);
	vb_sha256_hex(good, strlen(good), sha);
	assert_string_equal(c.sha256, sha);
	assert_int_equal(c.global.line, 3);
	s = &c.global.key[VB_KEY_SAMPLES];
	assert_true(s->set);
	assert_int_equal(s->line, 4);
	assert_int_equal(s->val.n, 1);
	assert_int_equal(s->val.v[0], 500);
	s = &c.global.key[VB_KEY_UNROLL];
	assert_int_equal(s->line, 5);
	assert_int_equal(s->val.n, 3);
	assert_int_equal(s->val.v[2], 4);
	assert_false(c.global.key[VB_KEY_CACHE].set);

	assert_int_equal(c.n_groups, 3);
	assert_string_equal(c.groups[0].name, "first");
	assert_int_equal(c.groups[0].line, 7);
	s = &c.groups[0].key[VB_KEY_CACHE];
	assert_int_equal(s->line, 8);
	assert_int_equal(s->val.n, 2);
	assert_int_equal(s->val.v[1], VB_CACHE_FLUSHED);
	s = &c.groups[0].key[VB_KEY_OFFSET];
	assert_int_equal(s->line, 9);
	assert_int_equal(s->val.v[0], VB_OFFSET_NAMED | VB_OFF_PAGE_SPLIT);
	assert_false(c.groups[0].key[VB_KEY_SAMPLES].set);	/* inherited later */
	assert_string_equal(c.groups[1].name, "empty");
	assert_int_equal(c.groups[1].line, 10);
	assert_string_equal(c.groups[2].name, "third");
	s = &c.groups[2].key[VB_KEY_CPU];
	assert_int_equal(s->val.n, 4);
	assert_int_equal(s->val.v[0], 0);
	assert_int_equal(s->val.v[2], 2);
	assert_int_equal(s->val.v[3], 7);
	vb_config_free(&c);
	free(path);
}

/* Every shipped config parses and expands to a plan, and says what it is. */
static void test_shipped_configs(void **state)
{
	static const char *const must[] = { "default.ini", "alignment.ini",
		"caching.ini", "paging.ini", "quick.ini" };
	struct harness *h = *state;
	char path[512], err[1024], *text;
	struct vb_section none;
	struct vb_config c;
	struct vb_plan p;
	struct dirent *de;
	size_t i, found = 0, n = 0;
	DIR *d = opendir(CONFIGS);

	(void)h;
	memset(&none, 0, sizeof(none));
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".ini"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", CONFIGS, de->d_name);
		if (vb_config_load(path, &c, err, sizeof(err)))
			fail_msg("%s", err);
		if (vb_plan_build(&c, &none, &p, err, sizeof(err)))
			fail_msg("%s", err);
		assert_true(p.n > 0);
		assert_true(p.records > 0);
		/* commented for users to write their own */
		text = slurp(path);
		assert_non_null(text);
		assert_true(text[0] == ';' || text[0] == '#');
		free(text);
		for (i = 0; i < sizeof(must) / sizeof(must[0]); i++)
			found += !strcmp(de->d_name, must[i]);
		if (!strcmp(de->d_name, "quick.ini")) {
			/* the emulated run: about a hundred points (the
			   family's 39 among them), few samples */
			assert_in_range(p.n, 10, 110);
			assert_in_range(p.samples / p.n, 100, 200);
		}
		vb_plan_free(&p);
		vb_config_free(&c);
		n++;
	}
	closedir(d);
	assert_int_equal(found, sizeof(must) / sizeof(must[0]));
	assert_true(n >= found);
}

/* quick.ini: every value of every axis appears at least once. */
static void test_quick_covers_every_value(void **state)
{
	struct vb_section none;
	struct vb_config c;
	struct vb_plan p;
	char err[1024];
	unsigned int k, v, i, insn, named[VB_OFF_NAMES] = { 0 };

	(void)state;
	memset(&none, 0, sizeof(none));
	if (vb_config_load(CONFIGS "/quick.ini", &c, err, sizeof(err)) ||
	    vb_plan_build(&c, &none, &p, err, sizeof(err)))
		fail_msg("%s", err);
	for (k = 0; k < VB_N_AXES; k++) {
		if (vb_keys[k].type != VB_KT_ENUM || vb_key_is_variant(k))
			continue;
		for (v = 0; vb_keys[k].names[v]; v++) {
			for (i = 0; i < p.n &&
			     vb_point_axis(&p.pt[i].desc, k) != v; i++)
				;
			if (i == p.n)
				fail_msg("quick.ini lacks %s=%s",
					 vb_keys[k].name, vb_keys[k].names[v]);
		}
	}
	/* the family: every instruction with every variant it takes */
	for (k = VB_KEY_TARGET; k <= VB_KEY_TYPE; k++)
		for (insn = 0; insn < VB_INSN_COUNT; insn++)
			for (v = 1; vb_keys[k].names[v]; v++) {
				if (!vb_variant_takes(k, insn, v))
					continue;
				for (i = 0; i < p.n &&
				     (p.pt[i].desc.instruction != insn ||
				      vb_point_axis(&p.pt[i].desc, k) != v); i++)
					;
				if (i == p.n)
					fail_msg("quick.ini lacks %s %s=%s",
						 vb_insn_names[insn],
						 vb_keys[k].name,
						 vb_keys[k].names[v]);
			}
	/* and no variant on an instruction that takes none (in mode guest
	   an exiting instruction's field is the handler's VMWRITE) */
	for (i = 0; i < p.n; i++)
		for (k = VB_KEY_TARGET; k <= VB_KEY_TYPE; k++)
			if (vb_variant_key(p.pt[i].desc.instruction) != (int)k &&
			    !(p.pt[i].desc.mode == VB_MODE_GUEST &&
			      vb_exit_takes_field(k, p.pt[i].desc.instruction)))
				assert_int_equal(vb_point_axis(&p.pt[i].desc, k), 0);
	/* the dirty VMCS: a guest exit with a control and with guest state */
	for (v = VB_FIELD_GUEST_CS_SEL; v <= VB_FIELD_EXCEPTION_BITMAP; v++) {
		for (i = 0; i < p.n && (p.pt[i].desc.mode != VB_MODE_GUEST ||
					p.pt[i].desc.field != v); i++)
			;
		if (i == p.n)
			fail_msg("quick.ini lacks a guest exit with field=%s",
				 vb_field_names[v]);
	}
	for (v = 1; v <= VB_MAX_UNROLL; v *= 2) {
		for (i = 0; i < p.n && p.pt[i].desc.unroll != v; i++)
			;
		if (i == p.n)
			fail_msg("quick.ini lacks unroll=%u", v);
	}
	for (i = 0; i < p.n; i++) {
		unsigned int off = p.pt[i].desc.offset;

		named[VB_OFF_ALIGNED] |= off == 0;
		named[VB_OFF_MISALIGNED] |= off == 1;
		named[VB_OFF_LINE_SPLIT] |= off == 60;
		named[VB_OFF_PAGE_SPLIT] |= off == 4092 || off == (2u << 20) - 4;
	}
	for (v = 0; v < VB_OFF_NAMES; v++)
		if (!named[v])
			fail_msg("quick.ini lacks offset=%s", vb_offset_names[v]);
	vb_plan_free(&p);
	vb_config_free(&c);
}

struct bad {
	const char *text;
	const char *want;	/* after "FILE:" */
};

static const struct bad bad[] = {
	{ "x = 1\n", "1: 'x' outside a section: put it under [global] or a "
	  "group's [name]" },
	{ "; c\n\n[global]\nunrol = 2\n", "4: unknown key 'unrol' (did you "
	  "mean unroll?)" },
	{ "[global]\nvmcs = loaded\nfoo = 2\n", "3: unknown key 'foo' (keys: "
	  "instruction, target, field, type, mode, cpu, offset, cache, memtype, "
	  "page, tlb, ad, vmcs, serialize, unroll, samples, events, "
	  "require-events, cross-check, wait-vmx, rounds)" },
	{ "[g]\ncache = hot\ncache = flushed\n", "3: cache set twice in [g] "
	  "(first at line 2)" },
	{ "[g]\n[h]\n[g]\n", "3: [g] appears twice (first at line 1): one "
	  "section per group" },
	{ "[global]\n[g]\n[global]\n", "3: [global] appears twice (first at "
	  "line 1)" },
	{ "[g]\nunroll = 3\n", "2: unroll=3: not a power of two in 1..256" },
	{ "[g]\nunroll = 1, 2, 3\n", "2: unroll=1, 2, 3: value 3: not a power "
	  "of two in 1..256" },
	{ "[g]\ncache =\n", "2: cache=: empty value (an axis needs at least "
	  "one value)" },
	{ "[g]\ncache = hot,,flushed\n", "2: cache=hot,,flushed: empty element "
	  "in the list" },
	{ "[g]\ncache = hot, hot\n", "2: cache=hot, hot: value hot listed "
	  "twice" },
	{ "[g]\nmemtype = uc\n", "2: memtype=uc: not one of wb|wc|uc-|wt (did "
	  "you mean uc-?)" },
	{ "[g]\nmode = gust\n", "2: mode=gust: not one of root|guest (did you "
	  "mean guest?)" },
	{ "[g]\n\nmode = guest, root, guest\n", "3: mode=guest, root, guest: "
	  "value guest listed twice" },
	{ "[g]\nmode =\n", "2: mode=: empty value (an axis needs at least one "
	  "value)" },
	{ "[g]\ninstruction = vmptrst, vmcal\n", "2: instruction=vmptrst, "
	  "vmcal: value vmcal: not one of "
	  "none|vmptrst|mov|add|imul|chase|cpuid|vmcall|vmptrld|vmclear|vmread|"
	  "vmwrite|invvpid|invept|vmxon-vmxoff|rdmsr|io|xsetbv|invd|cr3-load "
	  "(did you mean vmcall?)" },
	{ "[g]\ninstruction = vmread\nfield = guest-rp\n", "3: field=guest-rp: "
	  "not one of guest-cs-sel|exception-bitmap|guest-debugctl|guest-rip|"
	  "vm-instruction-error (did you mean guest-rip?)" },
	{ "[g]\ntype = single, single\n", "2: type=single, single: value "
	  "single listed twice" },
	{ "[g]\nsamples = 1, 2\n", "2: samples=1, 2: one value only: samples "
	  "is not an axis" },
	{ "[g]\nsamples = 0\n", "2: samples=0: out of range 1..262144" },
	{ "[g]\ncpu = 1x\n", "2: cpu=1x: not a number" },
	{ "[g]\noffset = 4194297\n", "2: offset=4194297: out of range "
	  "0..4194296" },
	{ "[g]\nevents = cycles,\n", "2: events=cycles,: empty element in the "
	  "list" },
	{ "[g]\nevents = a, b, A\n", "2: events=a, b, A: event A listed twice" },
	{ "[g]\nrequire-events = maybe\n", "2: require-events=maybe: not one of "
	  "no|yes" },
	{ "[g\n", "1: not INI syntax: expected [section], key = value, or a ; "
	  "or # comment" },
	{ "[g]\njunk\n", "2: not INI syntax: expected [section], key = value, "
	  "or a ; or # comment" },
	/* an indented line is not a continuation of the value above */
	{ "[g]\ncache = hot\n  flushed\n", "3: not INI syntax: expected "
	  "[section], key = value, or a ; or # comment" },
	{ "[]\n", "1: a section name has 1 to 63 characters" },
	{ "[g]\ncache = hot\n\0\n", "3: a NUL byte: not a text file" },
};

static char *write_bytes(struct harness *h, const char *text, size_t len)
{
	char *path = harness_file(h, "bad.ini", "");
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

static void test_errors(void **state)
{
	struct harness *h = *state;
	char err[1024], want[1024], *path, *lng;
	struct vb_config c;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = strlen(bad[i].text);
		if (strstr(bad[i].want, "NUL"))
			len = 18;	/* through the NUL and its LF */
		path = write_bytes(h, bad[i].text, len);
		snprintf(want, sizeof(want), "%s:%s", path, bad[i].want);
		err[0] = '\0';
		if (vb_config_load(path, &c, err, sizeof(err)) != -1 ||
		    strcmp(err, want))
			fail_msg("case %zu: got '%s', want '%s'", i, err, want);
		free(path);
	}

	/* nothing to run */
	path = harness_file(h, "empty.ini", "; only a comment\n");
	assert_int_equal(vb_config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: no [global] and no group section: "
		 "nothing to run", path);
	assert_string_equal(err, want);
	free(path);

	/* a line longer than the parser takes */
	lng = malloc(5000);
	assert_non_null(lng);
	strcpy(lng, "[g]\ncpu = 0");
	for (len = strlen(lng); len < 4990; len += 2)
		strcpy(lng + len, ",0");
	strcat(lng, "\n");
	path = harness_file(h, "long.ini", lng);
	free(lng);
	assert_int_equal(vb_config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: line too long (at most 4094 "
		 "characters)", path);
	assert_string_equal(err, want);
	free(path);

	assert_int_equal(vb_config_load("/nonexistent/x.ini", &c, err,
					sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.ini: cannot read the config "
			    "file: No such file or directory");
}

/* Through the command line: one line, exit 2, device never opened. */
static void test_errors_exit_2(void **state)
{
	struct harness *h = *state;
	char *path = harness_file(h, "x.ini", "[global]\nunroll = 1\n[g]\n"
				  "tlb = cold\nunroll = 2\n");
	char want[512];

	assert_int_equal(harness_main(h, "run", "-c", path, "-o", h->dir, NULL),
			 VB_EXIT_USAGE);
	snprintf(want, sizeof(want), "vmptrst-bench: %s:5: [g] tlb=cold with "
		 "unroll=2: a per-sample setup", path);
	assert_int_equal(count_lines(h->err_buf), 1);
	assert_non_null(strstr(h->err_buf, want));
	assert_int_equal(h->fake.opens, 0);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test_setup_teardown(test_good_file, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_configs, harness_setup, harness_teardown),
		cmocka_unit_test(test_quick_covers_every_value),
		cmocka_unit_test_setup_teardown(test_errors, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_errors_exit_2, harness_setup, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
