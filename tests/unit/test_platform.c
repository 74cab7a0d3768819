// SPDX-License-Identifier: GPL-2.0
/* Platform detection from fixture DMI files and CPUID, and its labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "platform.h"

static enum vb_platform detect(const char *tree, int hv, const char *sig)
{
	char root[256];
	struct vb_cpu_id id;
	struct vb_platform_facts f;

	snprintf(root, sizeof(root), "%s/%s", FIXTURES, tree);
	memset(&id, 0, sizeof(id));
	id.hypervisor = hv;
	snprintf(id.hv_signature, sizeof(id.hv_signature), "%s", sig);
	vb_platform_gather(root, &id, &f);
	return vb_platform_classify(&f);
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(detect("dell", 0, ""), VB_PLATFORM_NATIVE);
	assert_int_equal(detect("nodmi", 0, ""), VB_PLATFORM_NATIVE);
	assert_int_equal(detect("does-not-exist", 0, ""), VB_PLATFORM_NATIVE);
	/* QEMU's software CPU (TCG), with or without the hypervisor bit */
	assert_int_equal(detect("qemu", 0, ""), VB_PLATFORM_QEMU);
	assert_int_equal(detect("qemu", 1, "TCGTCGTCGTCG"), VB_PLATFORM_QEMU);
	/* QEMU with KVM underneath: a guest on real hardware */
	assert_int_equal(detect("qemu", 1, "KVMKVMKVM"), VB_PLATFORM_VM);
	assert_int_equal(detect("bochs", 0, ""), VB_PLATFORM_BOCHS);
	/* no DMI, or another vendor's DMI: the hypervisor bit decides */
	assert_int_equal(detect("nodmi", 1, "KVMKVMKVM"), VB_PLATFORM_VM);
	assert_int_equal(detect("vmware", 1, "VMwareVMware"), VB_PLATFORM_VM);
	assert_int_equal(detect("dell", 1, "Microsoft Hv"), VB_PLATFORM_VM);
}

static void test_gather(void **state)
{
	struct vb_platform_facts f;
	struct vb_cpu_id id = { .hypervisor = 1, .hv_signature = "KVMKVMKVM" };

	(void)state;
	vb_platform_gather(FIXTURES "/qemu", &id, &f);
	assert_string_equal(f.sys_vendor, "QEMU");
	assert_string_equal(f.product_name, "Standard PC (Q35 + ICH9, 2009)");
	assert_true(f.hypervisor);
	assert_string_equal(f.hv_signature, "KVMKVMKVM");
	vb_platform_gather(FIXTURES "/nodmi", &id, &f);
	assert_string_equal(f.sys_vendor, "");
	assert_string_equal(f.product_name, "");
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(vb_platform_name(VB_PLATFORM_NATIVE), "native");
	assert_string_equal(vb_platform_name(VB_PLATFORM_QEMU), "qemu");
	assert_string_equal(vb_platform_name(VB_PLATFORM_BOCHS), "bochs");
	assert_string_equal(vb_platform_name(VB_PLATFORM_VM), "vm");
	assert_string_equal(vb_platform_name(VB_PLATFORM_AUTO), "unknown");
	assert_string_equal(vb_platform_timing_note(VB_PLATFORM_NATIVE), "none");
	assert_string_equal(vb_platform_timing_note(VB_PLATFORM_QEMU),
			    "emulated: timings are not real");
	assert_string_equal(vb_platform_timing_note(VB_PLATFORM_BOCHS),
			    "emulated: timings are not real");
	assert_non_null(strstr(vb_platform_timing_note(VB_PLATFORM_VM),
			       "guest: timings include the hypervisor; it may ignore guest PAT"));
	/* a guest's wc and uc- points may have measured WB; wb and wt not */
	assert_true(vb_platform_pat_unreliable(VB_PLATFORM_VM, VB_MEM_WC));
	assert_true(vb_platform_pat_unreliable(VB_PLATFORM_VM, VB_MEM_UC_MINUS));
	assert_false(vb_platform_pat_unreliable(VB_PLATFORM_VM, VB_MEM_WB));
	assert_false(vb_platform_pat_unreliable(VB_PLATFORM_VM, VB_MEM_WT));
	assert_false(vb_platform_pat_unreliable(VB_PLATFORM_NATIVE, VB_MEM_WC));
}

static void test_run_labels(void **state)
{
	struct harness h;
	char dir[128], *meta;

	(void)state;
	harness_init(&h);
	h.env.root = FIXTURES "/qemu";
	snprintf(dir, sizeof(dir), "%s/q", h.dir);
	assert_int_equal(harness_main(&h, "run", "--samples", "2", "-o", dir,
				      NULL), VB_EXIT_OK);
	meta = slurp_in(dir, "meta.csv");
	assert_non_null(strstr(meta, "\r\nplatform,qemu\r\ntiming_note,"
			       "emulated: timings are not real\r\n"));
	free(meta);
	/* --platform overrides what DMI says */
	assert_int_equal(harness_main(&h, "run", "--samples", "2", "--force",
				      "--platform", "native", "-o", dir, NULL),
			 VB_EXIT_OK);
	meta = slurp_in(dir, "meta.csv");
	assert_non_null(strstr(meta, "\r\nplatform,native\r\ntiming_note,none\r\n"));
	free(meta);
	harness_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_gather),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_run_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
